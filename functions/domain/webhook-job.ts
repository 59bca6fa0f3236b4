import * as z from './zod';

/**
 * The webhook queue's one contract. `payment.completed`, `payment.refunded`, `payment.disputed` and
 * `payment.failed` come from the stream
 * router (`domain/notifications.ts` builds them with these types); `webhook.replay` is queued by the
 * replay endpoint and admin command for a parked delivery. The worker parses as a tolerant reader:
 * unknown extra fields are dropped, so a newer router may add some without breaking an older worker.
 */
const Id = z.string().check(z.minLength(1), z.maxLength(64));

export const PaymentCompletedJob = z.object({ kind: z.literal('payment.completed'), paymentId: Id, customerId: Id, locationId: Id });
export type PaymentCompletedJob = z.infer<typeof PaymentCompletedJob>;

export const PaymentRefundedJob = z.object({ kind: z.literal('payment.refunded'), refundId: Id, paymentId: Id, customerId: Id, locationId: Id });
export type PaymentRefundedJob = z.infer<typeof PaymentRefundedJob>;

/** From the stream router: a DISPUTE insert (Stripe's `charge.dispute.created`, recorded once). */
export const PaymentDisputedJob = z.object({ kind: z.literal('payment.disputed'), disputeId: Id, paymentId: Id, customerId: Id, locationId: Id });
export type PaymentDisputedJob = z.infer<typeof PaymentDisputedJob>;

/** From the stream router: a PAYMENT_FAILURE insert (an intent that failed after the page closed, never a payment). */
export const PaymentFailedJob = z.object({ kind: z.literal('payment.failed'), intentId: Id, customerId: Id, locationId: Id });
export type PaymentFailedJob = z.infer<typeof PaymentFailedJob>;

/** Queued by the feedback worker when a channel cannot reach the customer. */
export const NotificationFailedJob = z.object({
  kind: z.literal('notification.failed'),
  locationId: Id,
  customerId: Id,
  notificationId: z.string().check(z.minLength(1), z.maxLength(200)),
  notificationKind: z.enum(['statement', 'receipt', 'refund', 'reminder']),
  channel: z.enum(['sms', 'email']),
  destination: z.string(),
  status: z.string().check(z.minLength(1)),
  reason: z.string(),
  failedAt: z.string().check(z.minLength(1)),
  fallback: z.nullable(z.enum(['sms', 'email'])),
});
export type NotificationFailedJob = z.infer<typeof NotificationFailedJob>;

/** The jobs the stream router and the feedback worker queue. */
export type RoutedWebhookJob = PaymentCompletedJob | PaymentRefundedJob | PaymentDisputedJob | PaymentFailedJob | NotificationFailedJob;

export const WebhookReplayJob = z.object({ kind: z.literal('webhook.replay'), deliveryId: Id, locationId: Id });

export const WebhookJob = z.discriminatedUnion('kind', [PaymentCompletedJob, PaymentRefundedJob, PaymentDisputedJob, PaymentFailedJob, NotificationFailedJob, WebhookReplayJob]);
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
