import { webhookConfigsRepo, type WebhookConfig } from '../../functions/shared/repos/webhook-configs';
import { webhookDeliveriesRepo } from '../../functions/shared/repos/webhook-deliveries';
import { assertDeliverableUrl } from '../../functions/shared/adapters/webhook-http';
import { replayParkedDeliveries } from '../../functions/shared/use-cases/replay-webhooks';
import { newWebhookSecret, rotateSecrets } from '../../functions/domain/webhook-secrets';
import type { AdminCommands, AdminTarget } from './support/types';
import { clock } from '../../functions/shared/adapters/clock';

/**
 * Webhook admin commands: set-webhook, rotate-webhook-secret, disable-webhook, replay-webhooks.
 * Each returns the JSON the CLI prints. Secrets are printed once, by set-webhook and rotation.
 */
export type WebhookAdminTarget = Pick<AdminTarget, 'tableName' | 'documents' | 'sqs' | 'webhookQueueUrl' | 'allowLoopback'>;

const LOCATION_ID = /^loc_[A-Za-z0-9_-]{1,64}$/;
const DELIVERY_ID = /^dlv_[0-9A-HJKMNP-TV-Z]{26}$/;

const checkLocation = (location: string) => {
  if (!LOCATION_ID.test(location)) throw new Error(`--location must look like loc_<id>; got ${JSON.stringify(location)}.`);
};

class ConcurrentChangeError extends Error {
  constructor() {
    super('The webhook configuration changed while this command ran; run it again.');
  }
}

const configs = (target: WebhookAdminTarget) => webhookConfigsRepo(target.tableName, target.documents);

/**
 * Points the location's webhook at `url` (checked: https and public addresses outside the local
 * runtime) and enables it, issuing a new signing secret. An existing secret keeps verifying for
 * the rotation overlap, so re-pointing does not break a receiver mid-flight.
 */
export const setWebhook = async (target: WebhookAdminTarget, args: { location: string; url: string }) => {
  checkLocation(args.location);
  const url = await assertDeliverableUrl(args.url, { allowLoopback: target.allowLoopback });
  const now = clock.now();
  const existing = await configs(target).get(args.location);
  const secret = newWebhookSecret();
  const config: WebhookConfig = {
    locationId: args.location,
    url: url.toString(),
    enabled: true,
    secrets: existing ? rotateSecrets(existing.secrets, now, secret) : [{ secret, createdAt: now.toISOString() }],
    revision: (existing?.revision ?? 0) + 1,
    createdAt: existing?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  };
  if (!(await configs(target).save(config, existing?.revision))) throw new ConcurrentChangeError();
  return { locationId: args.location, url: config.url, secret };
};

/** Issues a new secret; the previous one keeps verifying until `previousSecretExpiresAt`. */
export const rotateWebhookSecret = async (target: WebhookAdminTarget, args: { location: string }) => {
  checkLocation(args.location);
  const existing = await configs(target).get(args.location);
  if (!existing) throw new Error(`Location ${args.location} has no webhook; run set-webhook first.`);
  const now = clock.now();
  const secret = newWebhookSecret();
  const secrets = rotateSecrets(existing.secrets, now, secret);
  const saved = await configs(target).save({ ...existing, secrets, revision: existing.revision + 1, updatedAt: now.toISOString() }, existing.revision);
  if (!saved) throw new ConcurrentChangeError();
  return { locationId: args.location, secret, previousSecretExpiresAt: secrets[1]?.expiresAt };
};

export const disableWebhook = async (target: WebhookAdminTarget, args: { location: string }) => {
  checkLocation(args.location);
  if (!(await configs(target).disable(args.location))) throw new Error(`Location ${args.location} has no webhook.`);
  return { locationId: args.location, enabled: false };
};

/** Replays one parked delivery (`--delivery`) or all of the location's parked deliveries. */
export const replayWebhooks = async (target: WebhookAdminTarget, args: { location: string; delivery?: string }) => {
  checkLocation(args.location);
  if (args.delivery !== undefined && !DELIVERY_ID.test(args.delivery)) throw new Error(`--delivery must look like dlv_<ulid>; got ${JSON.stringify(args.delivery)}.`);
  return replayParkedDeliveries(args.location, args.delivery ?? 'all', {
    deliveries: webhookDeliveriesRepo(target.tableName, target.documents),
    sqs: target.sqs,
    queueUrl: target.webhookQueueUrl,
  });
};

export const webhookCommands: AdminCommands = {
  'set-webhook': { summary: "Set the location's webhook URL and print a new signing secret (once)", options: ['location', 'url'], required: ['location', 'url'], run: setWebhook },
  'rotate-webhook-secret': { summary: 'Issue a new signing secret; the previous one verifies for 24 h more', options: ['location'], required: ['location'], run: rotateWebhookSecret },
  'disable-webhook': { summary: "Stop pushing the location's webhooks", options: ['location'], required: ['location'], run: disableWebhook },
  'replay-webhooks': { summary: "Replay the location's parked webhook deliveries (or one with --delivery)", options: ['location', 'delivery'], required: ['location'], run: replayWebhooks },
};
