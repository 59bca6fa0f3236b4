import { refundAmountFor, refundRequestIdFor, PaymentAlreadyRefundedError, RefundExceedsPaymentError } from '../../functions/domain/refunds';
import { jobsForChange } from '../../functions/domain/notifications';
import { sandboxGateway } from '../../functions/shared/adapters/gateway/sandbox';
import { matchesAnyFilter, STREAM_ROUTER_FILTERS } from '../../functions/shared/stream-filters';
import { buildPaymentRefundedEvent } from '../../functions/domain/webhook-event';

const payment = { paymentId: 'pay_01JD3Z8Q6N2V4X7B9C1E5F3G7H', amountMinor: 5000 };

describe('refund amounts', () => {
  it('refunds everything still refundable when no amount is asked', () => {
    expect(refundAmountFor({ ...payment, refundedMinor: 1200 })).toBe(3800);
  });

  it('refuses more than is left, and anything once fully refunded', () => {
    expect(() => refundAmountFor({ ...payment, refundedMinor: 1200 }, 3801)).toThrow(RefundExceedsPaymentError);
    expect(() => refundAmountFor({ ...payment, refundedMinor: 5000 }, 1)).toThrow(PaymentAlreadyRefundedError);
  });

  it('derives one request id per location, payment and Idempotency-Key', () => {
    expect(refundRequestIdFor('loc_a', payment.paymentId, 'k')).toBe(refundRequestIdFor('loc_a', payment.paymentId, 'k'));
    expect(refundRequestIdFor('loc_b', payment.paymentId, 'k')).not.toBe(refundRequestIdFor('loc_a', payment.paymentId, 'k'));
  });
});

describe('sandbox refunds', () => {
  const card = { number: '4111111111111111', expMonth: 1, expYear: 2099, cvv: '123', nameOnCard: 'A' };

  it('refunds a captured payment in parts, never beyond what it captured, and is idempotent on its key', async () => {
    // Prepare
    const gateway = sandboxGateway({ latencyMs: 0 });
    const hold = await gateway.authorize({ idempotencyKey: 'a', amountMinor: 1000, currency: 'USD', source: { kind: 'card', card: card as never }, description: 'x' });
    if (hold.status !== 'approved') throw new Error('not approved');
    await gateway.capture(hold.reference, 'a:capture');
    const request = { reference: hold.reference, currency: 'USD', reason: 'duplicate' as const };

    // Act
    const first = await gateway.refund({ ...request, idempotencyKey: 'r1', amountMinor: 600 });
    const replay = await gateway.refund({ ...request, idempotencyKey: 'r1', amountMinor: 600 });
    const over = await gateway.refund({ ...request, idempotencyKey: 'r2', amountMinor: 401 });
    const rest = await gateway.refund({ ...request, idempotencyKey: 'r3', amountMinor: 400 });

    // Assess
    expect(first.status).toBe('refunded');
    expect(replay).toEqual(first);
    expect(over).toEqual({ status: 'refused', refusal: 'exceeds_captured' });
    expect(rest.status).toBe('refunded');
    expect(gateway.refunds().map((r) => r.amountMinor)).toEqual([600, 400]);
  });

  it('refuses to refund a hold that was never captured', async () => {
    const gateway = sandboxGateway({ latencyMs: 0 });
    const hold = await gateway.authorize({ idempotencyKey: 'a', amountMinor: 1000, currency: 'USD', source: { kind: 'card', card: card as never }, description: 'x' });
    if (hold.status !== 'approved') throw new Error('not approved');
    expect(await gateway.refund({ reference: hold.reference, currency: 'USD', reason: 'duplicate', idempotencyKey: 'r', amountMinor: 1 })).toEqual({ status: 'refused', refusal: 'not_captured' });
  });
});

describe('refunds in the pipeline', () => {
  const refund = {
    type: 'REFUND', refundId: 'rfd_01JD3Z8Q6N2V4X7B9C1E5F3G7H', paymentId: payment.paymentId, customerId: 'cus_1', locationId: 'loc_1', statementId: 'stm_1',
    amountMinor: 700, currency: 'USD', reason: 'duplicate' as const, paymentAmountMinor: 5000, refundedTotalMinor: 700, gatewayReference: 'sbr_1', refundedAt: '2026-12-01T10:00:00.000Z', status: 'completed' as const,
  };

  it('lets a new refund through the stream filter, and not its payment\'s update', () => {
    expect(matchesAnyFilter(STREAM_ROUTER_FILTERS, { eventName: 'INSERT', dynamodb: { NewImage: { type: { S: 'REFUND' } } } })).toBe(true);
    expect(matchesAnyFilter(STREAM_ROUTER_FILTERS, { eventName: 'MODIFY', dynamodb: { NewImage: { type: { S: 'PAYMENT' } } } })).toBe(false);
  });

  it('routes a new refund to a refund notice and a payment.refunded webhook', () => {
    expect(jobsForChange({ eventName: 'INSERT', newImage: refund })).toEqual([
      { queue: 'notification', job: { kind: 'refund', jobId: `refund:${refund.refundId}`, customerId: 'cus_1', locationId: 'loc_1', refundId: refund.refundId } },
      { queue: 'webhook', job: { kind: 'payment.refunded', refundId: refund.refundId, paymentId: payment.paymentId, customerId: 'cus_1', locationId: 'loc_1' } },
    ]);
  });

  it('builds payment.refunded v1 with an event id derived from the refund', () => {
    const event = buildPaymentRefundedEvent(refund, { customerId: 'cus_1', externalId: 'ACCT-1' });
    expect(event).toMatchObject({ id: 'evt_01JD3Z8Q6N2V4X7B9C1E5F3G7H', type: 'payment.refunded', version: 1, data: { amount: { amount: '7.00' }, refundedTotal: { amountMinor: 700 }, customer: { externalId: 'ACCT-1' } } });
  });
});
