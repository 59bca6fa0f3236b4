import { settlePayment, type PaymentStore } from '../../functions/domain/settle-payment';
import type { PayableStatement, PaymentRecord } from '../../functions/domain/payments';
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
const deps = (store: PaymentStore, gateway = sandboxGateway({ latencyMs: 0 })) => ({ gateway, store, newPaymentId: () => `pay_${++ids}`, now: () => new Date('2026-11-24T12:00:00Z') });
const request = (attemptId: string, amountMinor: number, number = '4111111111111111') => ({
  attemptId, customerId: 'cus_1', locationId: 'loc_1', statementVersion: 1, amountMinor, card: card(number),
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

describe('sandbox gateway', () => {
  it('answers a retried authorize with the same idempotency key with the first answer', async () => {
    const gateway = sandboxGateway({ latencyMs: 5 });
    const authorize = () => gateway.authorize({ idempotencyKey: 'k', amountMinor: 100, currency: 'USD', card: card('4111111111111111'), description: 'x' });

    const answers = await Promise.all([authorize(), authorize(), authorize()]);

    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(gateway.ledger()).toHaveLength(1);
  });

  it('keeps no card number or CVV in its ledger', async () => {
    const gateway = sandboxGateway({ latencyMs: 0 });
    await gateway.authorize({ idempotencyKey: 'k', amountMinor: 100, currency: 'USD', card: card('4111111111111111'), description: 'x' });

    expect(JSON.stringify(gateway.ledger())).not.toMatch(/4111111111111111|"123"/);
  });
});
