import { buildPaymentCompletedEvent, deliveryIdFor, eventIdFor, type PaymentRecord } from '../../functions/domain/webhook-event';

const payment: PaymentRecord = {
  paymentId: 'pay_01JD3Z8Q6N2V4X7B9C1E5F3G7H',
  locationId: 'loc_01JD3Z8Q6N2V4X7B9C1E5F3G7A',
  customerId: 'cus_01JD3Z8Q6N2V4X7B9C1E5F3G7B',
  statementId: 'stm_01JD3Z8Q6N2V4X7B9C1E5F3G7C',
  statementVersion: 3,
  amountMinor: 4995,
  currency: 'USD',
  remainingBeforeMinor: 12000,
  remainingAfterMinor: 7005,
  cardBrand: 'visa',
  cardLast4: '4242',
  gatewayReference: 'sbx_ch_123',
  completedAt: '2026-11-24T18:00:00.000Z',
};

describe('payment.completed event', () => {
  it('carries everything the merchant needs, money as cents and as a decimal string', () => {
    const event = buildPaymentCompletedEvent(payment, { customerId: payment.customerId, externalId: 'ACCT-42' });

    expect(event).toEqual({
      id: 'evt_01JD3Z8Q6N2V4X7B9C1E5F3G7H',
      type: 'payment.completed',
      version: 1,
      timestamp: '2026-11-24T18:00:00.000Z',
      locationId: payment.locationId,
      data: {
        paymentId: payment.paymentId,
        customer: { id: payment.customerId, externalId: 'ACCT-42' },
        statement: { id: payment.statementId, version: 3 },
        amount: { amountMinor: 4995, amount: '49.95', currency: 'USD' },
        balanceBefore: { amountMinor: 12000, amount: '120.00', currency: 'USD' },
        remainingAfter: { amountMinor: 7005, amount: '70.05', currency: 'USD' },
        card: { brand: 'visa', last4: '4242' },
        gatewayReference: 'sbx_ch_123',
        completedAt: '2026-11-24T18:00:00.000Z',
      },
    });
  });

  it('has a null externalId when the customer has none', () => {
    expect(buildPaymentCompletedEvent(payment, { customerId: payment.customerId }).data.customer.externalId).toBeNull();
  });

  it('derives the event and delivery ids from the payment, so duplicate jobs map to one delivery', () => {
    expect(eventIdFor(payment.paymentId)).toBe(eventIdFor(payment.paymentId));
    expect(deliveryIdFor(payment.paymentId)).toBe('dlv_01JD3Z8Q6N2V4X7B9C1E5F3G7H');
  });

  it('never contains card data beyond brand and last four', () => {
    const text = JSON.stringify(buildPaymentCompletedEvent({ ...payment, cardExpMonth: 12, cardNumber: '4242424242424242' } as PaymentRecord, { customerId: payment.customerId }));
    expect(text).not.toContain('4242424242424242');
    expect(text).not.toContain('cardExp');
  });
});
