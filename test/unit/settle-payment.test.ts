import { settlePayment, type PaymentStore } from '../../functions/domain/settle-payment';
import type { Authorization, PayableStatement, PaymentGateway, PaymentRecord } from '../../functions/domain/payments';
import { sandboxGateway } from '../../functions/shared/adapters/gateway/sandbox';
import { readCard } from '../../functions/domain/card';
import { cardExpiry, testNow } from '../support/clock';

/**
 * An in-memory implementation of the storage port with the same rules as the DynamoDB adapter
 * (the adapter itself is exercised against DynamoDB Local in test/handlers and test/integration).
 */
const memoryStore = (statement: PayableStatement, options: { failNextRecord?: 'conflict' } = {}) => {
  const payments = new Map<string, PaymentRecord>();
  const attempts = new Map<string, string>();
  const store: PaymentStore & { payments: typeof payments; statement: PayableStatement } = {
    payments,
    statement,
    async loadForPayment(_customerId, _locationId, attemptId) {
      const prior = attempts.get(attemptId);
      return { statement: { ...store.statement }, priorPayment: prior ? payments.get(prior) : undefined };
    },
    async record(payment, attemptId) {
      if (options.failNextRecord === 'conflict') {
        options.failNextRecord = undefined;
        return { result: 'conflict' };
      }
      const prior = attempts.get(attemptId);
      if (prior) return { result: 'duplicate', payment: payments.get(prior)! };
      if (store.statement.version !== payment.statementVersion || store.statement.remainingMinor < payment.amountMinor) return { result: 'conflict' };
      payments.set(payment.paymentId, payment);
      attempts.set(attemptId, payment.paymentId);
      store.statement = { ...store.statement, remainingMinor: store.statement.remainingMinor - payment.amountMinor };
      return { result: 'recorded' };
    },
  };
  return store;
};

const card = (number: string) => {
  const result = readCard({ nameOnCard: 'Jane Doe', cardNumber: number, expiry: cardExpiry(4, 'MM/YY').text, cvv: '123' }, testNow());
  if (!result.ok) throw new Error('bad test card');
  return result.card;
};

const statement: PayableStatement = { customerId: 'cus_1', locationId: 'loc_1', statementId: 'stm_1', version: 1, remainingMinor: 10000, currency: 'USD' };
let ids = 0;
const deps = (store: PaymentStore, gateway = sandboxGateway({ latencyMs: 0 })) => ({ gatewayFor: () => gateway, store, newPaymentId: () => `pay_${++ids}`, now: () => new Date('2026-11-24T12:00:00Z') });
const request = (attemptId: string, amountMinor: number, number = '4111111111111111') => ({
  attemptId, customerId: 'cus_1', locationId: 'loc_1', statementVersion: 1, amountMinor, source: { kind: 'card' as const, card: card(number) },
});

describe('settlePayment', () => {
  it('authorizes, records and captures an approved payment', async () => {
    const store = memoryStore(statement);
    const gateway = sandboxGateway({ latencyMs: 0 });

    const outcome = await settlePayment(deps(store, gateway), request('a1', 4000));

    expect(outcome).toMatchObject({ kind: 'paid', payment: { amountMinor: 4000, remainingBeforeMinor: 10000, remainingAfterMinor: 6000, cardLast4: '1111' } });
    expect(gateway.ledger().map((a) => a.state)).toEqual(['captured']);
  });

  it('returns the decline and records nothing', async () => {
    const store = memoryStore(statement);

    const outcomes = await Promise.all(
      ['4000000000000002', '4000000000009995', '4000000000000119'].map((n, i) => settlePayment(deps(store), request(`d${i}`, 100, n))),
    );

    expect(outcomes).toEqual([
      { kind: 'declined', code: 'card_declined' },
      { kind: 'declined', code: 'insufficient_funds' },
      { kind: 'declined', code: 'processing_error' },
    ]);
    expect(store.payments.size).toBe(0);
  });

  it('voids the hold when the ledger transaction loses a race, so nothing is charged', async () => {
    const store = memoryStore(statement, { failNextRecord: 'conflict' });
    const gateway = sandboxGateway({ latencyMs: 0 });

    const outcome = await settlePayment(deps(store, gateway), request('r1', 4000));

    expect(outcome).toEqual({ kind: 'balance_changed' });
    expect(gateway.ledger().map((a) => a.state)).toEqual(['voided']);
    expect(store.payments.size).toBe(0);
  });

  it('finishes a rerun of a recorded attempt with one capture and no second payment', async () => {
    const store = memoryStore(statement);
    const gateway = sandboxGateway({ latencyMs: 0 });
    const first = await settlePayment(deps(store, gateway), request('c1', 10000));

    const rerun = await settlePayment(deps(store, gateway), request('c1', 10000));

    expect(rerun).toEqual(first);
    expect(store.payments.size).toBe(1);
    expect(gateway.ledger()).toHaveLength(1);
  });

  it('does not call the gateway for a replaced statement or an amount over the balance', async () => {
    const store = memoryStore({ ...statement, version: 2 });
    const gateway = sandboxGateway({ latencyMs: 0 });

    const replaced = await settlePayment(deps(store, gateway), request('x1', 100));
    store.statement = { ...store.statement, version: 1 };
    const over = await settlePayment(deps(store, gateway), request('x2', 10001));

    expect(replaced).toEqual({ kind: 'replaced' });
    expect(over).toEqual({ kind: 'amount_over_balance', remainingMinor: 10000 });
    expect(gateway.ledger()).toHaveLength(0);
  });
});

