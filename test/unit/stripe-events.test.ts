import { actionFor } from '../../functions/domain/stripe-events';

const metadata = { attempt: 'att_1', customer: 'cus_1', location: 'loc_1', statementVersion: '2' };
const event = (type: string, object: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type, account: 'acct_1', created: 1_800_000_000, data: { object }, ...extra });

describe('actionFor: disputes and failed intents', () => {
  it("reads a dispute's id, amount, reason, status and dates, and the intent it is on", () => {
    const action = actionFor(event('charge.dispute.created', { id: 'du_1', amount: 4000, payment_intent: 'pi_1', reason: 'fraudulent', status: 'needs_response', created: 1_800_000_000, evidence_details: { due_by: 1_800_604_800 } }));

    expect(action).toEqual({
      kind: 'dispute', account: 'acct_1', intentId: 'pi_1',
      dispute: { id: 'du_1', amountMinor: 4000, reason: 'fraudulent', status: 'needs_response', openedAt: '2027-01-15T08:00:00.000Z', evidenceDueBy: '2027-01-22T08:00:00.000Z' },
    });
  });

  it('ignores a dispute without an intent or an amount', () => {
    expect(actionFor(event('charge.dispute.created', { id: 'du_1', amount: 4000, created: 1 })).kind).toBe('ignore');
    expect(actionFor(event('charge.dispute.created', { id: 'du_1', payment_intent: 'pi_1', created: 1 })).kind).toBe('ignore');
  });

  it("reads a failed intent's attempt, state and decline code (else Stripe's code), with the event's time", () => {
    const failed = actionFor(event('payment_intent.payment_failed', { id: 'pi_1', amount: 2200, status: 'requires_payment_method', metadata, last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds' } }));
    const plain = actionFor(event('payment_intent.payment_failed', { id: 'pi_1', amount: 2200, status: 'requires_payment_method', metadata, last_payment_error: { code: 'payment_intent_authentication_failure' } }));

    expect(failed).toEqual({
      kind: 'failed', account: 'acct_1', intentId: 'pi_1', amountMinor: 2200, status: 'requires_payment_method', code: 'insufficient_funds', failedAt: '2027-01-15T08:00:00.000Z',
      attempt: { attemptId: 'att_1', customerId: 'cus_1', locationId: 'loc_1', statementVersion: 2 },
    });
    expect(plain).toMatchObject({ code: 'payment_intent_authentication_failure' });
  });

  it('ignores a failed intent that is not ours, and any event without a connected account', () => {
    expect(actionFor(event('payment_intent.payment_failed', { id: 'pi_1', amount: 2200, metadata: {} })).kind).toBe('ignore');
    expect(actionFor(event('payment_intent.payment_failed', { id: 'pi_1', amount: 2200, metadata }, { account: null })).kind).toBe('ignore');
  });
});
