import { Webhook } from 'standardwebhooks';

/**
 * Signs a webhook per Standard Webhooks with its published library: `webhook-id`,
 * `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`, one `v1,<base64>`
 * per secret, space-separated, so both secrets verify during a rotation's overlap.
 * https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
export const signWebhook = (secrets: readonly string[], webhookId: string, at: Date, payload: string): Record<string, string> => {
  if (secrets.length === 0) throw new Error('no webhook secret to sign with');
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(webhookId, at, payload)).join(' '),
  };
};
