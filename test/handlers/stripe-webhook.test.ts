import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { adminTarget, closeWebhookClients, eventually, startReceiver } from '../support/webhooks';
import { setWebhook } from '../../scripts/admin/webhooks';
import { merchantWithLocation, type Merchant } from '../support/api';
import { call } from '../support/api';
import { testClients } from '../support/clients';
import { stackInfo } from '../support/stack-info';
import { customerWithStatement } from '../support/payments';
import { addSeconds, testNow } from '../support/clock';
import type { PaymentGateway } from '../../functions/domain/payments';
import type { ProcessorRefund, StripeEventDeps } from '../../functions/shared/use-cases/stripe-event';

const { processStripeDelivery } = require('../../functions/shared/use-cases/stripe-event') as typeof import('../../functions/shared/use-cases/stripe-event');
const { locationsRepo } = require('../../functions/shared/repos/locations') as typeof import('../../functions/shared/repos/locations');

const SECRET = 'whsec_dGVzdHNlY3JldA';
const stripe = new Stripe('sk_test_webhooks');

/**
 * Stripe's side, as our own ports see it: what Stripe holds for the connected account (intents'
 * metadata, refunds) and the gateway that settles an intent. The SDK itself verifies the
 * signatures, made with its own `webhooks.generateTestHeaderString`.
 */
const stripeSide = () => {
  const metadata = new Map<string, Record<string, string>>();
  const refunds = new Map<string, ProcessorRefund[]>();
  const calls: string[] = [];
  const gateway: PaymentGateway = {
    name: 'stripe',
    authorize: async (r) => {
      calls.push(`authorize ${r.source.kind}`);
      return { status: 'approved', reference: r.source.kind === 'after_action' ? r.source.reference : 'pi_x', authorizedAt: testNow().toISOString(), card: { brand: 'Visa', last4: '4242', expMonth: 4, expYear: 2031 } };
    },
    capture: async (ref, key) => void calls.push(`capture ${ref} ${key}`),
    void: async (ref, key) => void calls.push(`void ${ref} ${key}`),
    refund: async () => ({ status: 'refused', refusal: 'not_captured' }),
  };
  const deps: StripeEventDeps = {
    stripe,
    webhookSecret: SECRET,
    now: () => testNow(),
    gatewayFor: (account) => (account ? gateway : undefined),
    refundsOf: async (_account, intentId) => refunds.get(intentId) ?? [],
    intentMetadataOf: async (_account, intentId) => metadata.get(intentId) ?? {},
  };
  return { deps, metadata, refunds, calls };
};

let sequence = 0;
const eventOf = (type: string, account: string, object: Record<string, unknown>) => ({
  id: `evt_test_${Date.now()}_${++sequence}`, object: 'event', type, account, api_version: '2026-10-28.endive', created: Math.floor(Date.now() / 1000),
  livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object },
});

/** A delivery as Stripe sends it: the JSON body and its Stripe-Signature header. */
const signed = (event: object, options: { secret?: string; at?: Date } = {}) => {
  const payload = JSON.stringify(event);
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? SECRET, timestamp: Math.floor((options.at ?? testNow()).getTime() / 1000) });
  return { payload, header };
};

