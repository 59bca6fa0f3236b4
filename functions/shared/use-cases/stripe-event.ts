import type Stripe from 'stripe';
import { actionFor, attemptOfIntent, type StripeEventAction } from '../../domain/stripe-events';
import { settlePayment } from '../../domain/settle-payment';
import { refundRequestIdFor, REFUND_REASONS, type RefundReason, type RefundRecord } from '../../domain/refunds';
import type { PaymentGateway } from '../../domain/payments';
import { newId } from '../../domain/ids';
import { DomainError } from '../../domain/errors';
import { paymentStore, payments } from '../repos';
import { logger } from '../adapters/powertools';

/** A refund as Stripe lists it for an intent; `ours` when POST /refundPayment made it (its metadata names our request). */
export interface ProcessorRefund {
  id: string;
  amountMinor: number;
  reason?: string | null;
  status: string;
  ours: boolean;
}

export interface StripeEventDeps {
  /** The platform's SDK client: verifies signatures (`webhooks.constructEvent`) and lists refunds. */
  stripe: Stripe;
  webhookSecret: string;
  now: () => Date;
  gatewayFor: (account: string | undefined) => PaymentGateway | undefined;
  /** The refunds Stripe has on an intent of a connected account. */
  refundsOf: (account: string, intentId: string) => Promise<ProcessorRefund[]>;
  /** An intent's metadata (which attempt it is), from Stripe. */
  intentMetadataOf: (account: string, intentId: string) => Promise<Record<string, string>>;
}

/** Stripe's answer for an intent's metadata, on the connected account. */
export const stripeIntentMetadataOf = (stripe: Stripe) => async (account: string, intentId: string) =>
  (await stripe.paymentIntents.retrieve(intentId, {}, { stripeAccount: account })).metadata ?? {};

/** Stripe retries a delivery we do not acknowledge with 2xx; this one asks for that (the payment is not recorded yet). */
export class RetryLaterError extends DomainError {
  constructor(message: string) {
    super('stripe_event_early', 'conflict', message);
  }
}

/** Stripe's own refund listing, on the connected account. */
export const stripeRefundsOf = (stripe: Stripe) => async (account: string, intentId: string): Promise<ProcessorRefund[]> => {
  const refunds: ProcessorRefund[] = [];
  for await (const refund of stripe.refunds.list({ payment_intent: intentId, limit: 100 }, { stripeAccount: account })) {
    refunds.push({ id: refund.id, amountMinor: refund.amount, reason: refund.reason, status: refund.status ?? 'pending', ours: Boolean(refund.metadata?.request) });
  }
  return refunds;
};

/**
 * Verifies a delivery to POST /stripeWebhook with the SDK (signature and a 5-minute tolerance, on
 * our clock) and returns the event; throws `StripeSignatureVerificationError` for a forged or stale one.
 */
export const verifyStripeEvent = (deps: Pick<StripeEventDeps, 'stripe' | 'webhookSecret' | 'now'>, rawBody: string, signature: string): Stripe.Event =>
  deps.stripe.webhooks.constructEvent(rawBody, signature, deps.webhookSecret, undefined, undefined, deps.now().getTime());

const settle = async (deps: StripeEventDeps, action: Extract<StripeEventAction, { kind: 'settle' }>) => {
  const store = paymentStore();
  const { statement } = await store.loadForPayment(action.attempt.customerId, action.attempt.locationId, action.attempt.attemptId);
  // Tenants walled off: the event's account must be the one the location is paid into.
  if (statement && statement.processorAccount !== action.account) return { outcome: 'ignored', reason: 'account does not match the location' } as const;
  const outcome = await settlePayment(
    { gatewayFor: deps.gatewayFor, store, newPaymentId: () => newId('pay'), now: deps.now },
    { ...action.attempt, amountMinor: action.amountMinor, source: { kind: 'after_action', reference: action.intentId } },
  );
  return { outcome: outcome.kind === 'paid' ? 'recorded' : 'not_recorded', detail: outcome.kind } as const;
};

const reasonOf = (reason: string | null | undefined): RefundReason =>
  (REFUND_REASONS as readonly string[]).includes(reason ?? '') ? (reason as RefundReason) : 'requested_by_customer';

/** Records each refund made outside our API (Stripe's dashboard) once, keyed by its Stripe id. */
const recordRefunds = async (deps: StripeEventDeps, action: Extract<StripeEventAction, { kind: 'refunds' }>) => {
  const attempt = attemptOfIntent(await deps.intentMetadataOf(action.account, action.intentId));
  if (!attempt) return { outcome: 'ignored', reason: 'not an intent of ours' } as const;
  const { priorPayment } = await paymentStore().loadForPayment(attempt.customerId, attempt.locationId, attempt.attemptId);
  if (!priorPayment) throw new RetryLaterError('The payment of this charge is not recorded yet; retry later.');
  if (priorPayment.gatewayAccount !== action.account) return { outcome: 'ignored', reason: 'account does not match the payment' } as const;
  const repo = payments();
  let recorded = 0;
  for (const refund of await deps.refundsOf(action.account, action.intentId)) {
    if (refund.ours || refund.status === 'failed' || refund.status === 'canceled') continue;
    const requestId = refundRequestIdFor(priorPayment.locationId, priorPayment.paymentId, `stripe:${refund.id}`);
    if (await repo.refundOfRequest(priorPayment.customerId, requestId)) continue;
    for (let tries = 0; tries < 3; tries += 1) {
      const payment = (await repo.get(priorPayment.customerId, priorPayment.paymentId)) ?? priorPayment;
      const before = payment.refundedMinor ?? 0;
      const record: RefundRecord = {
        refundId: newId('rfd'), paymentId: payment.paymentId, locationId: payment.locationId, customerId: payment.customerId, statementId: payment.statementId,
        amountMinor: refund.amountMinor, currency: payment.currency, reason: reasonOf(refund.reason), paymentAmountMinor: payment.amountMinor,
        refundedTotalMinor: before + refund.amountMinor, gatewayReference: refund.id, refundedAt: deps.now().toISOString(), status: 'completed',
      };
      const written = await repo.recordRefund(record, requestId, before);
      if (written.result === 'recorded') recorded += 1;
      if (written.result !== 'conflict') break;
    }
  }
  return { outcome: recorded ? 'recorded' : 'nothing_new', detail: `${recorded} refund(s)` } as const;
};

/** One verified Stripe event: what it means (domain/stripe-events.ts), done once. */
export const handleStripeEvent = async (deps: StripeEventDeps, event: Stripe.Event) => {
  const action = actionFor(event as unknown as Parameters<typeof actionFor>[0]);
  const result = action.kind === 'settle' ? await settle(deps, action) : action.kind === 'refunds' ? await recordRefunds(deps, action) : ({ outcome: 'ignored', reason: action.reason } as const);
  logger.info('stripe event', { eventId: event.id, type: event.type, ...result });
  return { received: true, eventId: event.id, ...result };
};

/** A delivery: a forged, altered or stale one is refused (400) before anything is read or written. */
export const processStripeDelivery = async (deps: StripeEventDeps, rawBody: string, signature: string) => {
  let verified: Stripe.Event;
  try {
    verified = verifyStripeEvent(deps, rawBody, signature);
  } catch {
    throw new DomainError('invalid_signature', 'invalid', 'The Stripe-Signature header does not match the body, or is too old.');
  }
  return handleStripeEvent(deps, verified);
};
