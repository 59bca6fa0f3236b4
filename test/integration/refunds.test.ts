import { Webhook } from 'standardwebhooks';
import { merchantWithLocation, type Merchant } from '../support/api';
import { createCustomer, statementBody } from '../support/fixtures';
import { openPayForm, postPayForm } from '../support/payments';
import { smsTo, uniquePhone } from '../support/outbox';
import { adminTarget, closeWebhookClients, eventually, startReceiver } from '../support/webhooks';
import { setWebhook } from '../../scripts/admin/webhooks';

/**
 * Refunds end to end on the local stack: POST /refundPayment → sandbox gateway → one ledger
 * transaction → table stream → signed `payment.refunded` at the merchant's receiver, and the
 * customer's refund notice in the outbox.
 */

/** A customer (with a phone of its own) who paid `amount` of a 120.00 statement by card. */
const paidPayment = async (merchant: Merchant, amount: string) => {
  const phone = uniquePhone();
  const customerId = await createCustomer(merchant, { primaryPhone: phone, externalId: `ACCT-${Math.random().toString(36).slice(2, 8)}` });
  const statement = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '120.00' }), headers: { 'Location-As-Navigable-Url': 'true' } });
  const statementUrl = statement.headers.get('location')!;
  const paid = await postPayForm(statementUrl, { ...(await openPayForm(statementUrl)), amount });
  if (paid.status !== 200) throw new Error(`payment failed: ${paid.status}`);
  const payment = await eventually(async () => (await merchant.call('GET', '/listPayments', { query: { customerId } })).body.items[0]);
  return { customerId, phone, paymentId: payment.id as string, statementUrl };
};

const refund = (merchant: Merchant, body: Record<string, unknown>, key?: string) =>
  merchant.call('POST', '/refundPayment', { body, headers: key ? { 'Idempotency-Key': key } : {} });

afterAll(() => closeWebhookClients());

describe('POST /refundPayment', () => {
  it('refunds part of a payment, lists it, pushes a signed payment.refunded event and texts the customer', async () => {
    const receiver = await startReceiver();
    const merchant = await merchantWithLocation();
    const { secret } = await setWebhook(adminTarget(), { location: merchant.locationId, url: receiver.url });
    const { customerId, phone, paymentId } = await paidPayment(merchant, '49.95');

    const refunded = await refund(merchant, { paymentId, amount: '10.00', reason: 'requested_by_customer' }, 'rf-1');

    expect(refunded.status).toBe(201);
    expect(refunded.body).toMatchObject({ paymentId, customerId, amountMinor: 1000, amount: '10.00', currency: 'USD', paymentAmountMinor: 4995, refundedTotalMinor: 1000, status: 'completed' });
    expect(refunded.body.id).toMatch(/^rfd_/);
    expect(refunded.body.gatewayReference).toMatch(/^sbr_/);
    const listed = (await merchant.call('GET', '/listPayments', { query: { customerId } })).body.items[0];
    expect(listed).toMatchObject({ id: paymentId, amountMinor: 4995, refundedMinor: 1000, refunded: '10.00' });

    const request = await eventually(() => receiver.received.find((r) => JSON.parse(r.body).type === 'payment.refunded'));
    const event = new Webhook(secret).verify(request.body, request.headers) as any;
    expect(event).toMatchObject({
      id: request.headers['webhook-id'],
      type: 'payment.refunded',
      version: 1,
      locationId: merchant.locationId,
      data: {
        refundId: refunded.body.id,
        paymentId,
        customer: { id: customerId },
        amount: { amountMinor: 1000, amount: '10.00', currency: 'USD' },
        paymentAmount: { amountMinor: 4995 },
        refundedTotal: { amountMinor: 1000 },
        reason: 'requested_by_customer',
      },
    });
    const notice = await eventually(async () => (await smsTo(phone)).find((sms) => /refund of \$10\.00/.test(sms.body)));
    expect(notice.body).toMatch(/Sunrise Dental: refund of \$10\.00 to your card/);
    const notifications = (await merchant.call('GET', '/listNotifications', { query: { customerId } })).body.items as any[];
    expect(notifications.map((n) => n.kind)).toContain('refund');
    await receiver.close();
  });

  it('refunds everything left when no amount is given, then refuses any more', async () => {
    const merchant = await merchantWithLocation();
    const { paymentId } = await paidPayment(merchant, '30.00');
    await refund(merchant, { paymentId, amount: 5, reason: 'duplicate' });

    const rest = await refund(merchant, { paymentId, reason: 'duplicate' });
    const more = await refund(merchant, { paymentId, amount: '0.01', reason: 'duplicate' });

    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ amountMinor: 2500, refundedTotalMinor: 3000 });
    expect(more.status).toBe(409);
    expect(more.body.error.code).toBe('payment_already_refunded');
  });

  it('refuses a refund over what is left, and never refunds more than was paid in total', async () => {
    const merchant = await merchantWithLocation();
    const { customerId, paymentId } = await paidPayment(merchant, '20.00');

    const over = await refund(merchant, { paymentId, amount: '20.01', reason: 'requested_by_customer' });
    const racing = await Promise.all([1, 2, 3].map((i) => refund(merchant, { paymentId, amount: '8.00', reason: 'requested_by_customer' }, `race-${i}`)));

    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'refund_exceeds_payment' });
    expect(racing.map((r) => r.status).sort()).toEqual([201, 201, 409]);
    const listed = (await merchant.call('GET', '/listPayments', { query: { customerId } })).body.items[0];
    expect(listed.refundedMinor).toBe(1600);
  });

  it('answers a retry with the same Idempotency-Key with the first refund, and refuses a second full refund under another key', async () => {
    const merchant = await merchantWithLocation();
    const { customerId, paymentId } = await paidPayment(merchant, '15.00');

    const first = await refund(merchant, { paymentId, reason: 'duplicate' }, 'same-key');
    const retry = await refund(merchant, { paymentId, reason: 'duplicate' }, 'same-key');
    const reused = await refund(merchant, { paymentId, amount: '1.00', reason: 'duplicate' }, 'same-key');
    const otherKey = await refund(merchant, { paymentId, reason: 'duplicate' }, 'other-key');

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(reused.status).toBe(422);
    expect(otherKey.status).toBe(409);
    expect(otherKey.body.error.code).toBe('payment_already_refunded');
    const listed = (await merchant.call('GET', '/listPayments', { query: { customerId } })).body.items[0];
    expect(listed.refundedMinor).toBe(1500);
  });

  it("answers 404 for another location's payment and for an unknown one, and refunds nothing", async () => {
    const owner = await merchantWithLocation();
    const other = await merchantWithLocation();
    const { customerId, paymentId } = await paidPayment(owner, '12.00');

    const foreign = await refund(other, { paymentId, reason: 'fraudulent' });
    const unknown = await refund(other, { paymentId: 'pay_01JD3Z8Q6N2V4X7B9C1E5F3G7H', reason: 'fraudulent' });
    const invalid = await refund(owner, { paymentId, amount: '0', reason: 'because' });

    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('payment_not_found');
    expect(unknown.status).toBe(404);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['amount', 'reason']);
    const listed = (await owner.call('GET', '/listPayments', { query: { customerId } })).body.items[0];
    expect(listed.refundedMinor).toBe(0);
  });
});
