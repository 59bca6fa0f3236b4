import * as z from './zod';
import { defineSchema } from './zod';
import type { RoutedWebhookJob } from './webhook-job';

/**
 * Which table changes notify whom. Pure: the stream router hands in unmarshalled stream images and
 * sends whatever jobs come back; the notifier parses jobs with the schemas below.
 */

const Id = () => z.string().check(z.minLength(1), z.maxLength(64));
/**
 * Set on a job the scheduler released: the time it was held for (quiet hours, a reminder's day).
 * Such a job is sent without being held again.
 */
const notBefore = () => z.optional(z.iso.datetime());
const JobId = () => z.string().check(z.minLength(1), z.maxLength(200));
const Channel = () => z.optional(z.enum(['sms', 'email']));

/** A statement notification. The snapshot (balance, billing date) tells a stale job from a current one. */
export const StatementJob = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    kind: z.literal('statement'),
    jobId: JobId(),
    customerId: Id(),
    locationId: Id(),
    statementVersion: z.int().check(z.positive()),
    amountDueMinor: z.int(),
    billingDate: z.string(),
    notBefore: notBefore(),
    onlyChannel: Channel(),
  }),
);

/** A receipt for a completed payment. */
export const ReceiptJob = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    kind: z.literal('receipt'),
    jobId: JobId(),
    customerId: Id(),
    locationId: Id(),
    paymentId: Id(),
    notBefore: notBefore(),
    onlyChannel: Channel(),
  }),
);

/** A short notice that part or all of a payment was refunded. */
export const RefundJob = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    kind: z.literal('refund'),
    jobId: JobId(),
    customerId: Id(),
    locationId: Id(),
    refundId: Id(),
    notBefore: notBefore(),
    onlyChannel: Channel(),
  }),
);

/**
 * A reminder of a statement version's amount due, on a day the location's plan names
 * (`daysFromDue` negative before the due date, positive after). Created by the reminder planner as
 * a scheduled record, released by the scheduler on its day.
 */
export const ReminderJob = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    kind: z.literal('reminder'),
    jobId: JobId(),
    customerId: Id(),
    locationId: Id(),
    statementVersion: z.int().check(z.positive()),
    dueDate: z.iso.date(),
    daysFromDue: z.int(),
    notBefore: notBefore(),
    onlyChannel: Channel(),
  }),
);

export const NotificationJob = /* @__PURE__ */ defineSchema(() => z.discriminatedUnion('kind', [StatementJob, ReceiptJob, RefundJob, ReminderJob]));
export type NotificationJob = z.infer<typeof NotificationJob>;
export type ReminderJob = z.infer<typeof ReminderJob>;

/**
 * Not a message: asks the notifier to bring a customer's scheduled reminders in line with the
 * statement as it is now (plan new ones, cancel those a payment or replacement made pointless).
 * Routed for every statement change that may move them; idempotent.
 */
export const PlanRemindersJob = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    kind: z.literal('plan-reminders'),
    jobId: JobId(),
    customerId: Id(),
    locationId: Id(),
  }),
);
export type PlanRemindersJob = z.infer<typeof PlanRemindersJob>;

/** Everything the notification queue carries. */
export const NotificationQueueJob = /* @__PURE__ */ defineSchema(() => z.discriminatedUnion('kind', [StatementJob, ReceiptJob, RefundJob, ReminderJob, PlanRemindersJob]));
export type NotificationQueueJob = z.infer<typeof NotificationQueueJob>;
export type StatementJob = z.infer<typeof StatementJob>;
export type ReceiptJob = z.infer<typeof ReceiptJob>;
export type RefundJob = z.infer<typeof RefundJob>;

/** What the router puts on each queue; the webhook queue's contract is `domain/webhook-job.ts`. */
export type RoutedJob = { queue: 'notification'; job: NotificationJob | PlanRemindersJob } | { queue: 'webhook'; job: RoutedWebhookJob };

/**
 * The job that sends `job` again on the other channel, after provider feedback said its channel
 * cannot reach the customer. Its id is a function of the original, so the feedback worker may
 * queue it twice; it is never itself followed by another fallback.
 */
export const fallbackJob = (job: NotificationJob, channel: Channel): NotificationJob | undefined =>
  job.onlyChannel ? undefined : { ...job, jobId: `${job.jobId}:${channel}`, onlyChannel: channel };

/** Job ids are functions of what they announce, so a job routed twice is recognised as one. */
export const statementJobId = (customerId: string, version: number) => `statement:${customerId}:${version}`;
export const receiptJobId = (paymentId: string) => `receipt:${paymentId}`;
export const refundJobId = (refundId: string) => `refund:${refundId}`;
/** One reminder per (statement version, day): planning it twice finds the same record. */
export const reminderJobId = (customerId: string, version: number, daysFromDue: number) => `reminder:${customerId}:${version}:${daysFromDue < 0 ? 'before' : 'after'}${Math.abs(daysFromDue)}`;

export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE';
export type Image = Record<string, unknown>;

