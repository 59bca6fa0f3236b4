import { createHash } from 'node:crypto';
import * as z from './zod';
import { defineSchema } from './zod';
import { DomainError } from './errors';
import { MajorUnitsString, MinorUnits, toMajorString } from './money';
import type { PaymentRecord } from './payments';

/** Why the merchant refunds; the same three values Stripe's Refund `reason` takes. */
export const REFUND_REASONS = ['requested_by_customer', 'duplicate', 'fraudulent'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

/** A completed refund as stored: one item per refund, next to its payment (docs/payments.md). */
export interface RefundRecord {
  refundId: string;
  paymentId: string;
  locationId: string;
  customerId: string;
  statementId: string;
  amountMinor: number;
  currency: string;
  reason: RefundReason;
  /** What the payment took, and how much of it is refunded with this refund included. */
  paymentAmountMinor: number;
  refundedTotalMinor: number;
  gatewayReference: string;
  refundedAt: string;
  status: 'completed';
}

/** A payment that is already refunded in full. */
export class PaymentAlreadyRefundedError extends DomainError {
  constructor(paymentId: string) {
    super('payment_already_refunded', 'conflict', `Payment ${paymentId} is already refunded in full.`);
  }
}

/** A refund that would return more than the payment took, counting earlier refunds. */
export class RefundExceedsPaymentError extends DomainError {
  constructor(refundableMinor: number) {
    super('refund_exceeds_payment', 'conflict', `At most ${toMajorString(refundableMinor)} of this payment can still be refunded.`, { refundableMinor });
  }
}

/** What is left to refund of a payment. */
export const refundableOf = (payment: Pick<PaymentRecord, 'amountMinor'> & { refundedMinor?: number }): number =>
  payment.amountMinor - (payment.refundedMinor ?? 0);

/**
 * The amount a refund request may return: the requested amount, or everything still refundable
 * when none is given. Throws when nothing, or less than asked, is left. The ledger transaction
 * checks the same against the stored payment, so this only saves a gateway call.
 */
export const refundAmountFor = (payment: Pick<PaymentRecord, 'paymentId' | 'amountMinor'> & { refundedMinor?: number }, requestedMinor?: number): number => {
  const refundable = refundableOf(payment);
  if (refundable <= 0) throw new PaymentAlreadyRefundedError(payment.paymentId);
  const amount = requestedMinor ?? refundable;
  if (amount > refundable) throw new RefundExceedsPaymentError(refundable);
  return amount;
};

/**
 * One refund request of a location for a payment, hashed: the gateway's idempotency key and the
 * key of the request guard item, so a retry (same `Idempotency-Key`) never refunds twice.
 */
export const refundRequestIdFor = (locationId: string, paymentId: string, requestKey: string): string =>
  createHash('sha256').update(`${locationId}|${paymentId}|${requestKey}`).digest('base64url').slice(0, 32);

export const RefundView = /* @__PURE__ */ defineSchema(() =>
  z
    .strictObject({
      id: z.string().check(z.meta({ example: 'rfd_01JD3Z8Q6N2V4X7B9C1E5F3G7H' })),
      paymentId: z.string(),
      customerId: z.string(),
      locationId: z.string(),
      statementId: z.string(),
      amount: MajorUnitsString,
      amountMinor: MinorUnits,
      currency: z.string(),
      reason: z.enum(REFUND_REASONS),
      paymentAmountMinor: z.int().check(z.meta({ description: 'What the payment took.' })),
      refundedTotalMinor: z.int().check(z.meta({ description: 'Refunded of the payment so far, this refund included.' })),
      gatewayReference: z.string(),
      status: z.literal('completed'),
      refundedAt: z.iso.datetime(),
    })
    .check(z.meta({ id: 'Refund' })),
);
export type RefundView = z.infer<typeof RefundView>;

export const toRefundView = (r: RefundRecord): RefundView => ({
  id: r.refundId,
  paymentId: r.paymentId,
  customerId: r.customerId,
  locationId: r.locationId,
  statementId: r.statementId,
  amount: toMajorString(r.amountMinor),
  amountMinor: r.amountMinor,
  currency: r.currency,
  reason: r.reason,
  paymentAmountMinor: r.paymentAmountMinor,
  refundedTotalMinor: r.refundedTotalMinor,
  gatewayReference: r.gatewayReference,
  status: r.status,
  refundedAt: r.refundedAt,
});
