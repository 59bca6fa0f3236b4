import * as z from './zod';

/**
 * Messages on the webhook queue. `payment.completed` comes from the stream router (the pipeline's
 * contract); `webhook.replay` is queued by the replay endpoint and admin command for a parked
 * delivery. Unknown extra fields are ignored so the router can add some.
 */
const NonEmpty = z.string().check(z.minLength(1));

export const WebhookJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('payment.completed'), paymentId: NonEmpty, customerId: NonEmpty, locationId: NonEmpty }),
  z.object({ kind: z.literal('webhook.replay'), deliveryId: NonEmpty, locationId: NonEmpty }),
  /** Queued by the feedback worker when a channel cannot reach the customer (see NotificationFailedJob). */
  z.object({
    kind: z.literal('notification.failed'),
    locationId: NonEmpty,
    customerId: NonEmpty,
    notificationId: NonEmpty,
    notificationKind: z.enum(['statement', 'receipt']),
    channel: z.enum(['sms', 'email']),
    destination: z.string(),
    status: NonEmpty,
    reason: z.string(),
    failedAt: NonEmpty,
    fallback: z.nullable(z.enum(['sms', 'email'])),
  }),
]);
export type WebhookJob = z.infer<typeof WebhookJob>;
export type NotificationFailedJob = Extract<WebhookJob, { kind: 'notification.failed' }>;

export const replayJob = (locationId: string, deliveryId: string): WebhookJob => ({ kind: 'webhook.replay', deliveryId, locationId });

/** Reads a queue message body; undefined when it is not JSON or not a webhook job. */
export const parseWebhookJob = (body: string): WebhookJob | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const job = WebhookJob.safeParse(value);
  return job.success ? job.data : undefined;
};
