import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { merchantWithLocation, type Merchant } from '../support/api';
import { testClients } from '../support/clients';
import { stackInfo } from '../support/stack-info';
import { context, payEvent } from '../support/page-events';
import { APPROVED_CARD, CARD_EXPIRY, customerWithStatement, openPayForm } from '../support/payments';
import { statementKey } from '../../functions/shared/table/keys';
import { figures } from './support/figures';

// The sandbox answers after 60 ms, as on the local stack: every duplicate arrives while the first is in flight.
process.env.SANDBOX_GATEWAY_LATENCY_MS = '60';
// The handlers' own INFO lines would bury the figures; the local stack's log keeps its own.
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';

/*
 * The pay handler runs in this process (on the test run's DynamoDB Local), so the sandbox gateway's
 * own ledger can be counted: a charge is an authorization the gateway captured.
 */
const { handler } = require('../../functions/pay-statement/handler') as typeof import('../../functions/pay-statement/handler');
const { sandboxInstance } = require('../../functions/shared/adapters/gateway') as typeof import('../../functions/shared/adapters/gateway');
const { attemptIdFor } = require('../../functions/domain/payments') as typeof import('../../functions/domain/payments');

const fig = figures('payment races');
const card = { nameOnCard: 'Jane Doe', cardNumber: APPROVED_CARD, expiry: CARD_EXPIRY.text, cvv: '123' };

const pay = (token: string, form: Record<string, string>) => handler(payEvent(token, form), context('pay-statement')) as Promise<APIGatewayProxyResult>;

const remainingOf = async (customerId: string) => {
  const { Item } = await testClients().documents.send(new GetCommand({ TableName: stackInfo().names.table, Key: statementKey(customerId), ConsistentRead: true }));
  return Number(Item?.remainingMinor ?? Item?.balanceDueMinor);
};

/** Reads the statement's remaining balance over and over while `race` runs; returns the lowest seen. */
const lowestRemainingDuring = async (customerId: string, race: Promise<unknown>) => {
  let done = false;
  let lowest = Infinity;
  let reads = 0;
  void race.finally(() => (done = true));
  while (!done) {
    lowest = Math.min(lowest, await remainingOf(customerId));
    reads++;
  }
  lowest = Math.min(lowest, await remainingOf(customerId));
  return { lowest, reads };
};

const paymentsOf = async (merchant: Merchant, customerId: string) => (await merchant.call('GET', '/listPayments', { query: { customerId } })).body.items as Array<{ amountMinor: number; remainingAfterMinor: number }>;

describe('payment races', () => {
  let merchant: Merchant;
  beforeAll(async () => {
    merchant = await merchantWithLocation();
  });

  it('charges once for 100 concurrent submissions of one payment form', async () => {
    const { token, statementUrl, customerId } = await customerWithStatement(merchant, { balanceDue: '100.00' });
    const form = { ...card, ...(await openPayForm(statementUrl)), amount: '40.00' };

    const responses = await Promise.all(Array.from({ length: 100 }, () => pay(token, form)));

    const attempt = attemptIdFor(token, form.idempotencyKey);
    const ledger = sandboxInstance().ledger().filter((a) => a.idempotencyKey === attempt);
    const charges = ledger.filter((a) => a.state === 'captured');
    const listed = await paymentsOf(merchant, customerId);
    const receipts = new Set(responses.map((r) => /pay_[0-9A-Z]{26}/.exec(r.body)?.[0]));
    fig.note('submissions of one form at once', responses.length);
    fig.exactly('charges at the sandbox gateway (one form)', charges.length, 1);
    fig.exactly('authorizations at the gateway (one form)', ledger.length, 1);
    fig.exactly('payments in listPayments (one form)', listed.length, 1);
    fig.exactly('distinct receipts shown (one form)', receipts.size, 1);
    fig.exactly('balance left (one form, 100.00 − 40.00, minor units)', await remainingOf(customerId), 6000);

    expect(responses.filter((r) => r.statusCode !== 200)).toEqual([]);
    expect(charges).toHaveLength(1);
    expect(ledger).toHaveLength(1);
    expect(listed).toHaveLength(1);
    expect(receipts.size).toBe(1);
    expect(await remainingOf(customerId)).toBe(6000);
  });

  it('lets exactly one of 20 forms paying the full balance at once succeed, and the balance never goes below zero', async () => {
    const { token, statementUrl, customerId } = await customerWithStatement(merchant, { balanceDue: '75.00' });
    const forms = await Promise.all(Array.from({ length: 20 }, async () => ({ ...card, ...(await openPayForm(statementUrl)), amount: '75.00' })));

    const race = Promise.all(forms.map((form) => pay(token, form)));
    const { lowest, reads } = await lowestRemainingDuring(customerId, race);
    const responses = await race;

    const attempts = new Set(forms.map((form) => attemptIdFor(token, form.idempotencyKey)));
    const ledger = sandboxInstance().ledger().filter((a) => attempts.has(a.idempotencyKey));
    const charges = ledger.filter((a) => a.state === 'captured');
    const heldOpen = ledger.filter((a) => a.state === 'authorized');
    const listed = await paymentsOf(merchant, customerId);
    const succeeded = responses.filter((r) => r.statusCode === 200);
    fig.note('forms for the full balance at once', forms.length);
    fig.exactly('forms that succeeded (full balance)', succeeded.length, 1);
    fig.note('authorizations at the gateway (full balance; the rest were refused before charging or voided)', ledger.length);
    fig.exactly('charges at the sandbox gateway (full balance)', charges.length, 1);
    fig.exactly('holds left open at the gateway', heldOpen.length, 0);
    fig.exactly('payments in listPayments (full balance)', listed.length, 1);
    fig.record('lowest balance seen during the race (minor units)', lowest, '>= 0', lowest >= 0);
    fig.note('balance reads during the race', reads);
    fig.exactly('balance after the race (minor units)', await remainingOf(customerId), 0);

    expect(succeeded).toHaveLength(1);
    expect(responses.filter((r) => r.statusCode >= 500)).toEqual([]);
    expect(charges).toHaveLength(1);
    expect(heldOpen).toEqual([]);
    expect(listed).toEqual([expect.objectContaining({ amountMinor: 7500, remainingAfterMinor: 0 })]);
    expect(lowest).toBeGreaterThanOrEqual(0);
    expect(await remainingOf(customerId)).toBe(0);
  });
});
