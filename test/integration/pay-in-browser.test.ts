import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { merchantWithLocation, type Merchant } from '../support/api';
import { tinyPdf } from '../support/fixtures';
import { APPROVED_CARD, customerWithStatement, DECLINED_CARD, INSUFFICIENT_FUNDS_CARD, replaceStatement } from '../support/payments';
import { cardExpiry } from '../support/clock';

// Typed as a customer would: MM / YY, four years from now.
const EXPIRY = cardExpiry(4, 'MM / YY').text;
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
// Device scale 1, so the saved screenshots are exactly 360 px wide.
const PHONE = { viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

const LOGO_URL = 'https://cdn.sunrise.example/logo.png';

/** A solid 120 × 40 PNG in the merchant's colour, served as the logo (the test has no network). */
const logoPng = (): Buffer => {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(120, 0);
  header.writeUInt32BE(40, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: 120 }, () => [10, 124, 102]).flat())]);
  const pixels = Buffer.concat(Array.from({ length: 40 }, () => row));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
};

let browser: Browser;
let merchant: Merchant;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  merchant = await merchantWithLocation({
    name: 'Sunrise Dental LLC',
    contactPhone: '(512) 555-0100',
    contactEmail: 'billing@sunrise.example',
    branding: { displayName: 'Sunrise Dental', accentColor: '#0A7C66', logoUrl: LOGO_URL },
  });
});
afterAll(async () => {
  await browser?.close();
});

/** A phone-sized page. axe is injected by the test, so CSP is bypassed here (and checked on its own below). */
const phonePage = async (): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({ ...PHONE, bypassCSP: true });
  await serveLogo(context);
  return { context, page: await context.newPage() };
};

const serveLogo = (context: BrowserContext) => context.route(LOGO_URL, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: logoPng() }));

const seriousViolations = async (page: Page) => {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; help: string }> }> } }).axe.run());
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
};

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

/** Types the card details key by key, as a person (or the browser's autofill) would. */
const fillCard = async (page: Page, card: { name?: string; number: string; expiry?: string; cvv?: string; amount?: string }) => {
  if (card.amount !== undefined) {
    await page.getByLabel(/^Amount/).fill('');
    await page.getByLabel(/^Amount/).pressSequentially(card.amount, { delay: 10 });
  }
  if (card.name !== undefined) await page.getByLabel('Name on card').pressSequentially(card.name, { delay: 10 });
  await page.getByLabel('Card Number').pressSequentially(card.number, { delay: 10 });
  if (card.expiry !== undefined) await page.getByLabel('Expiration').pressSequentially(card.expiry, { delay: 10 });
  await page.getByLabel('CVV').pressSequentially(card.cvv ?? '123', { delay: 10 });
};

