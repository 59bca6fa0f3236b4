import type { CardDetails } from './card';
import { summariseCard } from './card';
import {
  buildPaymentRecord,
  precheck,
  type PayableStatement,
  type PaymentGateway,
  type PaymentOutcome,
  type PaymentRecord,
} from './payments';

/** The storage port the payment flow needs (adapter: `shared/repos/payments.ts`). */
export interface PaymentStore {
  /** The statement as it is now, and the payment an earlier run of this attempt already recorded. */
  loadForPayment(customerId: string, locationId: string, attemptId: string): Promise<{ statement?: PayableStatement; priorPayment?: PaymentRecord }>;
  /**
   * Writes the payment, the attempt guard and the statement's paid/remaining amounts in ONE
   * conditional transaction (`version = :v AND remainingMinor >= :amount`).
   */
  record(payment: PaymentRecord, attemptId: string): Promise<{ result: 'recorded' } | { result: 'duplicate'; payment: PaymentRecord } | { result: 'conflict' }>;
}

export interface SettleDependencies {
  gateway: PaymentGateway;
  store: PaymentStore;
  newPaymentId: () => string;
  now: () => Date;
}

export interface SettleRequest {
  attemptId: string;
  customerId: string;
  locationId: string;
  statementVersion: number;
  amountMinor: number;
  card: CardDetails;
}

/**
 * Pays a statement at most once per attempt: authorize (a hold), then the conditional ledger
 * transaction, then capture. A transaction that loses a race voids the hold, so a customer is
 * only charged for a payment that is recorded. A rerun of the same attempt (after a crash) finds
 * the guard written by the transaction and only finishes the capture. See docs/payments.md.
 */
export const settlePayment = async (deps: SettleDependencies, request: SettleRequest): Promise<PaymentOutcome> => {
  const { statement, priorPayment } = await deps.store.loadForPayment(request.customerId, request.locationId, request.attemptId);
  if (priorPayment) {
    await deps.gateway.capture(priorPayment.gatewayReference);
    return { kind: 'paid', payment: priorPayment };
  }
  const refusal = precheck(statement, request.statementVersion, request.amountMinor);
  if (refusal || !statement?.statementId) return refusal ?? { kind: 'not_found' };

  const authorization = await deps.gateway.authorize({
    idempotencyKey: request.attemptId,
    amountMinor: request.amountMinor,
    currency: statement.currency,
    card: request.card,
    description: `Statement ${statement.statementId}`,
  });
  if (authorization.status === 'declined') return { kind: 'declined', code: authorization.code };

  const payment = buildPaymentRecord({
    paymentId: deps.newPaymentId(),
    statement: { ...statement, statementId: statement.statementId },
    amountMinor: request.amountMinor,
    card: summariseCard(request.card),
    gatewayReference: authorization.reference,
    completedAt: deps.now().toISOString(),
  });
  const written = await deps.store.record(payment, request.attemptId);
  if (written.result === 'conflict') {
    // An unreleased hold lapses on its own at the processor; not charging is what matters here.
    await deps.gateway.void(authorization.reference).catch(() => undefined);
    return { kind: 'balance_changed' };
  }
  const recorded = written.result === 'duplicate' ? written.payment : payment;
  await deps.gateway.capture(recorded.gatewayReference);
  return { kind: 'paid', payment: recorded };
};
