import type Stripe from 'stripe';
import { actionFor, attemptOfIntent, CANCELABLE_INTENT_STATES, type StripeEventAction } from '../../domain/stripe-events';
import { settlePayment } from '../../domain/settle-payment';
import { refundRequestIdFor, REFUND_REASONS, type RefundReason, type RefundRecord } from '../../domain/refunds';
import type { PaymentGateway } from '../../domain/payments';
import { newId } from '../../domain/ids';
import { DomainError } from '../../domain/errors';
import { paymentStore, payments } from '../repos';
import { stripeRecordsRepo } from '../repos/stripe-records';
import { requireEnv } from '../adapters/env';
import { ENV } from '../manifest';
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

/**
 * Disputes and failed intents: bound here, not in repos/index.ts, because every function that
 * imports that index would carry this module's SDK require (the pay function's bundle is at its limit).
 */
let records: ReturnType<typeof stripeRecordsRepo> | undefined;
const stripeRecords = () => (records ??= stripeRecordsRepo(requireEnv(ENV.table)));

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

/** Records a dispute on our payment once (keyed by Stripe's dispute id); its INSERT sends `payment.disputed`. */
/**
 * The payment of a disputed charge, through its intent's metadata; or why the event is ignored
 * (not ours, or another account than the payment's). Throws RetryLaterError before the payment is recorded.
 */
const disputedPayment = async (deps: StripeEventDeps, account: string, intentId: string) => {
  const attempt = attemptOfIntent(await deps.intentMetadataOf(account, intentId));
  if (!attempt) return { ignored: { outcome: 'ignored', reason: 'not an intent of ours' } as const };
  const { priorPayment: payment } = await paymentStore().loadForPayment(attempt.customerId, attempt.locationId, attempt.attemptId);
  if (!payment) throw new RetryLaterError('The payment of this charge is not recorded yet; retry later.');
  // Tenants walled off: only the account that took the payment speaks for it.
  if (payment.gatewayAccount !== account) return { ignored: { outcome: 'ignored', reason: 'account does not match the payment' } as const };
  return { payment };
};

const recordDispute = async (deps: StripeEventDeps, action: Extract<StripeEventAction, { kind: 'dispute' }>) => {
  const { payment, ignored } = await disputedPayment(deps, action.account, action.intentId);
  if (!payment) return ignored;
  const { dispute } = action;
  const written = await stripeRecords().recordDispute(
    {
      disputeId: dispute.id, paymentId: payment.paymentId, locationId: payment.locationId, customerId: payment.customerId, statementId: payment.statementId,
      amountMinor: dispute.amountMinor, currency: payment.currency, reason: dispute.reason, status: dispute.status, paymentAmountMinor: payment.amountMinor,
      evidenceDueBy: dispute.evidenceDueBy, openedAt: dispute.openedAt,
    },
    action.account,
  );
  if (written === 'mismatch') return { outcome: 'ignored', reason: 'account does not match the payment' } as const;
  return written === 'recorded' ? ({ outcome: 'recorded', detail: `dispute ${dispute.id}` } as const) : ({ outcome: 'nothing_new', detail: `dispute ${dispute.id}` } as const);
};

/** A decided dispute: its status on the DISPUTE item and the payment (listPayments). No merchant webhook for it yet. */
const closeDispute = async (deps: StripeEventDeps, action: Extract<StripeEventAction, { kind: 'disputeClosed' }>) => {
  const { payment, ignored } = await disputedPayment(deps, action.account, action.intentId);
  if (!payment) return ignored;
  const written = await stripeRecords().closeDispute(payment.customerId, payment.paymentId, action.dispute.id, action.dispute.status);
  if (written === 'unknown') throw new RetryLaterError('This dispute is not recorded yet; retry later.');
  return { outcome: 'recorded', detail: `dispute ${action.dispute.id} ${action.dispute.status}` } as const;
};

/**
 * An intent of ours failed and no payment is recorded for its attempt: nothing was charged. Any
 * hold is released (cancel, with the attempt's void key) and the failure recorded once, which
 * sends `payment.failed`. A recorded payment means the attempt succeeded after all: ignored.
 */
const recordFailure = async (deps: StripeEventDeps, action: Extract<StripeEventAction, { kind: 'failed' }>) => {
  const { attempt } = action;
  const { statement, priorPayment } = await paymentStore().loadForPayment(attempt.customerId, attempt.locationId, attempt.attemptId);
  if (priorPayment) return { outcome: 'ignored', reason: 'a payment is recorded for this attempt' } as const;
  if (!statement || statement.processorAccount !== action.account) return { outcome: 'ignored', reason: 'account does not match the location' } as const;
  if (CANCELABLE_INTENT_STATES.includes(action.status)) await deps.gatewayFor(action.account)?.void(action.intentId, `${attempt.attemptId}:void`);
  const written = await stripeRecords().recordFailure({
    intentId: action.intentId, attemptId: attempt.attemptId, locationId: attempt.locationId, customerId: attempt.customerId, statementVersion: attempt.statementVersion,
    amountMinor: action.amountMinor, currency: statement.currency, code: action.code, failedAt: action.failedAt,
  });
  return { outcome: written === 'recorded' ? 'recorded' : 'nothing_new', detail: `failure of ${action.intentId}` } as const;
};

const run = (deps: StripeEventDeps, action: StripeEventAction) => {
  switch (action.kind) {
    case 'settle': return settle(deps, action);
    case 'refunds': return recordRefunds(deps, action);
    case 'dispute': return recordDispute(deps, action);
    case 'disputeClosed': return closeDispute(deps, action);
    case 'failed': return recordFailure(deps, action);
    default: return Promise.resolve({ outcome: 'ignored', reason: action.reason } as const);
  }
};

/** One verified Stripe event: what it means (domain/stripe-events.ts), done once. */
export const handleStripeEvent = async (deps: StripeEventDeps, event: Stripe.Event) => {
  const action = actionFor(event as unknown as Parameters<typeof actionFor>[0]);
  const result = await run(deps, action);
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