describe('settlePayment with a processor account (Stripe Connect)', () => {
  /** A gateway that answers like Stripe's adapter would; the adapter itself is tested in stripe-adapter and stripe-requests. */
  const processorGateway = (first: Authorization) => {
    const calls: string[] = [];
    const gateway: PaymentGateway = {
      name: 'stripe',
      authorize: async (r) => (calls.push(`authorize ${r.idempotencyKey} ${r.source.kind}`), first),
      capture: async (ref, key) => void calls.push(`capture ${ref} ${key}`),
      void: async (ref, key) => void calls.push(`void ${ref} ${key}`),
      refund: async () => ({ status: 'refused', refusal: 'not_captured' }),
    };
    return { gateway, calls };
  };
  const approved: Authorization = { status: 'approved', reference: 'pi_1', authorizedAt: '2026-11-24T12:00:00.000Z', card: { brand: 'Visa', last4: '4242', expMonth: 4, expYear: 2031 } };
  const tokenRequest = (attemptId: string) => ({ ...request(attemptId, 4000), source: { kind: 'confirmation_token' as const, token: 'ctoken_1' } });

  it('charges the location\'s account, keeps the card summary Stripe gave, and records the account on the payment', async () => {
    const store = memoryStore({ ...statement, processorAccount: 'acct_1Location000' });
    const { gateway, calls } = processorGateway(approved);
    const asked: Array<string | undefined> = [];

    const outcome = await settlePayment({ ...deps(store), gatewayFor: (account) => (asked.push(account), gateway) }, tokenRequest('t1'));

    expect(outcome).toMatchObject({ kind: 'paid', payment: { cardBrand: 'Visa', cardLast4: '4242', gatewayReference: 'pi_1', gatewayAccount: 'acct_1Location000' } });
    expect(asked).toEqual(['acct_1Location000']);
    expect(calls).toEqual(['authorize t1 confirmation_token', 'capture pi_1 t1:capture']);
  });

  it('hands an authentication step (3-D Secure) back to the page and records nothing', async () => {
    const store = memoryStore({ ...statement, processorAccount: 'acct_1Location000' });
    const { gateway, calls } = processorGateway({ status: 'requires_action', reference: 'pi_2', clientSecret: 'pi_2_secret_x' });

    const outcome = await settlePayment({ ...deps(store), gatewayFor: () => gateway }, tokenRequest('t2'));

    expect(outcome).toEqual({ kind: 'requires_action', reference: 'pi_2', clientSecret: 'pi_2_secret_x' });
    expect(store.payments.size).toBe(0);
    expect(calls).toEqual(['authorize t2 confirmation_token']);
  });

  it('cancels the hold with a key derived from the attempt when the ledger loses the race', async () => {
    const store = memoryStore({ ...statement, processorAccount: 'acct_1Location000' }, { failNextRecord: 'conflict' });
    const { gateway, calls } = processorGateway(approved);

    const outcome = await settlePayment({ ...deps(store), gatewayFor: () => gateway }, tokenRequest('t3'));

    expect(outcome).toEqual({ kind: 'balance_changed' });
    expect(calls).toEqual(['authorize t3 confirmation_token', 'void pi_1 t3:void']);
  });

  it('says payments are unavailable, without calling anything, when the location has no processor', async () => {
    const store = memoryStore(statement);

    const outcome = await settlePayment({ ...deps(store), gatewayFor: () => undefined }, tokenRequest('t4'));

    expect(outcome).toEqual({ kind: 'payments_unavailable' });
    expect(store.payments.size).toBe(0);
  });
});

describe('sandbox gateway', () => {
  it('answers a retried authorize with the same idempotency key with the first answer', async () => {
    const gateway = sandboxGateway({ latencyMs: 5 });
    const authorize = () => gateway.authorize({ idempotencyKey: 'k', amountMinor: 100, currency: 'USD', source: { kind: 'card', card: card('4111111111111111') }, description: 'x' });

    const answers = await Promise.all([authorize(), authorize(), authorize()]);

    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(gateway.ledger()).toHaveLength(1);
  });

  it('keeps no card number or CVV in its ledger', async () => {
    const gateway = sandboxGateway({ latencyMs: 0 });
    await gateway.authorize({ idempotencyKey: 'k', amountMinor: 100, currency: 'USD', source: { kind: 'card', card: card('4111111111111111') }, description: 'x' });

    expect(JSON.stringify(gateway.ledger())).not.toMatch(/4111111111111111|"123"/);
  });
});
