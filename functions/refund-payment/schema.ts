import * as z from '../domain/zod';
import { MajorUnits } from '../domain/statement';
import { REFUND_REASONS, RefundView } from '../domain/refunds';

/**
 * A refund of one of the location's payments: all of what is still refundable, or `amount` of it
 * (major units, like `balanceDue`). Never more than the payment took, counting earlier refunds.
 */
export const RefundPaymentInput = z.strictObject({
  paymentId: z.string().check(z.regex(/^pay_[0-9A-HJKMNP-TV-Z]{26}$/, 'Not a payment id.')),
  amount: z.optional(z.pipe(MajorUnits, z.int().check(z.positive('Refund at least 0.01.')))),
  reason: z.enum(REFUND_REASONS),
});

export const input = z.object({ body: RefundPaymentInput, headers: z.object({ 'idempotency-key': z.optional(z.string()) }) });

export const response = RefundView;