describe('the customer pays in a real browser', () => {
  it('opens the tiny link, pays the full balance and sees the receipt', async () => {
    const { tinyUrl, customerId } = await customerWithStatement(merchant, {
      dueDate: '2020-03-10',
      memo: 'Cleaning and X-rays, Feb 24',
      attachment: { fileName: 'statement-feb.pdf', content: tinyPdf().toString('base64') },
    });
    const { context, page } = await phonePage();

    await page.goto(tinyUrl);
    await page.getByRole('img', { name: 'Sunrise Dental logo' }).waitFor();
    await shot(page, 'statement-360');
    const statementViolations = await seriousViolations(page);
    const statement = await page.locator('body').innerText();
    const logoWidth = await page.getByRole('img', { name: 'Sunrise Dental logo' }).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
    await page.getByRole('link', { name: 'PAY NOW' }).click();
    await page.getByLabel('Card Number').waitFor();
    const formViolations = await seriousViolations(page);
    await fillCard(page, { name: 'Jane Doe', number: APPROVED_CARD, expiry: EXPIRY, cvv: '123' });
    await shot(page, 'pay-form-360');
    const payButton = await page.getByRole('button', { name: /^PAY / }).innerText();
    await page.getByRole('button', { name: 'PAY' }).click();
    await page.getByRole('heading', { name: 'Payment received' }).waitFor();
    await shot(page, 'receipt-360');
    const receiptViolations = await seriousViolations(page);
    const receipt = await page.locator('main').innerText();
    const receiptUrl = page.url();
    await page.getByRole('link', { name: 'Print receipt' }).click();
    await page.getByRole('heading', { name: 'Receipt' }).waitFor();
    await page.emulateMedia({ media: 'print' });
    await shot(page, 'receipt-print-360');
    await page.emulateMedia({ media: 'screen' });
    const printableViolations = await seriousViolations(page);
    const printable = await page.locator('main').innerText();
    await page.getByRole('link', { name: 'Back to statement' }).click();
    await page.getByText('Paid in full').waitFor();
    await shot(page, 'paid-in-full-360');
    const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    const listed = await merchant.call('GET', '/listPayments', { query: { customerId } });
    await context.close();

    expect(receiptUrl).toMatch(/\/s\/[A-Za-z0-9_-]+\/pay$/);
    expect(statementViolations).toEqual([]);
    expect(formViolations).toEqual([]);
    expect(receiptViolations).toEqual([]);
    expect(receipt).toContain('$100.00');
    expect(receipt).toContain('Visa ending in 1111');
    expect(receipt).toContain('$0.00');
    expect(statement).toMatch(/Sunrise Dental\s+1 Main St\s+Austin, TX 78701\s+\(512\) 555-0100\s+billing@sunrise\.example/);
    expect(statement).toMatch(/No\. ST-[0-9A-Z]{8} · For John Smith/);
    expect(statement).toMatch(/Due Date: 03\/10\/2020 Overdue/);
    expect(statement).toContain('Billing Date: 02/24/2020');
    expect(statement).toContain('Thank you for your business');
    expect(logoWidth).toBe(120);
    expect(payButton).toBe('PAY $100.00');
    expect(receipt).toMatch(/For\s+John Smith/);
    expect(receipt).toMatch(/Statement\s+ST-[0-9A-Z]{8}/);
    expect(receipt).toMatch(/\d{2}\/\d{2}\/\d{4}, \d{1,2}:\d{2} [AP]M C[SD]T/);
    expect(printableViolations).toEqual([]);
    expect(printable).toContain('Visa ending in 1111');
    expect(printable).toContain('Download receipt');
    expect(scrollWidth).toBeLessThanOrEqual(360);
    expect(listed.body.items).toHaveLength(1);
  });

  it('explains a declined card and keeps everything but the card number and CVV', async () => {
    const { statementUrl } = await customerWithStatement(merchant);
    const { context, page } = await phonePage();

    await page.goto(statementUrl);
    await page.getByRole('link', { name: 'PAY NOW' }).click();
    await fillCard(page, { name: 'Jane Doe', number: INSUFFICIENT_FUNDS_CARD, expiry: EXPIRY, amount: '25.00' });
    await page.getByRole('button', { name: 'PAY' }).click();
    await page.getByRole('alert').waitFor();
    await shot(page, 'declined-360');
    const alert = await page.getByRole('alert').innerText();
    const kept = {
      name: await page.getByLabel('Name on card').inputValue(),
      expiry: await page.getByLabel('Expiration').inputValue(),
      amount: await page.getByLabel(/^Amount/).inputValue(),
      number: await page.getByLabel('Card Number').inputValue(),
      cvv: await page.getByLabel('CVV').inputValue(),
    };
    const violations = await seriousViolations(page);
    await fillCard(page, { number: DECLINED_CARD });
    await page.getByRole('button', { name: 'PAY' }).click();
    await page.getByRole('alert').waitFor();
    const second = await page.getByRole('alert').innerText();
    await context.close();

    expect(alert).toContain('insufficient funds');
    expect(alert).toContain('You have not been charged');
    expect(kept).toEqual({ name: 'Jane Doe', expiry: EXPIRY, amount: '25.00', number: '', cvv: '' });
    expect(violations).toEqual([]);
    expect(second).toContain('Your card was declined.');
  });

  it('pays part of the balance and then shows the statement as partially paid', async () => {
    const { statementUrl } = await customerWithStatement(merchant);
    const { context, page } = await phonePage();

    await page.goto(statementUrl);
    await page.getByRole('link', { name: 'PAY NOW' }).click();
    await fillCard(page, { name: 'Jane Doe', number: APPROVED_CARD, expiry: EXPIRY, amount: '40.00' });
    await page.getByRole('button', { name: 'PAY' }).click();
    await page.getByRole('heading', { name: 'Payment received' }).waitFor();
    const receipt = await page.locator('main').innerText();
    await page.getByRole('link', { name: 'Back to statement' }).click();
    await page.getByRole('heading', { name: 'Statement' }).waitFor();
    await shot(page, 'partially-paid-360');
    const statement = await page.locator('main').innerText();
    await context.close();

    expect(receipt).toContain('$40.00');
    expect(receipt).toMatch(/Remaining balance\s+\$60\.00/);
    expect(statement).toContain('Remaining balance');
    expect(statement).toContain('$60.00');
    expect(statement).toContain('Paid so far $40.00');
  });

  it('charges nothing and shows the new statement when the merchant replaced it meanwhile', async () => {
    const { statementUrl, customerId } = await customerWithStatement(merchant);
    const { context, page } = await phonePage();

    await page.goto(statementUrl);
    await page.getByRole('link', { name: 'PAY NOW' }).click();
    await fillCard(page, { name: 'Jane Doe', number: APPROVED_CARD, expiry: EXPIRY });
    await replaceStatement(merchant, customerId, { balanceDue: '80.00', billingDate: '2020-03-24' });
    await page.getByRole('button', { name: 'PAY' }).click();
    await page.getByRole('status').waitFor();
    await shot(page, 'replaced-360');
    const text = await page.locator('main').innerText();
    const listed = await merchant.call('GET', '/listPayments', { query: { customerId } });
    await context.close();

    expect(text).toContain('updated this statement while you were on the page');
    expect(text).toContain('You have not been charged');
    expect(text).toContain('$80.00');
    expect(text).toContain('Billing Date: 03/24/2020');
    expect(listed.body.items).toHaveLength(0);
  });

  it('shows the plain 404 page for an unknown link', async () => {
    const { statementUrl } = await customerWithStatement(merchant);
    const { context, page } = await phonePage();

    const response = await page.goto(`${statementUrl.slice(0, -4)}AAAA`);
    await shot(page, 'not-found-360');
    const violations = await seriousViolations(page);
    await context.close();

    expect(response?.status()).toBe(404);
    expect(violations).toEqual([]);
  });

  it('renders with its own stylesheet under the strict CSP and reports no violations', async () => {
    const { statementUrl } = await customerWithStatement(merchant);
    const context = await browser.newContext(PHONE);
    await serveLogo(context);
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });

    await page.goto(statementUrl);
    const logoWidth = await page.getByRole('img', { name: 'Sunrise Dental logo' }).evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth);
    const button = await page.getByRole('link', { name: 'PAY NOW' }).evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    await context.close();

    expect(button).toBe('rgb(10, 124, 102)');
    expect(logoWidth).toBe(120);
    expect(cspErrors).toEqual([]);
  });
});
