import { randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets. They are stored (not hashed) because signing needs them; the table is
 * encrypted at rest and only the admin CLI and the delivery function may read these items.
 * A rotation keeps the previous secret valid for an overlap window, during which deliveries carry
 * one signature per valid secret (Standard Webhooks allows several, space-separated).
 */
export interface WebhookSecret {
  /** `whsec_` + base64 of 32 random bytes, the Standard Webhooks secret format. */
  secret: string;
  createdAt: string;
  /** Absent on the current secret; set when a rotation retires it. */
  expiresAt?: string;
}

/** @default 24 hours */
export const ROTATION_OVERLAP_SECONDS = 24 * 60 * 60;

export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

const isActive = (secret: WebhookSecret, now: Date) => !secret.expiresAt || Date.parse(secret.expiresAt) > now.getTime();

/** The secrets that sign a delivery now: the current one first, then retired ones still in overlap. */
export const activeSecrets = (secrets: readonly WebhookSecret[], now: Date): WebhookSecret[] => secrets.filter((s) => isActive(s, now));

/**
 * Issues a new current secret; the previous current one stays valid for `overlapSeconds`,
 * secrets already past their window are dropped.
 */
export const rotateSecrets = (
  secrets: readonly WebhookSecret[],
  now: Date,
  fresh: string = newWebhookSecret(),
  overlapSeconds: number = ROTATION_OVERLAP_SECONDS,
): WebhookSecret[] => {
  const retireAt = new Date(now.getTime() + overlapSeconds * 1000).toISOString();
  const kept = activeSecrets(secrets, now).map((s) => (s.expiresAt ? s : { ...s, expiresAt: retireAt }));
  return [{ secret: fresh, createdAt: now.toISOString() }, ...kept];
};
