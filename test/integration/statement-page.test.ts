import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { call, merchantWithLocation, type Merchant } from '../support/api';
import { testClients } from '../support/clients';
import { stackInfo } from '../support/stack-info';
import { statementLinkKey, tinyLinkKey } from '../../functions/shared/table/keys';
import { tinyPdf } from '../support/fixtures';
import {
  CARD_EXPIRY,
  customerWithStatement,
  DECLINED_CARD,
  hiddenFields,
  INSUFFICIENT_FUNDS_CARD,
  openPayForm,
  postPayForm,
  replaceStatement,
} from '../support/payments';
import { addDays, testNow } from '../support/clock';
import { containsToken } from '../support/card-scan';

const SECURITY_HEADERS = ['content-security-policy', 'cache-control', 'referrer-policy', 'x-robots-tag', 'strict-transport-security'];

const expectPageHeaders = (headers: Headers) => {
  for (const name of SECURITY_HEADERS) expect(headers.get(name)).toBeTruthy();
  expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(headers.get('cache-control')).toBe('no-store');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('x-robots-tag')).toContain('noindex');
};

describe('statement page', () => {
  let merchant: Merchant;
  beforeAll(async () => {
    merchant = await merchantWithLocation({
      name: 'Sunrise Dental LLC',
      contactPhone: '(512) 555-0100',
      contactEmail: 'billing@sunrise.example',
      branding: { displayName: 'Sunrise Dental', accentColor: '#FFD400', logoUrl: 'https://cdn.sunrise.example/logo.png' },
    });
  });

  it('shows the business contact and logo, whom it is for, a statement number, and Overdue past the due date', async () => {
    const yesterday = addDays(testNow(), -2).toISOString().slice(0, 10);
    const tomorrow = addDays(testNow(), 2).toISOString().slice(0, 10);
    const past = await customerWithStatement(merchant, { billingDate: yesterday, dueDate: yesterday });
    const future = await customerWithStatement(merchant, { billingDate: yesterday, dueDate: tomorrow });

    const response = await fetch(past.statementUrl);
    const html = await response.text();
    const notYet = await (await fetch(future.statementUrl)).text();

    expect(response.headers.get('content-security-policy')).toContain('img-src https://cdn.sunrise.example;');
    expect(html).toContain('<img class="logo" src="https://cdn.sunrise.example/logo.png" alt="Sunrise Dental logo">');
    expect(html).toContain('1 Main St<br>Austin, TX 78701');
    expect(html).toContain('<a href="tel:+15125550100">(512) 555-0100</a>');
    expect(html).toContain('<a href="mailto:billing@sunrise.example">billing@sunrise.example</a>');
    expect(html).toMatch(/No\. ST-[0-9A-Z]{8} · For John Smith/);
    expect(html).toContain('<strong class="badge">Overdue</strong>');
    expect(notYet).not.toContain('Overdue');
  });

  it('rejects a logo that is not https', async () => {
    const other = await merchantWithLocation();

    const response = await other.call('POST', '/setServiceLocation', { body: { name: 'x', branding: { logoUrl: 'http://sunrise.example/logo.png' } } });

    expect(response.status).toBe(400);
    expect(response.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['branding.logoUrl']);
  });

  it('shows the statement as the guide does, with the security headers', async () => {
    const { statementUrl } = await customerWithStatement(merchant, { dueDate: '2020-03-10', memo: 'Cleaning & X-rays <2020>' });

    const response = await fetch(statementUrl);
    const html = await response.text();

    expect(response.status).toBe(200);
    expectPageHeaders(response.headers);
    expect(html).toContain('Sunrise Dental');
    expect(html).toContain('Statement');
    expect(html).toContain('Billing Date: 02/24/2020');
    expect(html).toContain('Due Date: 03/10/2020');
    expect(html).toContain('$100.00');
    expect(html).toContain('PAY NOW');
    expect(html).toContain('Thank you for your business');
    expect(html).toContain('Cleaning &amp; X-rays &lt;2020&gt;');
    expect(html).not.toContain('<script');
  });

  it('redirects the tiny link to the statement link', async () => {
    const { statementUrl, tinyUrl } = await customerWithStatement(merchant);

    const response = await fetch(tinyUrl, { redirect: 'manual' });

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(statementUrl);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers unknown, malformed and made-up tokens and codes with the same plain 404 page', async () => {
    const { statementUrl, tinyUrl } = await customerWithStatement(merchant);
    const base = new URL(statementUrl).origin;

    const answers = await Promise.all(
      [
        `${statementUrl.slice(0, -2)}xx`,
        `${base}/s/short`,
        `${base}/s/${'A'.repeat(32)}/attachment`,
        `${tinyUrl.slice(0, -2)}zz`,
        `${base}/t/%3Cscript%3E`,
      ].map(async (url) => {
        const response = await fetch(url, { redirect: 'manual' });
        return { status: response.status, html: await response.text(), headers: response.headers };
      }),
    );

    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expectPageHeaders(answer.headers);
      expect(answer.html).toContain('Page not found');
      expect(answer.html).not.toContain('Sunrise');
    }
    const bodies = new Set(answers.map((a) => a.html.replace(/nonce="[^"]+"/, '')));
    expect(bodies.size).toBe(1);
  });

  it('answers revoked links and a statement without a PDF with the same 404 page', async () => {
    const { statementUrl, tinyUrl, token } = await customerWithStatement(merchant);
    const before = await fetch(`${statementUrl}/attachment`, { redirect: 'manual' });
    const code = new URL(tinyUrl).pathname.split('/').pop()!;
    const revoke = (key: Record<string, string>) =>
      testClients().documents.send(
        new UpdateCommand({ TableName: stackInfo().names.table, Key: key, UpdateExpression: 'SET revokedAt = :now', ExpressionAttributeValues: { ':now': testNow().toISOString() } }),
      );
    await revoke(statementLinkKey(token));
    await revoke(tinyLinkKey(code));

    const page = await fetch(statementUrl);
    const tiny = await fetch(tinyUrl, { redirect: 'manual' });

    expect(before.status).toBe(404);
    expect(page.status).toBe(404);
    expect(tiny.status).toBe(404);
    expect(await page.text()).toContain('Page not found');
  });

  it('links the PDF through a short-lived signed URL', async () => {
    const { statementUrl } = await customerWithStatement(merchant, { attachment: { fileName: 'feb.pdf', content: tinyPdf().toString('base64') } });

    const page = await (await fetch(statementUrl)).text();
    const redirect = await fetch(`${statementUrl}/attachment`, { redirect: 'manual' });
    const signed = redirect.headers.get('location')!;
    const pdf = await fetch(signed);

    expect(page).toContain(`${statementUrl}/attachment`);
    expect(redirect.status).toBe(302);
    expect(signed).toContain('X-Amz-Signature=');
    expect(signed).toMatch(/X-Amz-Expires=120/);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('shows nothing due for a zero balance, without PAY NOW', async () => {
    const { statementUrl } = await customerWithStatement(merchant, { balanceDue: '0' });

    const html = await (await fetch(`${statementUrl}?pay=1`)).text();

    expect(html).toContain('Nothing is due');
    expect(html).not.toContain('PAY NOW');
    expect(html).not.toContain('name="cardNumber"');
  });

  it('opens the card form with the standard autocomplete values and numeric keyboards', async () => {
    const { statementUrl } = await customerWithStatement(merchant);

    const html = await (await fetch(`${statementUrl}?pay=1`)).text();

    for (const [name, autocomplete] of [['nameOnCard', 'cc-name'], ['cardNumber', 'cc-number'], ['expiry', 'cc-exp'], ['cvv', 'cc-csc']]) {
      expect(html).toMatch(new RegExp(`name="${name}"[^>]*autocomplete="${autocomplete}"`));
    }
    expect(html).toMatch(/name="cardNumber"[^>]*inputmode="numeric"/);
    expect(html).toMatch(/name="amount"[^>]*value="100.00"/);
    expect(hiddenFields(html).idempotencyKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(html).toContain('<button class="button" type="submit">PAY $100.00</button>');
    expect(html).toContain('CANCEL');
  });
});

describe('paying over HTTP', () => {
  let merchant: Merchant;
  beforeAll(async () => {
    merchant = await merchantWithLocation();
  });

  it('records a full payment, shows a receipt and lists it for the merchant', async () => {
    const { statementUrl, customerId } = await customerWithStatement(merchant);
    const form = await openPayForm(statementUrl);

    const result = await postPayForm(statementUrl, { ...form, amount: '100.00' });
    const listed = await merchant.call('GET', '/listPayments', { query: { customerId } });
    const statement = await merchant.call('GET', '/getStatement', { query: { customerId } });
    const after = await (await fetch(statementUrl)).text();

    const receiptUrl = /href="([^"]*\?receipt=pay_[^"&]*)"/.exec(result.html)?.[1].replace(/&amp;/g, '&') ?? '';
    const printable = await fetch(receiptUrl);
    const printableHtml = await printable.text();
    const download = await fetch(`${receiptUrl}&download=1`);
    const stranger = await fetch(receiptUrl.replace(/pay_[0-9A-Za-z]+/, 'pay_01AAAAAAAAAAAAAAAAAAAAAAAA'));

    expect(result.status).toBe(200);
    expect(result.html).toContain('Payment received');
    expect(result.html).toContain('Visa ending in 1111');
    expect(result.html).toMatch(/<dt>Date<\/dt><dd>\d{2}\/\d{2}\/\d{4}, \d{1,2}:\d{2} [AP]M C[SD]T<\/dd>/);
    expect(result.html).toMatch(/<dt>Statement<\/dt><dd>ST-[0-9A-Z]{8}<\/dd>/);
    expect(result.html).toContain('<dt>For</dt><dd>John Smith</dd>');
    expect(result.html).toContain('>Print receipt</a>');
    expect(printable.status).toBe(200);
    expect(printableHtml).toContain('<h1 id="receipt-title">Receipt</h1>');
    expect(printableHtml).toContain('Visa ending in 1111');
    expect(printableHtml).not.toContain('<script');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="receipt-pay_[0-9A-Za-z]+\.html"$/);
    expect(stranger.status).toBe(404);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({
      customerId,
      locationId: merchant.locationId,
      amount: '100.00',
      amountMinor: 10000,
      currency: 'USD',
      remainingBeforeMinor: 10000,
      remainingAfterMinor: 0,
      card: { brand: 'Visa', last4: '1111', expMonth: CARD_EXPIRY.month, expYear: CARD_EXPIRY.year },
      status: 'completed',
      statementVersion: 1,
    });
    expect(listed.body.items[0].id).toMatch(/^pay_/);
    expect(listed.body.items[0].gatewayReference).toMatch(/^sbx_/);
    expect(statement.body).toMatchObject({ amountPaidMinor: 10000, amountRemainingMinor: 0 });
    expect(after).toContain('Paid in full');
    expect(after).not.toContain('PAY NOW');
  });

  it('accepts a partial payment and shows the remaining balance', async () => {
    const { statementUrl } = await customerWithStatement(merchant);

    const result = await postPayForm(statementUrl, { ...(await openPayForm(statementUrl)), amount: '40' });
    const after = await (await fetch(statementUrl)).text();

    expect(result.status).toBe(200);
    expect(result.html).toContain('$40.00');
    expect(result.html).toContain('$60.00');
    expect(after).toContain('Remaining balance');
    expect(after).toContain('$60.00');
    expect(after).toContain('Paid so far $40.00');
  });

  it('refuses amounts under 1.00 or over the balance, and invalid cards, without charging', async () => {
    const { statementUrl, customerId } = await customerWithStatement(merchant);
    const form = await openPayForm(statementUrl);

    const tooSmall = await postPayForm(statementUrl, { ...form, amount: '0.99' });
    const tooLarge = await postPayForm(statementUrl, { ...(await openPayForm(statementUrl)), amount: '100.01' });
    const badCard = await postPayForm(statementUrl, { ...(await openPayForm(statementUrl)), cardNumber: '4111 1111 1111 1112', expiry: '01/20', cvv: '1' });
    const listed = await merchant.call('GET', '/listPayments', { query: { customerId } });

    expect(tooSmall.status).toBe(400);
    expect(tooSmall.html).toContain('The smallest payment is 1.00.');
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.html).toContain('The most you can pay is $100.00.');
    expect(badCard.status).toBe(400);
    expect(badCard.html).toContain('This card number is not valid');
    expect(badCard.html).toContain('future expiration date');
    expect(badCard.html).toContain('security code');
    expect(badCard.html).not.toContain('4111 1111 1111 1112');
    expect(listed.body.items).toHaveLength(0);
  });

  it('explains a declined card and keeps the form except the card number and CVV', async () => {
    const { statementUrl } = await customerWithStatement(merchant);
    const form = await openPayForm(statementUrl);

    const declined = await postPayForm(statementUrl, { ...form, amount: '25.00', nameOnCard: 'Jane Q Doe', cardNumber: INSUFFICIENT_FUNDS_CARD, cvv: '987' });
    const generic = await postPayForm(statementUrl, { ...(await openPayForm(statementUrl)), amount: '10.00', cardNumber: DECLINED_CARD });

    expect(declined.status).toBe(402);
    expect(declined.html).toContain('insufficient funds');
    expect(declined.html).toContain('You have not been charged');
    expect(declined.html).toMatch(/name="nameOnCard"[^>]*value="Jane Q Doe"/);
    expect(declined.html).toMatch(/name="amount"[^>]*value="25.00"/);
    expect(declined.html).toMatch(new RegExp(`name="expiry"[^>]*value="${CARD_EXPIRY.text}"`));
    // As whole tokens: a CSP nonce or an id on the page may hold the same digits by chance.
    expect(containsToken(declined.html, '9995')).toBe(false);
    expect(containsToken(declined.html, '987')).toBe(false);
    expect(declined.html).not.toMatch(/name="(cardNumber|cvv)"[^>]*value="[^"]/);
    expect(hiddenFields(declined.html).idempotencyKey).not.toBe(form.idempotencyKey);
    expect(generic.html).toContain('Your card was declined.');
  });

  it('charges nothing when the statement was replaced while the customer was on the page', async () => {
    const { statementUrl, customerId } = await customerWithStatement(merchant);
    const form = await openPayForm(statementUrl);
    await replaceStatement(merchant, customerId, { balanceDue: '75.00', billingDate: '2020-03-24' });

    const result = await postPayForm(statementUrl, { ...form, amount: '100.00' });
    const listed = await merchant.call('GET', '/listPayments', { query: { customerId } });

    expect(result.status).toBe(409);
    expect(result.html).toContain('updated this statement while you were on the page');
    expect(result.html).toContain('$75.00');
    expect(result.html).toContain('Billing Date: 03/24/2020');
    expect(listed.body.items).toHaveLength(0);
  });

  it('shows the replaced statement rather than field errors for a stale form with a typo', async () => {
    const { statementUrl, customerId } = await customerWithStatement(merchant);
    const form = await openPayForm(statementUrl);
    await replaceStatement(merchant, customerId, { balanceDue: '75.00' });

    const result = await postPayForm(statementUrl, { ...form, amount: '100.00', cardNumber: '4111 1111 1111 1112' });

    expect(result.status).toBe(409);
    expect(result.html).toContain('updated this statement while you were on the page');
    expect(result.html).toContain('$75.00');
  });

  it('records one payment when the same form is posted 20 times at once over HTTP', async () => {
    const { statementUrl, customerId } = await customerWithStatement(merchant);
    const form = await openPayForm(statementUrl);

    const results = await Promise.all(Array.from({ length: 20 }, () => postPayForm(statementUrl, { ...form, amount: '100.00' })));
    const listed = await merchant.call('GET', '/listPayments', { query: { customerId } });

    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => /pay_[0-9A-Z]{26}/.exec(r.html)?.[0])).size).toBe(1);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].remainingAfterMinor).toBe(0);
  });

  it('shows the same receipt when the same form is posted again', async () => {
    const { statementUrl, customerId } = await customerWithStatement(merchant);
    const form = await openPayForm(statementUrl);

    const first = await postPayForm(statementUrl, { ...form, amount: '10.00' });
    const again = await postPayForm(statementUrl, { ...form, amount: '10.00' });
    const listed = await merchant.call('GET', '/listPayments', { query: { customerId } });

    expect(again.status).toBe(200);
    expect(again.html.replace(/nonce="[^"]+"/, '')).toBe(first.html.replace(/nonce="[^"]+"/, ''));
    expect(listed.body.items).toHaveLength(1);
  });
});

