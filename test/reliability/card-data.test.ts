import { merchantWithLocation } from '../support/api';
import { cardDataHaystacks, cardDataHits } from '../support/card-scan';
import { customerWithStatement, openPayForm, postPayForm } from '../support/payments';
import { adminTarget, closeWebhookClients, eventually, startReceiver } from '../support/webhooks';
import { cardExpiry } from '../support/clock';
import { setWebhook } from '../../scripts/admin/webhooks';
import { figures } from './support/figures';

/**
 * After a payment run (approved, declined, mistyped and refused cards, with a webhook and receipts
 * going out), the card numbers and CVVs typed appear nowhere: table, idempotency table, queues and
 * dead-letter queues, the outbox (SMS, email, webhook attempts), the stack's captured log, the pages
 * and the API. Uses the card-data test's scanner (test/support/card-scan.ts).
 */
const fig = figures('card data');

// Amex cards: their 4-digit CVVs cannot be confused with the milliseconds of a timestamp.
const CARDS = [
  { nameOnCard: 'Jane Doe', cardNumber: '3782 822463 10005', expiry: cardExpiry(3).text, cvv: '8642', amount: '5.00' },
  { nameOnCard: 'Jane Doe', cardNumber: '3714 496353 98431', expiry: cardExpiry(3).text, cvv: '5297', amount: '5.00' },
  { nameOnCard: 'Jane Doe', cardNumber: '3782 822463 10006', expiry: cardExpiry(3).text, cvv: '7319', amount: '5.00' },
  { nameOnCard: 'Jane Doe', cardNumber: '3782 822463 10005', expiry: cardExpiry(-1).text, cvv: '6158', amount: '5.00' },
  { nameOnCard: 'Jane Doe', cardNumber: '3782 822463 10005', expiry: cardExpiry(4).text, cvv: '4077', amount: '7.50' },
];
const SECRETS = [...new Set(CARDS.flatMap((c) => [c.cardNumber, c.cardNumber.replace(/ /g, ''), c.cvv]))];

const closeLater: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closeLater.map((close) => close()));
  closeWebhookClients();
});

describe('card data after a payment run', () => {
  it('finds no card number or CVV in the table, queues, outbox, logs, pages or API', async () => {
    const receiver = await startReceiver();
    closeLater.push(() => receiver.close());
    const merchant = await merchantWithLocation();
    await setWebhook(adminTarget(), { location: merchant.locationId, url: receiver.url });
    const links = await Promise.all([0, 1].map(() => customerWithStatement(merchant, { balanceDue: '40.00' })));
    const before = await cardDataHaystacks();

    const results = [];
    for (const { statementUrl } of links) for (const card of CARDS) results.push(await postPayForm(statementUrl, { ...card, ...(await openPayForm(statementUrl)) }));
    const approved = results.filter((r) => r.status === 200).length;
    // The stream → queue → notifier and webhook pipeline carries each approved payment everywhere it goes.
    await eventually(() => (receiver.received.length >= approved ? true : undefined), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const listed = await Promise.all(links.map(({ customerId }) => merchant.call('GET', '/listPayments', { query: { customerId } })));
    const haystacks: Record<string, string> = {
      ...(await cardDataHaystacks()),
      webhooks: receiver.received.map((r) => r.body).join('\n'),
      pages: results.map((r) => r.html).join('\n'),
      api: listed.map((r) => r.text).join('\n'),
    };

    const hits = cardDataHits(haystacks, SECRETS, ['table', 'idempotency', 'queues', 'outbox', 'webhooks', 'api'], before);
    const scannedKb = Math.round(Object.values(haystacks).reduce((n, text) => n + text.length, 0) / 1024);
    fig.note('payment attempts (approved, declined, mistyped, expired)', results.length);
    fig.note('approved payments', approved);
    fig.note('places scanned', Object.keys(haystacks).join(', '));
    fig.note('KB scanned', scannedKb);
    fig.exactly('card numbers or CVVs found', hits.length, 0);

    expect(approved).toBe(4);
    expect(haystacks.stackLog).toContain('"ready":true');
    expect(haystacks.table).toContain(links[0].customerId);
    expect(hits).toEqual([]);
  });
});