const itemsOf = async (customerId: string, type: string) => {
  const { Items } = await testClients().documents.send(
    new QueryCommand({ TableName: stackInfo().names.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}` } }),
  );
  return (Items ?? []).filter((item) => item.type === type);
};

afterAll(() => closeWebhookClients());

describe('Stripe webhooks (POST /stripeWebhook)', () => {
  const account = 'acct_1WebhookClinic00';
  let merchant: Merchant;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let webhookSecret: string;
  beforeAll(async () => {
    merchant = await merchantWithLocation({ name: 'Webhook Clinic' });
    await locationsRepo(stackInfo().names.table, testClients().documents).setProcessor(merchant.locationId, { processor: 'stripe', accountId: account, connectedAt: new Date().toISOString() });
    receiver = await startReceiver();
    webhookSecret = (await setWebhook(adminTarget(), { location: merchant.locationId, url: receiver.url })).secret;
  });
  afterAll(() => receiver.close());

  /** The merchant's verified events of a type about one id (the receiver checks nothing; Standard Webhooks' library does). */
  const merchantEvents = (type: string, about: (event: any) => boolean) =>
    receiver.received.map((r) => new Webhook(webhookSecret).verify(r.body, r.headers) as any).filter((e) => e.type === type && about(e));

  const capturable = (intentId: string, customerId: string, amount: number, attempt: string) => ({
    id: intentId, object: 'payment_intent', amount, currency: 'usd', status: 'requires_capture',
    metadata: { attempt, customer: customerId, location: merchant.locationId, statementVersion: '1' },
  });

  it('refuses a forged, an altered and a stale delivery, and changes nothing', async () => {
    // Prepare
    const { customerId } = await customerWithStatement(merchant);
    const side = stripeSide();
    const event = eventOf('payment_intent.amount_capturable_updated', account, capturable('pi_forged', customerId, 2000, 'att_forged'));
    const forged = signed(event, { secret: 'whsec_bm90dGhlc2VjcmV0' });
    const good = signed(event);
    const stale = signed(event, { at: addSeconds(testNow(), -10 * 60) });

    // Act / Assess
    await expect(processStripeDelivery(side.deps, forged.payload, forged.header)).rejects.toMatchObject({ code: 'invalid_signature' });
    await expect(processStripeDelivery(side.deps, good.payload.replace('2000', '1'), good.header)).rejects.toMatchObject({ code: 'invalid_signature' });
    await expect(processStripeDelivery(side.deps, stale.payload, stale.header)).rejects.toMatchObject({ code: 'invalid_signature' });
    expect(side.calls).toEqual([]);
    expect(await itemsOf(customerId, 'PAYMENT')).toEqual([]);
  });

  it('records and captures a payment that completed after the page closed, once however often the event comes', async () => {
    // Prepare
    const { customerId } = await customerWithStatement(merchant);
    const side = stripeSide();
    const event = eventOf('payment_intent.amount_capturable_updated', account, capturable('pi_late', customerId, 2500, 'att_late'));

    // Act: the delivery, Stripe's retry of it, and a replay of the same signed bytes
    const first = signed(event);
    const answers = [
      await processStripeDelivery(side.deps, first.payload, first.header),
      await processStripeDelivery(side.deps, first.payload, first.header),
      await processStripeDelivery(side.deps, signed(event).payload, signed(event).header),
    ];

    // Assess
    expect(answers.map((a) => a.outcome)).toEqual(['recorded', 'recorded', 'recorded']);
    const payments = await itemsOf(customerId, 'PAYMENT');
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ amountMinor: 2500, gatewayReference: 'pi_late', gatewayAccount: account, cardLast4: '4242' });
    expect(side.calls.filter((c) => c.startsWith('authorize'))).toHaveLength(1);
    expect(new Set(side.calls.filter((c) => c.startsWith('capture')))).toEqual(new Set(['capture pi_late att_late:capture']));
  });

  it('records a refund made in Stripe\'s dashboard once, even when the events come before the payment or twice', async () => {
    // Prepare
    const { customerId } = await customerWithStatement(merchant);
    const side = stripeSide();
    side.metadata.set('pi_refunded', capturable('pi_refunded', customerId, 3000, 'att_refunded').metadata);
    side.refunds.set('pi_refunded', [
      { id: 're_dashboard1', amountMinor: 1000, reason: 'requested_by_customer', status: 'succeeded', ours: false },
      { id: 're_ours1', amountMinor: 500, reason: 'duplicate', status: 'succeeded', ours: true },
    ]);
    const refunded = signed(eventOf('charge.refunded', account, { id: 'ch_1', object: 'charge', payment_intent: 'pi_refunded', amount_refunded: 1500 }));

    // Act: out of order (refund before the payment is recorded), then in order, then again
    const early = processStripeDelivery(side.deps, refunded.payload, refunded.header);
    await expect(early).rejects.toMatchObject({ code: 'stripe_event_early' });
    const capture = signed(eventOf('payment_intent.amount_capturable_updated', account, capturable('pi_refunded', customerId, 3000, 'att_refunded')));
    await processStripeDelivery(side.deps, capture.payload, capture.header);
    const later = await processStripeDelivery(side.deps, refunded.payload, refunded.header);
    const again = await processStripeDelivery(side.deps, refunded.payload, refunded.header);

    // Assess: the dashboard's refund once; ours (made by POST /refundPayment, which records it) not here
    expect([later.outcome, again.outcome]).toEqual(['recorded', 'nothing_new']);
    const refunds = await itemsOf(customerId, 'REFUND');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amountMinor: 1000, gatewayReference: 're_dashboard1', refundedTotalMinor: 1000 });
    expect((await itemsOf(customerId, 'PAYMENT'))[0].refundedMinor).toBe(1000);
  });

  it('ignores an event of another account than the location\'s (tenants walled off)', async () => {
    // Prepare
    const { customerId } = await customerWithStatement(merchant);
    const side = stripeSide();
    const event = signed(eventOf('payment_intent.amount_capturable_updated', 'acct_1SomeoneElse0000', capturable('pi_other', customerId, 2000, 'att_other')));

    // Act
    const answer = await processStripeDelivery(side.deps, event.payload, event.header);

    // Assess
    expect(answer).toMatchObject({ outcome: 'ignored', reason: 'account does not match the location' });
    expect(await itemsOf(customerId, 'PAYMENT')).toEqual([]);
  });

  /** A payment recorded for an intent (the late completion path), with Stripe's metadata for it. */
  const recordedPayment = async (side: ReturnType<typeof stripeSide>, intentId: string, amount: number) => {
    const { customerId } = await customerWithStatement(merchant);
    const intent = capturable(intentId, customerId, amount, `att_${intentId}`);
    side.metadata.set(intentId, intent.metadata);
    const capture = signed(eventOf('payment_intent.amount_capturable_updated', account, intent));
    expect((await processStripeDelivery(side.deps, capture.payload, capture.header)).outcome).toBe('recorded');
    return { customerId, intent };
  };

  const disputeOf = (id: string, intentId: string, amount: number) => ({
    id, object: 'dispute', amount, currency: 'usd', charge: `ch_${intentId}`, payment_intent: intentId, reason: 'fraudulent', status: 'needs_response',
    created: Math.floor(testNow().getTime() / 1000), evidence_details: { due_by: Math.floor(addSeconds(testNow(), 7 * 86_400).getTime() / 1000) },
  });

  it('records a dispute on the payment once and tells the merchant once with a signed payment.disputed', async () => {
    // Prepare
    const side = stripeSide();
    const { customerId } = await recordedPayment(side, 'pi_disputed', 4000);
    const disputeId = `du_${Date.now()}Disputed`;
    const dispute = disputeOf(disputeId, 'pi_disputed', 4000);
    const event = signed(eventOf('charge.dispute.created', account, dispute));

    // Act: the delivery and Stripe's retry of it
    const first = await processStripeDelivery(side.deps, event.payload, event.header);
    const again = await processStripeDelivery(side.deps, event.payload, event.header);

    // Assess: one record, the payment marked, one verified event at the merchant, listPayments shows it
    expect([first.outcome, again.outcome]).toEqual(['recorded', 'nothing_new']);
    const disputes = await itemsOf(customerId, 'DISPUTE');
    expect(disputes).toHaveLength(1);
    const [payment] = await itemsOf(customerId, 'PAYMENT');
    expect(payment).toMatchObject({ disputeId, disputeStatus: 'needs_response', disputedMinor: 4000, disputeReason: 'fraudulent' });
    const [sent] = await eventually(() => { const found = merchantEvents('payment.disputed', (e) => e.data.disputeId === disputeId); return found.length ? found : undefined; });
    expect(sent).toMatchObject({
      id: `evt_${disputeId}`, version: 1, locationId: merchant.locationId,
      data: { paymentId: payment.paymentId, customer: { id: customerId }, amount: { amountMinor: 4000, amount: '40.00', currency: 'USD' }, reason: 'fraudulent', status: 'needs_response', openedAt: new Date(dispute.created * 1000).toISOString() },
    });
    const listed = (await merchant.call('GET', '/listPayments', { query: { customerId } })).body.items[0];
    expect(listed.dispute).toEqual({ id: disputeId, status: 'needs_response', reason: 'fraudulent', amount: '40.00', amountMinor: 4000 });
    // The retry wrote nothing new, so nothing more is routed: after a further pipeline pass, still one event.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(merchantEvents('payment.disputed', (e) => e.data.disputeId === disputeId)).toHaveLength(1);
  });

  it('records the outcome of a decided dispute (charge.dispute.closed) on the dispute and the payment, after it was opened', async () => {
    // Prepare
    const side = stripeSide();
    const { customerId } = await recordedPayment(side, 'pi_dispute_won', 3000);
    const disputeId = `du_${Date.now()}Won`;
    const closed = signed(eventOf('charge.dispute.closed', account, { ...disputeOf(disputeId, 'pi_dispute_won', 3000), status: 'won' }));
    const opened = signed(eventOf('charge.dispute.created', account, disputeOf(disputeId, 'pi_dispute_won', 3000)));

    // Act: the close before the opening (out of order: retried later), then in order, then again
    await expect(processStripeDelivery(side.deps, closed.payload, closed.header)).rejects.toMatchObject({ code: 'stripe_event_early' });
    await processStripeDelivery(side.deps, opened.payload, opened.header);
    const answers = [await processStripeDelivery(side.deps, closed.payload, closed.header), await processStripeDelivery(side.deps, closed.payload, closed.header)];

    // Assess
    expect(answers.map((a) => a.outcome)).toEqual(['recorded', 'recorded']);
    expect(await itemsOf(customerId, 'DISPUTE')).toEqual([expect.objectContaining({ disputeId, status: 'won' })]);
    expect((await itemsOf(customerId, 'PAYMENT'))[0]).toMatchObject({ disputeId, disputeStatus: 'won', disputedMinor: 3000 });
    const listed = (await merchant.call('GET', '/listPayments', { query: { customerId } })).body.items[0];
    expect(listed.dispute).toMatchObject({ id: disputeId, status: 'won' });
  });

  it("ignores a dispute of another account than the payment's (tenants walled off)", async () => {
    // Prepare
    const side = stripeSide();
    const { customerId } = await recordedPayment(side, 'pi_disputed_elsewhere', 2000);
    const event = signed(eventOf('charge.dispute.created', 'acct_1SomeoneElse0000', disputeOf(`du_${Date.now()}Other`, 'pi_disputed_elsewhere', 2000)));

    // Act
    const answer = await processStripeDelivery(side.deps, event.payload, event.header);

    // Assess
    expect(answer).toMatchObject({ outcome: 'ignored', reason: 'account does not match the payment' });
    expect(await itemsOf(customerId, 'DISPUTE')).toEqual([]);
    expect((await itemsOf(customerId, 'PAYMENT'))[0].disputeId).toBeUndefined();
  });

  const failedIntent = (intentId: string, customerId: string, attempt: string) => ({
    ...capturable(intentId, customerId, 2200, attempt), status: 'requires_payment_method',
    last_payment_error: { type: 'card_error', code: 'payment_intent_authentication_failure' },
  });

  it('releases the hold of an intent that failed after the page closed and tells the merchant once with payment.failed', async () => {
    // Prepare
    const { customerId } = await customerWithStatement(merchant);
    const side = stripeSide();
    const intentId = `pi_failed_${Date.now()}`;
    const event = signed(eventOf('payment_intent.payment_failed', account, failedIntent(intentId, customerId, 'att_failed')));

    // Act: the delivery and a replay of it
    const first = await processStripeDelivery(side.deps, event.payload, event.header);
    const again = await processStripeDelivery(side.deps, event.payload, event.header);

    // Assess: nothing money-wise, the hold released with the attempt's key, one failure record, one event
    expect([first.outcome, again.outcome]).toEqual(['recorded', 'nothing_new']);
    expect(side.calls).toContain(`void ${intentId} att_failed:void`);
    expect(await itemsOf(customerId, 'PAYMENT')).toEqual([]);
    expect(await itemsOf(customerId, 'PAYMENT_FAILURE')).toHaveLength(1);
    const [sent] = await eventually(() => { const found = merchantEvents('payment.failed', (e) => e.data.gatewayReference === intentId); return found.length ? found : undefined; });
    expect(sent).toMatchObject({ id: `evt_${intentId}`, version: 1, locationId: merchant.locationId, data: { customer: { id: customerId }, amount: { amountMinor: 2200, currency: 'USD' }, code: 'payment_intent_authentication_failure', statement: { version: 1 } } });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(merchantEvents('payment.failed', (e) => e.data.gatewayReference === intentId)).toHaveLength(1);
  });

  it('ignores payment_failed for an attempt whose payment is recorded', async () => {
    // Prepare
    const side = stripeSide();
    const { customerId } = await recordedPayment(side, 'pi_paid_then_failed', 2200);
    const event = signed(eventOf('payment_intent.payment_failed', account, failedIntent('pi_paid_then_failed', customerId, 'att_pi_paid_then_failed')));

    // Act
    const answer = await processStripeDelivery(side.deps, event.payload, event.header);

    // Assess
    expect(answer).toMatchObject({ outcome: 'ignored', reason: 'a payment is recorded for this attempt' });
    expect(side.calls.filter((c) => c.startsWith('void'))).toEqual([]);
    expect(await itemsOf(customerId, 'PAYMENT_FAILURE')).toEqual([]);
  });

  it('answers 404 in a sandbox stage (the local stack), whatever is posted', async () => {
    // Act
    const response = await call('POST', '/stripeWebhook', { body: { id: 'evt_1', type: 'charge.refunded' }, headers: { 'Stripe-Signature': 't=1,v1=00' } });

    // Assess
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('stripe_not_configured');
  });
});
