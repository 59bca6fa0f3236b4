import { input } from './schema';
import { toRefundView } from '../domain/refunds';
import { created, httpHandler } from '../shared/http/chain';
import { idempotentRoute } from '../shared/adapters/idempotency';
import { refundPaymentRoute } from '../shared/manifest';
import { refundPayment } from '../shared/use-cases/refund-payment';

/** Refunds one of the caller's payments through its gateway and records it; the stream sends `payment.refunded` and the notice. */
export const handler = httpHandler(
  async ({ body, headers }, { caller }) =>
    created(
      toRefundView(
        await refundPayment({ locationId: caller.locationId, paymentId: body.paymentId, amountMinor: body.amount, reason: body.reason, requestKey: headers['idempotency-key'] }),
      ),
    ),
  { route: refundPaymentRoute, input, idempotent: idempotentRoute },
);
