import { runPostman } from '../../scripts/postman-run';
import { newMerchant } from '../support/api';
import { stackInfo } from '../support/stack-info';

describe('the Postman collection against the local stack (npm run postman:run)', () => {
  it("passes every check of the guide's requests, and again when run a second time with the same key", async () => {
    // Prepare
    const merchant = await newMerchant();

    // Act
    const first = await runPostman({ url: stackInfo().url, apiKey: merchant.key, reporters: [] });
    const second = await runPostman({ url: stackInfo().url, apiKey: merchant.key, reporters: [] });

    // Assess
    expect(first.failures).toEqual([]);
    expect(first.requests).toBe(8);
    expect(first.assertions).toBeGreaterThanOrEqual(15);
    expect(second.failures).toEqual([]);
  });

  it('fails with a key the service does not know', async () => {
    // Act
    const result = await runPostman({ url: stackInfo().url, apiKey: 'cx_unknown', reporters: [] });

    // Assess
    expect(result.failures.length).toBeGreaterThan(0);
  });
});
