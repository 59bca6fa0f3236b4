import * as z from './zod';

/**
 * Messages on the webhook queue. `payment.completed` and `payment.refunded` come from the stream router (the pipeline's
 * contract); `webhook.replay` is queued by the replay endpoint and admin command for a parked
 * delivery. Unknown extra fields are ignored so the router can add some.
 */
const NonEmpty = z.string().check(z.minLength(1));

export const WebhookJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('payment.completed'), paymentId: NonEmpty, customerId: NonEmpty, locationId: NonEmpty }),
  z.object({ kind: z.literal('payment.refunded'), refundId: NonEmpty, paymentId: NonEmpty, customerId: NonEmpty, locationId: NonEmpty }),
  z.object({ kind: z.literal('webhook.replay'), deliveryId: NonEmpty, locationId: NonEmpty }),
]);
export type WebhookJob = z.infer<typeof WebhookJob>;

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