describe('listPayments', () => {
  it('pages through the location\'s payments since a cursor, oldest first, and never another location\'s', async () => {
    const merchant = await merchantWithLocation();
    const other = await merchantWithLocation();
    const paid: string[] = [];
    for (const amount of ['11.00', '12.00', '13.00']) {
      const { statementUrl } = await customerWithStatement(merchant);
      const result = await postPayForm(statementUrl, { ...(await openPayForm(statementUrl)), amount });
      expect(result.status).toBe(200);
      paid.push(amount);
    }
    const { statementUrl: otherUrl, customerId: otherCustomer } = await customerWithStatement(other);
    await postPayForm(otherUrl, { ...(await openPayForm(otherUrl)), amount: '99.00' });

    const first = await merchant.call('GET', '/listPayments', { query: { limit: '2' } });
    const second = await merchant.call('GET', '/listPayments', { query: { limit: '2', cursor: first.body.nextCursor } });
    const later = await merchant.call('GET', '/listPayments', { query: { cursor: second.body.nextCursor } });
    const foreign = await merchant.call('GET', '/listPayments', { query: { customerId: otherCustomer } });
    const badCursor = await merchant.call('GET', '/listPayments', { query: { cursor: 'nope' } });

    expect(first.body.items.map((p: { amount: string }) => p.amount)).toEqual(['11.00', '12.00']);
    expect(first.body.hasMore).toBe(true);
    expect(second.body.items.map((p: { amount: string }) => p.amount)).toEqual(['13.00']);
    expect(later.body.items).toEqual([]);
    expect(later.body.nextCursor).toBe(second.body.nextCursor);
    expect(foreign.status).toBe(404);
    expect(badCursor.status).toBe(400);
    expect((await call('GET', '/listPayments')).status).toBe(401);
  });

  it('lists one customer\'s payments newest first', async () => {
    const merchant = await merchantWithLocation();
    const { statementUrl, customerId } = await customerWithStatement(merchant);
    for (const amount of ['5.00', '6.00', '7.00']) await postPayForm(statementUrl, { ...(await openPayForm(statementUrl)), amount });

    const page1 = await merchant.call('GET', '/listPayments', { query: { customerId, limit: '2' } });
    const page2 = await merchant.call('GET', '/listPayments', { query: { customerId, limit: '2', cursor: page1.body.nextCursor } });

    expect(page1.body.items.map((p: { amount: string }) => p.amount)).toEqual(['7.00', '6.00']);
    expect(page2.body.items.map((p: { amount: string }) => p.amount)).toEqual(['5.00']);
  });
});
