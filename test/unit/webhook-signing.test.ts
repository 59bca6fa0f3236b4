import { Webhook } from 'standardwebhooks';
import { signWebhook } from '../../functions/shared/webhook-signing';
import { activeSecrets, newWebhookSecret, rotateSecrets } from '../../functions/domain/webhook-secrets';

const payload = JSON.stringify({ id: 'evt_1', type: 'payment.completed' });

describe('webhook signing', () => {
  it('produces Standard Webhooks headers that the published library verifies', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook([secret], 'evt_1', new Date(), payload);

    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(new Webhook(secret).verify(payload, headers)).toEqual(JSON.parse(payload));
  });

  it('signs with every active secret during a rotation, so old and new both verify', () => {
    const now = new Date('2026-11-24T18:00:00Z');
    const old = newWebhookSecret();
    const fresh = newWebhookSecret();
    const secrets = rotateSecrets([{ secret: old, createdAt: '2026-11-01T00:00:00Z' }], now, fresh);

    const headers = signWebhook(activeSecrets(secrets, new Date()).map((s) => s.secret), 'evt_1', new Date(), payload);

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(old).verify(payload, headers)).not.toThrow();
    expect(() => new Webhook(fresh).verify(payload, headers)).not.toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(payload, headers)).toThrow();
  });

  it('retires the previous secret after the 24 h overlap', () => {
    const now = new Date('2026-11-24T18:00:00Z');
    const secrets = rotateSecrets([{ secret: 'whsec_old', createdAt: '2026-11-01T00:00:00Z' }], now, 'whsec_new');

    expect(secrets[1].expiresAt).toBe('2026-11-25T18:00:00.000Z');
    expect(activeSecrets(secrets, new Date('2026-11-25T17:59:59Z')).map((s) => s.secret)).toEqual(['whsec_new', 'whsec_old']);
    expect(activeSecrets(secrets, new Date('2026-11-25T18:00:01Z')).map((s) => s.secret)).toEqual(['whsec_new']);
    expect(rotateSecrets(secrets, new Date('2026-11-26T00:00:00Z'), 'whsec_newer').map((s) => s.secret)).toEqual(['whsec_newer', 'whsec_new']);
  });
});
