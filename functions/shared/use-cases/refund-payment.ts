import { randomUUID } from 'node:crypto';
import { gatewayFor } from '../adapters/gateway';
import { payments } from '../repos';
import { logger } from '../adapters/powertools';
import { nowIso } from '../adapters/clock';
import { newId } from '../../domain/ids';
import { NotFoundError } from '../../domain/errors';
import { DomainError } from '../../domain/errors';
import {
  PaymentAlreadyRefundedError,
  refundAmountFor,
  refundRequestIdFor,
  RefundExceedsPaymentError,
  type RefundReason,
  type RefundRecord,
} from '../../domain/refunds';

export interface RefundPaymentRequest {
  locationId: string;
  paymentId: string;
  /** Omitted: everything still refundable. */
  amountMinor?: number;
  reason: RefundReason;
  /** The merchant's `Idempotency-Key`; without one each request is a new refund request. */
  requestKey?: string;
}

/** Re-reads after a concurrent refund moved the payment's total; the gateway's own check holds meanwhile. */
const MAX_RECORD_TRIES = 3;

/**
 * Refund, then record. A refund request is one gateway idempotency key (its request id), so a
 * retry after a crash between the two gets the same refund back from the gateway and records it
 * once: the request guard in the transaction turns a second record into the first one's answer.
 * The gateway refuses to return more than it captured; the ledger transaction refuses the same,
 * so neither a race nor a replay can refund more than was paid (docs/payments.md, "Refunds").
 */
export const refundPayment = async (request: RefundPaymentRequest): Promise<RefundRecord> => {
  const repo = payments();
  const found = await repo.findInLocation(request.locationId, request.paymentId);
  if (!found) throw new NotFoundError('Payment');
  let payment = found;
  const requestId = refundRequestIdFor(request.locationId, request.paymentId, request.requestKey ?? randomUUID());
  const earlier = await repo.refundOfRequest(payment.customerId, requestId);
  if (earlier) return earlier;
  const amountMinor = refundAmountFor(payment, request.amountMinor);

  const gateway = gatewayFor(payment.gatewayAccount);
  if (!gateway) throw new DomainError('payment_not_refundable', 'conflict', 'The payment was not taken through this stage\'s processor, so it cannot be refunded here.');
  const result = await gateway.refund({
    idempotencyKey: `refund_${requestId}`,
    reference: payment.gatewayReference,
    amountMinor,
    currency: payment.currency,
    reason: request.reason,
  });
  if (result.status === 'refused') {
    logger.warn('refund refused by gateway', { paymentId: payment.paymentId, refusal: result.refusal });
    if (result.refusal === 'not_captured') throw new DomainError('payment_not_refundable', 'conflict', 'The payment has not been captured, so it cannot be refunded.');
    const latest = (await repo.get(payment.customerId, payment.paymentId)) ?? payment;
    throw (latest.refundedMinor ?? 0) >= latest.amountMinor ? new PaymentAlreadyRefundedError(payment.paymentId) : new RefundExceedsPaymentError(latest.amountMinor - (latest.refundedMinor ?? 0));
  }

  const refundId = newId('rfd');
  for (let attempt = 1; ; attempt += 1) {
    const before = payment.refundedMinor ?? 0;
    const refund: RefundRecord = {
      refundId,
      paymentId: payment.paymentId,
      locationId: payment.locationId,
      customerId: payment.customerId,
      statementId: payment.statementId,
      amountMinor,
      currency: payment.currency,
      reason: request.reason,
      paymentAmountMinor: payment.amountMinor,
      refundedTotalMinor: before + amountMinor,
      gatewayReference: result.reference,
      refundedAt: nowIso(),
      status: 'completed',
    };
    const recorded = await repo.recordRefund(refund, requestId, before);
    if (recorded.result === 'recorded') {
      logger.info('payment refunded', { paymentId: refund.paymentId, refundId, amountMinor });
      return refund;
    }
    if (recorded.result === 'duplicate') return recorded.refund;
    const latest = await repo.get(payment.customerId, payment.paymentId);
    if (!latest || attempt >= MAX_RECORD_TRIES) {
      // The gateway refunded but the ledger could not record it: loud, for a human to reconcile.
      logger.error('refund not recorded', { paymentId: payment.paymentId, gatewayReference: result.reference, amountMinor });
      throw new DomainError('concurrent_update', 'conflict', 'The payment changed while this refund ran; retry it with the same Idempotency-Key.');
    }
    payment = latest;
  }
};
