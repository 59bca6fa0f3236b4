import { merchantWithLocation } from '../support/api';
import { cardDataHaystacks, containsToken as contains } from '../support/card-scan';
import { customerWithStatement, openPayForm, postPayForm } from '../support/payments';
import { cardCodeFieldContext } from '../support/card-fields';
import { cardExpiry } from '../support/clock';

// Amex cards: their 4-digit CVVs cannot be confused with the milliseconds of a timestamp.
const APPROVED_EXPIRY = cardExpiry(5);
const APPROVED = { nameOnCard: 'Jane Doe', cardNumber: '3782 822463 10005', expiry: APPROVED_EXPIRY.text, cvv: '8642' };
const DECLINED = { nameOnCard: 'Jane Doe', cardNumber: '3714 496353 98431', expiry: cardExpiry(6).text, cvv: '5297' };
const MISTYPED = { nameOnCard: 'Jane Doe', cardNumber: '3782 822463 10006', expiry: cardExpiry(7).text, cvv: '7319' };
const SECRETS = ['378282246310005', '3782 822463 10005', '8642', '371449635398431', '3714 496353 98431', '5297', '378282246310006', '3782 822463 10006', '7319'];

describe('card data through the running stack', () => {
  it('is never stored, queued, sent or logged, after approved, declined and mistyped payments over HTTP', async () => {
    const merchant = await merchantWithLocation();
    const { statementUrl, customerId } = await customerWithStatement(merchant);

    const results = [
      await postPayForm(statementUrl, { ...DECLINED, ...(await openPayForm(statementUrl)), amount: '20.00' }),
      await postPayForm(statementUrl, { ...MISTYPED, ...(await openPayForm(statementUrl)), amount: '20.00' }),
      await postPayForm(statementUrl, { ...APPROVED, ...(await openPayForm(statementUrl)), amount: '20.00' }),
    ];
    // Give the stream → queue → notifier/webhook pipeline time to carry the payment everywhere it goes.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const listed = await merchant.call('GET', '/listPayments', { query: { customerId } });
    const haystacks: Record<string, string> = {
      ...(await cardDataHaystacks()),
      pages: results.map((r) => r.html).join('\n'),
      api: listed.text,
    };

    expect(results.map((r) => r.status)).toEqual([402, 400, 200]);
    expect(haystacks.stackLog).toContain('"ready":true');
    expect(contains(`{"n":"${SECRETS[0]}"}`, SECRETS[0])).toBe(true);
    expect(listed.body.items).toEqual([expect.objectContaining({ card: { brand: 'American Express', last4: '0005', expMonth: APPROVED_EXPIRY.month, expYear: APPROVED_EXPIRY.year } })]);
    const found = Object.entries(haystacks).flatMap(([where, text]) => SECRETS.filter((secret) => contains(text, secret)).map((secret) => `${secret} in ${where}`));
    expect(found).toEqual([]);
    for (const where of ['table', 'idempotency', 'queues', 'outbox', 'api']) expect({ where, cvvKey: cardCodeFieldContext(haystacks[where]) }).toEqual({ where, cvvKey: undefined });
  });
});
