/**
 * What a Stripe event (delivered to POST /stripeWebhook, already verified) means for our records.
 * Pure: the use case (shared/use-cases/stripe-event.ts) does the reads and writes. Every action is
 * idempotent on ids Stripe and we share (the attempt guard, one refund request per Stripe refund),
 * so a duplicate or out-of-order delivery changes nothing twice.
 */

/** The attempt a PaymentIntent belongs to, from the metadata the adapter sets when it creates it. */
export interface IntentAttempt {
  attemptId: string;
  customerId: string;
  locationId: string;
  statementVersion: number;
}

export type StripeEventAction =
  /** A hold placed after the page closed (an authentication finished later): record and capture it once. */
  | { kind: 'settle'; account: string; intentId: string; amountMinor: number; attempt: IntentAttempt }
  /** Refunds changed on a charge (e.g. made in Stripe's dashboard): record the ones we did not make. */
  | { kind: 'refunds'; account: string; intentId: string }
  /** A dispute opened on a charge: record it on our payment once (keyed by Stripe's dispute id) and tell the merchant. */
  | { kind: 'dispute'; account: string; intentId: string; dispute: StripeDispute }
  /** A dispute was decided (`won`, `lost`, `warning_closed`): its status on our records, nothing else. */
  | { kind: 'disputeClosed'; account: string; intentId: string; dispute: StripeDispute }
  /** An intent of ours failed (e.g. 3-D Secure after the page closed): release any hold and tell the merchant, unless it was paid. */
  | { kind: 'failed'; account: string; intentId: string; amountMinor: number; status: string; code: string; failedAt: string; attempt: IntentAttempt }
  | { kind: 'ignore'; reason: string };

/** The events the platform's Connect endpoint should send (README, deploy section). */
export const STRIPE_EVENTS_HANDLED = ['payment_intent.amount_capturable_updated', 'charge.refunded', 'charge.dispute.created', 'charge.dispute.closed', 'payment_intent.payment_failed'] as const;

/** What a dispute event tells us, read from Stripe's Dispute object. */
export interface StripeDispute {
  id: string;
  amountMinor: number;
  reason: string;
  status: string;
  evidenceDueBy: string | null;
  openedAt: string;
}

/** An intent in one of these states can still be cancelled, which releases any hold (Stripe's PaymentIntent lifecycle). */
export const CANCELABLE_INTENT_STATES: readonly string[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];

const isoOf = (seconds: unknown): string | null => (typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : null);

const disputeOf = (object: Record<string, unknown>): StripeDispute | undefined => {
  const due = (object.evidence_details as { due_by?: unknown } | undefined)?.due_by;
  const openedAt = isoOf(object.created);
  return typeof object.id === 'string' && typeof object.amount === 'number' && Number.isInteger(object.amount) && object.amount > 0 && openedAt
    ? { id: object.id, amountMinor: object.amount, reason: typeof object.reason === 'string' ? object.reason : 'general', status: typeof object.status === 'string' ? object.status : 'needs_response', evidenceDueBy: isoOf(due), openedAt }
    : undefined;
};

/** Stripe's decline code, else its error code, else a plain `payment_failed`. */
const failureCodeOf = (object: Record<string, unknown>): string => {
  const error = (object.last_payment_error ?? {}) as { decline_code?: unknown; code?: unknown };
  const code = typeof error.decline_code === 'string' ? error.decline_code : typeof error.code === 'string' ? error.code : 'payment_failed';
  return code.slice(0, 64);
};

interface EventLike {
  type: string;
  created?: number;
  account?: string | null;
  data: { object: Record<string, unknown> };
}

/** The attempt written into an intent's metadata, or undefined when it is not one of ours. */
export const attemptOfIntent = (metadata: unknown): IntentAttempt | undefined => {
  const m = (metadata ?? {}) as Record<string, unknown>;
  const version = Number(m.statementVersion);
  return typeof m.attempt === 'string' && typeof m.customer === 'string' && typeof m.location === 'string' && Number.isInteger(version) && version > 0
    ? { attemptId: m.attempt, customerId: m.customer, locationId: m.location, statementVersion: version }
    : undefined;
};

export const actionFor = (event: EventLike): StripeEventAction => {
  // Direct charges live on the location's connected account; an event without one is not a location's.
  if (!event.account) return { kind: 'ignore', reason: 'not a connected account event' };
  const object = event.data.object;
  switch (event.type) {
    case 'charge.dispute.created':
    case 'charge.dispute.closed': {
      const dispute = disputeOf(object);
      if (!dispute) return { kind: 'ignore', reason: 'not a dispute' };
      if (typeof object.payment_intent !== 'string') return { kind: 'ignore', reason: 'a dispute without an intent' };
      return { kind: event.type === 'charge.dispute.created' ? 'dispute' : 'disputeClosed', account: event.account, intentId: object.payment_intent, dispute };
    }
    case 'payment_intent.payment_failed': {
      const attempt = attemptOfIntent(object.metadata);
      const failedAt = isoOf(event.created);
      if (!attempt || typeof object.id !== 'string' || typeof object.amount !== 'number' || !failedAt) return { kind: 'ignore', reason: 'not an intent of ours' };
      return { kind: 'failed', account: event.account, intentId: object.id, amountMinor: object.amount, status: String(object.status ?? ''), code: failureCodeOf(object), failedAt, attempt };
    }
    case 'payment_intent.amount_capturable_updated': {
      const attempt = attemptOfIntent(object.metadata);
      if (!attempt || typeof object.id !== 'string' || typeof object.amount !== 'number') return { kind: 'ignore', reason: 'not an intent of ours' };
      return { kind: 'settle', account: event.account, intentId: object.id, amountMinor: object.amount, attempt };
    }
    case 'charge.refunded':
      return typeof object.payment_intent === 'string' ? { kind: 'refunds', account: event.account, intentId: object.payment_intent } : { kind: 'ignore', reason: 'a charge without an intent' };
    default:
      return { kind: 'ignore', reason: `${event.type} is not handled` };
  }
};
