import { toMajorString } from './money';
import type { PaymentRecord as StoredPayment } from './payments';
import type { RefundRecord } from './refunds';
import type { NotificationFailedJob } from './webhook-job';

/**
 * The `payment.completed` event, version 1: everything a merchant's system needs to update its
 * records without calling back. Built from stored items only, so a retry or replay sends the same
 * content. Documented with an example in docs/webhooks.md; add fields freely, but removing or
 * changing one needs version 2.
 */
export const PAYMENT_COMPLETED = { type: 'payment.completed', version: 1 } as const;

/** The stored payment fields the event is built from (the record itself is defined with payments). */
export type PaymentRecord = Omit<StoredPayment, 'cardExpMonth' | 'cardExpYear' | 'status'>;

export interface CustomerRecord {
  customerId: string;
  externalId?: string | null;
}

export interface MoneyView {
  amountMinor: number;
  /** The same amount as a decimal string in major units, e.g. "49.95"; never a float. */
  amount: string;
  currency: string;
}

export interface PaymentCompletedEvent {
  id: string;
  type: typeof PAYMENT_COMPLETED.type;
  version: typeof PAYMENT_COMPLETED.version;
  /** When the payment completed (ISO 8601, UTC). */
  timestamp: string;
  locationId: string;
  data: {
    paymentId: string;
    customer: { id: string; externalId: string | null };
    statement: { id: string; version: number };
    amount: MoneyView;
    balanceBefore: MoneyView;
    remainingAfter: MoneyView;
    card: { brand: string; last4: string };
    gatewayReference: string;
    completedAt: string;
  };
}

const suffixOf = (paymentId: string) => paymentId.replace(/^pay_/, '');

/**
 * The event id, derived from the payment id: one payment is one event, whatever the number of
 * jobs the stream produces for it. It is also the `webhook-id` header, the same on every retry,
 * so receivers can deduplicate.
 */
export const eventIdFor = (paymentId: string) => `evt_${suffixOf(paymentId)}`;

/** The delivery record's id: one delivery per event (the location has one endpoint). */
export const deliveryIdFor = (paymentId: string) => `dlv_${suffixOf(paymentId)}`;

const money = (amountMinor: number, currency: string): MoneyView => ({ amountMinor, amount: toMajorString(amountMinor), currency });

/** Builds the `payment.completed` v1 event from the payment and its customer. */
export const buildPaymentCompletedEvent = (payment: PaymentRecord, customer: CustomerRecord): PaymentCompletedEvent => ({
  id: eventIdFor(payment.paymentId),
  type: PAYMENT_COMPLETED.type,
  version: PAYMENT_COMPLETED.version,
  timestamp: payment.completedAt,
  locationId: payment.locationId,
  data: {
    paymentId: payment.paymentId,
    customer: { id: payment.customerId, externalId: customer.externalId ?? null },
    statement: { id: payment.statementId, version: payment.statementVersion },
    amount: money(payment.amountMinor, payment.currency),
    balanceBefore: money(payment.remainingBeforeMinor, payment.currency),
    remainingAfter: money(payment.remainingAfterMinor, payment.currency),
    card: { brand: payment.cardBrand, last4: payment.cardLast4 },
    gatewayReference: payment.gatewayReference,
    completedAt: payment.completedAt,
  },
});

/** The `payment.refunded` event, version 1: one refund (part or all) of a completed payment. */
export const PAYMENT_REFUNDED = { type: 'payment.refunded', version: 1 } as const;

export interface PaymentRefundedEvent {
  id: string;
  type: typeof PAYMENT_REFUNDED.type;
  version: typeof PAYMENT_REFUNDED.version;
  /** When the refund was recorded (ISO 8601, UTC). */
  timestamp: string;
  locationId: string;
  data: {
    refundId: string;
    paymentId: string;
    customer: { id: string; externalId: string | null };
    statement: { id: string };
    /** This refund. */
    amount: MoneyView;
    /** What the payment took. */
    paymentAmount: MoneyView;
    /** Refunded of the payment so far, this refund included. */
    refundedTotal: MoneyView;
    reason: string;
    gatewayReference: string;
    refundedAt: string;
  };
}

const refundSuffix = (refundId: string) => refundId.replace(/^rfd_/, '');
/** One refund is one event and one delivery, whatever the number of jobs the stream produces for it. */
export const refundEventIdFor = (refundId: string) => `evt_${refundSuffix(refundId)}`;
export const refundDeliveryIdFor = (refundId: string) => `dlv_${refundSuffix(refundId)}`;

/** Builds the `payment.refunded` v1 event from the stored refund and its customer. */
export const buildPaymentRefundedEvent = (refund: RefundRecord, customer: CustomerRecord): PaymentRefundedEvent => ({
  id: refundEventIdFor(refund.refundId),
  type: PAYMENT_REFUNDED.type,
  version: PAYMENT_REFUNDED.version,
  timestamp: refund.refundedAt,
  locationId: refund.locationId,
  data: {
    refundId: refund.refundId,
    paymentId: refund.paymentId,
    customer: { id: refund.customerId, externalId: customer.externalId ?? null },
    statement: { id: refund.statementId },
    amount: money(refund.amountMinor, refund.currency),
    paymentAmount: money(refund.paymentAmountMinor, refund.currency),
    refundedTotal: money(refund.refundedTotalMinor, refund.currency),
    reason: refund.reason,
    gatewayReference: refund.gatewayReference,
    refundedAt: refund.refundedAt,
  },
});

/**
 * The `notification.failed` event, version 1: a channel could not reach the customer (hard bounce,
 * complaint, SMS opt-out or carrier failure). The destination is masked; `fallback` names the
 * channel tried instead, or null when there is none. Documented in docs/webhooks.md.
 */
export const NOTIFICATION_FAILED = { type: 'notification.failed', version: 1 } as const;

export interface NotificationFailedEvent {
  id: string;
  type: typeof NOTIFICATION_FAILED.type;
  version: typeof NOTIFICATION_FAILED.version;
  timestamp: string;
  locationId: string;
  data: {
    customer: { id: string; externalId: string | null };
    notification: { id: string; kind: 'statement' | 'receipt' | 'refund' | 'reminder'; status: string };
    channel: 'sms' | 'email';
    destination: string;
    reason: string;
    fallback: 'sms' | 'email' | null;
  };
}

/** A short stable id from text (FNV-1a, 2 × 32 bits): the same failure is the same event. */
const stableId = (text: string): string => {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i += 1) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ text.charCodeAt(i), 0x811c9dc5) >>> 0;
  }
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
};

/** One event (and one delivery) per notification and channel that failed. */
export const notificationFailedIds = (job: Pick<NotificationFailedJob, 'customerId' | 'notificationId' | 'channel'>) => {
  const suffix = `ntf${stableId(`${job.customerId}|${job.notificationId}|${job.channel}`)}`;
  return { eventId: `evt_${suffix}`, deliveryId: `dlv_${suffix}` };
};

export const buildNotificationFailedEvent = (job: NotificationFailedJob, customer: CustomerRecord): NotificationFailedEvent => ({
  id: notificationFailedIds(job).eventId,
  type: NOTIFICATION_FAILED.type,
  version: NOTIFICATION_FAILED.version,
  timestamp: job.failedAt,
  locationId: job.locationId,
  data: {
    customer: { id: job.customerId, externalId: customer.externalId ?? null },
    notification: { id: job.notificationId, kind: job.notificationKind, status: job.status },
    channel: job.channel,
    destination: job.destination,
    reason: job.reason,
    fallback: job.fallback,
  },
});
