import {
  buildPaymentRecord,
  precheck,
  type PayableStatement,
  type PaymentGateway,
  type PaymentOutcome,
  type PaymentRecord,
  type PaymentSource,
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
  /** The gateway that charges into this processor account; undefined when the location cannot take cards. */
  gatewayFor: (processorAccount: string | undefined) => PaymentGateway | undefined;
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
  source: PaymentSource;
}

/** Keys for the processor, derived from the attempt: a rerun of one attempt sends the same ones. */
const captureKey = (attemptId: string) => `${attemptId}:capture`;
const voidKey = (attemptId: string) => `${attemptId}:void`;

/**
 * Pays a statement at most once per attempt: authorize (a hold), then the conditional ledger
 * transaction, then capture. A transaction that loses a race voids the hold, so a customer is
 * only charged for a payment that is recorded. A rerun of the same attempt (after a crash) finds
 * the guard written by the transaction and only finishes the capture. See docs/payments.md.
 */
export const settlePayment = async (deps: SettleDependencies, request: SettleRequest): Promise<PaymentOutcome> => {
  const { statement, priorPayment } = await deps.store.loadForPayment(request.customerId, request.locationId, request.attemptId);
  if (priorPayment) {
    const gateway = deps.gatewayFor(priorPayment.gatewayAccount);
    if (!gateway) throw new Error(`no gateway for the account of payment ${priorPayment.paymentId}`);
    await gateway.capture(priorPayment.gatewayReference, captureKey(request.attemptId));
    return { kind: 'paid', payment: priorPayment };
  }
  const gateway = statement && deps.gatewayFor(statement.processorAccount);
  const refusal = precheck(statement, request.statementVersion, request.amountMinor);
  if (refusal || !statement?.statementId) {
    // After an authentication step the hold exists already: release it, so a refused payment is never charged.
    if (request.source.kind === 'after_action' && gateway) await gateway.void(request.source.reference, voidKey(request.attemptId)).catch(() => undefined);
    return refusal ?? { kind: 'not_found' };
  }
  if (!gateway) return { kind: 'payments_unavailable' };

  const authorization = await gateway.authorize({
    idempotencyKey: request.attemptId,
    amountMinor: request.amountMinor,
    currency: statement.currency,
    source: request.source,
    description: `Statement ${statement.statementId}`,
    attempt: { customerId: request.customerId, locationId: request.locationId, statementVersion: request.statementVersion },
  });
  if (authorization.status === 'declined') return { kind: 'declined', code: authorization.code };
  if (authorization.status === 'requires_action') return { kind: 'requires_action', reference: authorization.reference, clientSecret: authorization.clientSecret };

  const payment = buildPaymentRecord({
    paymentId: deps.newPaymentId(),
    statement: { ...statement, statementId: statement.statementId },
    amountMinor: request.amountMinor,
    card: authorization.card,
    gatewayReference: authorization.reference,
    gatewayAccount: gateway.name === 'sandbox' ? undefined : statement.processorAccount,
    completedAt: deps.now().toISOString(),
  });
  const written = await deps.store.record(payment, request.attemptId);
  if (written.result === 'conflict') {
    // An unreleased hold lapses on its own at the processor; not charging is what matters here.
    await gateway.void(authorization.reference, voidKey(request.attemptId)).catch(() => undefined);
    return { kind: 'balance_changed' };
  }
  const recorded = written.result === 'duplicate' ? written.payment : payment;
  await gateway.capture(recorded.gatewayReference, captureKey(request.attemptId));
  return { kind: 'paid', payment: recorded };
};
