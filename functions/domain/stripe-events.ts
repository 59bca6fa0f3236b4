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
  | { kind: 'ignore'; reason: string };

/** The events the platform's Connect endpoint should send (README, deploy section). */
export const STRIPE_EVENTS_HANDLED = ['payment_intent.amount_capturable_updated', 'charge.refunded'] as const;

interface EventLike {
  type: string;
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
