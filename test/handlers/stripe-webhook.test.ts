import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import Stripe from 'stripe';
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

describe('Stripe webhooks (POST /stripeWebhook)', () => {
  const account = 'acct_1WebhookClinic00';
  let merchant: Merchant;
  beforeAll(async () => {
    merchant = await merchantWithLocation({ name: 'Webhook Clinic' });
    await locationsRepo(stackInfo().names.table, testClients().documents).setProcessor(merchant.locationId, { processor: 'stripe', accountId: account, connectedAt: new Date().toISOString() });
  });

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

  it('answers 404 in a sandbox stage (the local stack), whatever is posted', async () => {
    // Act
    const response = await call('POST', '/stripeWebhook', { body: { id: 'evt_1', type: 'charge.refunded' }, headers: { 'Stripe-Signature': 't=1,v1=00' } });

    // Assess
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('stripe_not_configured');
  });
});