export interface ItemChange {
  eventName: StreamEventName;
  oldImage?: Image;
  newImage?: Image;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** What the customer is asked to pay: the remaining amount once payments exist, else the balance due. */
export const amountDueOf = (image: Image | undefined): number | undefined => num(image?.remainingMinor) ?? num(image?.balanceDueMinor);

/**
 * A statement notification is due when the statement's version grew (created or replaced, not a
 * payment, which changes `paidMinor` only) and, compared with the old image, it is the first
 * statement or its balance or billing date changed; and something is due.
 */
export const statementNotificationDue = (change: ItemChange): boolean => {
  const { oldImage, newImage } = change;
  if (change.eventName === 'REMOVE' || newImage?.type !== 'STATEMENT') return false;
  const newVersion = num(newImage.version) ?? 0;
  const oldVersion = num(oldImage?.version) ?? 0;
  if (newVersion <= 0 || newVersion <= oldVersion) return false;
  if ((amountDueOf(newImage) ?? 0) <= 0) return false;
  if (oldVersion === 0) return true;
  return (
    num(oldImage?.balanceDueMinor) !== num(newImage.balanceDueMinor) ||
    amountDueOf(oldImage) !== amountDueOf(newImage) ||
    str(oldImage?.billingDate) !== str(newImage.billingDate)
  );
};

/**
 * A statement change that may plan or cancel reminders: a new version (created or replaced, whatever
 * changed) or another amount due (a payment), when the new or the old image has a due date.
 */
export const remindersMayMove = (change: ItemChange): boolean => {
  const { oldImage, newImage } = change;
  if (change.eventName === 'REMOVE' || newImage?.type !== 'STATEMENT' || (num(newImage.version) ?? 0) <= 0) return false;
  // Reminders count from a due date: a statement that never had one has none to plan or cancel.
  if (!str(newImage.dueDate) && !str(oldImage?.dueDate)) return false;
  return (num(newImage.version) ?? 0) > (num(oldImage?.version) ?? 0) || amountDueOf(oldImage) !== amountDueOf(newImage) || str(oldImage?.dueDate) !== str(newImage.dueDate);
};

/** Maps one item change to the jobs it causes: nothing, a statement notification, or a receipt (or refund notice) and a webhook. */
export const jobsForChange = (change: ItemChange): RoutedJob[] => {
  const image = change.newImage;
  if (!image) return [];
  const customerId = str(image.customerId) ?? '';
  const locationId = str(image.locationId) ?? '';
  const reminders: RoutedJob[] = remindersMayMove(change)
    ? [{ queue: 'notification', job: { kind: 'plan-reminders', jobId: `plan-reminders:${customerId}:${num(image.version) ?? 0}:${amountDueOf(image) ?? 0}`, customerId, locationId } }]
    : [];
  if (statementNotificationDue(change)) {
    const version = num(image.version) ?? 0;
    return [
      ...reminders,
      {
        queue: 'notification',
        job: {
          kind: 'statement',
          jobId: statementJobId(customerId, version),
          customerId,
          locationId,
          statementVersion: version,
          amountDueMinor: amountDueOf(image) ?? 0,
          billingDate: str(image.billingDate) ?? '',
        },
      },
    ];
  }
  if (reminders.length) return reminders;
  if (change.eventName === 'INSERT' && image.type === 'PAYMENT' && image.status === 'completed') {
    const paymentId = str(image.paymentId) ?? '';
    return [
      { queue: 'notification', job: { kind: 'receipt', jobId: receiptJobId(paymentId), customerId, locationId, paymentId } },
      { queue: 'webhook', job: { kind: 'payment.completed', paymentId, customerId, locationId } },
    ];
  }
  if (change.eventName === 'INSERT' && image.type === 'REFUND' && image.status === 'completed') {
    const refundId = str(image.refundId) ?? '';
    const paymentId = str(image.paymentId) ?? '';
    return [
      { queue: 'notification', job: { kind: 'refund', jobId: refundJobId(refundId), customerId, locationId, refundId } },
      { queue: 'webhook', job: { kind: 'payment.refunded', refundId, paymentId, customerId, locationId } },
    ];
  }
  // Stripe's events, recorded once each: the merchant is told, the customer is not (the bank or the page already did).
  if (change.eventName === 'INSERT' && image.type === 'DISPUTE') {
    return [{ queue: 'webhook', job: { kind: 'payment.disputed', disputeId: str(image.disputeId) ?? '', paymentId: str(image.paymentId) ?? '', customerId, locationId } }];
  }
  if (change.eventName === 'INSERT' && image.type === 'PAYMENT_FAILURE') {
    return [{ queue: 'webhook', job: { kind: 'payment.failed', intentId: str(image.intentId) ?? '', customerId, locationId } }];
  }
  return [];
};

/** The statement as the notifier reads it when it sends. */
export interface CurrentStatement {
  version: number;
  amountDueMinor: number;
  billingDate: string;
}

/**
 * A statement job is stale when the statement has since changed in a way that queued its own
 * notification (a later version with another amount or billing date), or nothing is due any more.
 * A later replacement that changed nothing the customer sees does not make the job stale.
 */
export const isSuperseded = (job: StatementJob, current: CurrentStatement): boolean =>
  current.amountDueMinor <= 0 ||
  (current.version > job.statementVersion && (current.amountDueMinor !== job.amountDueMinor || current.billingDate !== job.billingDate));

export type Channel = 'sms' | 'email';


/**
 * How long a job waits before its next try after a transient provider failure: exponential in the
 * receive count, capped, with SQS's 12-hour visibility limit as the hard ceiling.
 */
export const retryDelaySeconds = (receiveCount: number, baseSeconds: number, capSeconds = 900): number =>
  Math.min(capSeconds, 43_200, Math.round(baseSeconds * 2 ** Math.max(0, receiveCount - 1)));

/** `+15125550123` → `+1•••••••0123`: enough to recognise, not enough to reuse. */
export const maskPhone = (phone: string): string =>
  phone.length <= 6 ? '•'.repeat(phone.length) : `${phone.slice(0, 2)}${'•'.repeat(phone.length - 6)}${phone.slice(-4)}`;

/** `jane.doe@example.com` → `j•••@example.com`. */
export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
};
