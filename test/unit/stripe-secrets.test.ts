import { loadOnce, parseStripeSecrets } from '../../functions/shared/adapters/stripe-secrets';

describe('the Stripe secrets', () => {
  it('are read once per container, and a failed read is tried again on the next call', async () => {
    // Prepare
    let reads = 0;
    const secrets = loadOnce(async () => {
      reads += 1;
      if (reads === 1) throw new Error('throttled');
      return { secretKey: 'sk_test_abc', webhookSecret: 'whsec_abc' };
    });

    // Act
    await expect(secrets()).rejects.toThrow('throttled');
    const answers = await Promise.all([secrets(), secrets(), secrets()]);
    await secrets();

    // Assess
    expect(reads).toBe(2);
    expect(new Set(answers).size).toBe(1);
  });

  it('parse the secret\'s JSON', () => {
    // Act / Assess
    expect(parseStripeSecrets('{"secretKey":"rk_live_abc123","webhookSecret":"whsec_Zm9v"}', 'name')).toEqual({ secretKey: 'rk_live_abc123', webhookSecret: 'whsec_Zm9v' });
  });

  it.each([
    ['not json', /is not JSON/],
    ['{"secretKey":"pk_live_abc","webhookSecret":"whsec_x"}', /bad or missing fields: secretKey/],
    ['{"secretKey":"sk_live_abc"}', /bad or missing fields: webhookSecret/],
  ])('refuse %s, naming the fields but never their values', (text, message) => {
    // Act
    const read = () => parseStripeSecrets(text, 'statements/prod/stripe');

    // Assess
    expect(read).toThrow(message);
    expect(read).not.toThrow(/pk_live_abc|sk_live_abc|whsec_x/);
  });
});
