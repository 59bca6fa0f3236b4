import { runDemo } from '../../scripts/demo';
import { stackInfo } from '../support/stack-info';

describe('npm run demo (scripts/demo.ts)', () => {
  it('walks the guide against the running stack, from a new key to the $0.00 statement, printing each step', async () => {
    // Prepare
    const lines: string[] = [];

    // Act
    const result = await runDemo({ baseUrl: stackInfo().url, log: (line) => lines.push(line) });

    // Assess
    expect(result.sms).toContain(result.tinyUrl);
    expect(result.webhookEvent).toMatchObject({ type: 'payment.completed', data: { customer: { id: result.customerId, externalId: 'ACCT-1001' }, amount: { amount: '49.95' }, remainingAfter: { amount: '0.00' } } });
    expect(result.finalBalance).toBe('0.00');
    const output = lines.join('\n');
    for (const step of ['create-key', 'Step 1', 'Step 2', 'Step 3', 'text message', 'Step 4', 'signature verifies', 'now shows $0.00', 'Done: every step']) {
      expect(output).toContain(step);
    }
  });

  it('fails with a message when nothing answers at the URL', async () => {
    // Act / Assess
    await expect(runDemo({ baseUrl: 'http://localhost:1', log: () => undefined })).rejects.toThrow('start the service with `npm start`');
  });
});
