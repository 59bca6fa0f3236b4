import { Webhook } from 'standardwebhooks';
import { signWebhook } from '../../functions/shared/adapters/webhook-signing';
import { activeSecrets, newWebhookSecret, rotateSecrets } from '../../functions/domain/webhook-secrets';
import { addDays, addSeconds, testNow } from '../support/clock';

const payload = JSON.stringify({ id: 'evt_1', type: 'payment.completed' });

describe('webhook signing', () => {
  it('produces Standard Webhooks headers that the published library verifies', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook([secret], 'evt_1', testNow(), payload);

    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(new Webhook(secret).verify(payload, headers)).toEqual(JSON.parse(payload));
  });

  it('signs with every active secret during a rotation, so old and new both verify', () => {
    // Rotated an hour ago: inside the 24 h overlap. Signed now, because receivers check the timestamp.
    const now = testNow();
    const old = newWebhookSecret();
    const fresh = newWebhookSecret();
    const secrets = rotateSecrets([{ secret: old, createdAt: addDays(now, -30).toISOString() }], addSeconds(now, -3600), fresh);

    const headers = signWebhook(activeSecrets(secrets, now).map((s) => s.secret), 'evt_1', now, payload);

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(old).verify(payload, headers)).not.toThrow();
    expect(() => new Webhook(fresh).verify(payload, headers)).not.toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(payload, headers)).toThrow();
  });

  it('retires the previous secret after the 24 h overlap', () => {
    const now = testNow();
    const secrets = rotateSecrets([{ secret: 'whsec_old', createdAt: addDays(now, -23).toISOString() }], now, 'whsec_new');

    expect(secrets[1].expiresAt).toBe(addDays(now, 1).toISOString());
    expect(activeSecrets(secrets, addSeconds(addDays(now, 1), -1)).map((s) => s.secret)).toEqual(['whsec_new', 'whsec_old']);
    expect(activeSecrets(secrets, addSeconds(addDays(now, 1), 1)).map((s) => s.secret)).toEqual(['whsec_new']);
    expect(rotateSecrets(secrets, addSeconds(addDays(now, 1), 6 * 3600), 'whsec_newer').map((s) => s.secret)).toEqual(['whsec_newer', 'whsec_new']);
  });
});
