import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { chromium, type Browser } from 'playwright-core';
import { merchantWithLocation } from '../support/api';
import { testClients } from '../support/clients';
import { stackInfo } from '../support/stack-info';
import { context, pageEvent } from '../support/page-events';
import { customerWithStatement } from '../support/payments';

// The statement page as a Stripe stage's Lambda renders it, in process; Chromium gets it through a
// route on a made-up https origin, and every request to Stripe fails, as it does here (no internet).
process.env.PAYMENT_GATEWAY = 'stripe';
process.env.STRIPE_PUBLISHABLE_KEY = 'pk_test_pagetest';

const { handler: statementPage } = require('../../functions/statement-page/handler') as typeof import('../../functions/statement-page/handler');
const { locationsRepo } = require('../../functions/shared/repos/locations') as typeof import('../../functions/shared/repos/locations');

const ORIGIN = 'https://statements.test';
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('the Stripe statement page in Chromium, with Stripe unreachable', () => {
  let browser: Browser;
  let token: string;
  const stripeRequests: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const merchant = await merchantWithLocation({ name: 'Bayview Dental', contactPhone: '+15125550177', contactEmail: 'billing@bayview.example' });
    await locationsRepo(stackInfo().names.table, testClients().documents).setProcessor(merchant.locationId, { processor: 'stripe', accountId: 'acct_1BayviewDental00', connectedAt: new Date().toISOString() });
    ({ token } = await customerWithStatement(merchant));
  });
  afterAll(async () => {
    await browser?.close();
    delete process.env.PAYMENT_GATEWAY;
    delete process.env.STRIPE_PUBLISHABLE_KEY;
  });

  const render = async (query?: Record<string, string>) =>
    (await statementPage(pageEvent({ method: 'GET', resource: '/s/{token}', path: `/s/${token}`, pathParameters: { token }, query }), context('statement-page'))) as APIGatewayProxyResult;

  it('allows exactly Stripe\'s documented hosts in the CSP of the card form, and nothing on the plain statement', async () => {
    // Act
    const form = await render({ pay: '1' });
    const statement = await render();

    // Assess
    const csp = String(form.headers!['Content-Security-Policy']);
    expect(csp).toMatch(/script-src 'nonce-[^']+' https:\/\/js\.stripe\.com https:\/\/\*\.js\.stripe\.com;/);
    expect(csp).toContain('frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com;');
    expect(csp).toContain('connect-src https://api.stripe.com;');
    expect(csp).toContain("default-src 'none'");
    expect(String(statement.headers!['Content-Security-Policy'])).not.toMatch(/script-src|stripe/);
    expect(form.body).not.toContain('name="cardNumber"');
  });

  it('shows a clear message instead of a blank or silent form when Stripe\'s script cannot load', async () => {
    // Prepare
    const browserContext = await browser.newContext({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, isMobile: true });
    await browserContext.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname.endsWith('stripe.com')) {
        stripeRequests.push(url.href);
        return route.abort('internetdisconnected');
      }
      if (url.origin !== ORIGIN) return route.abort();
      const result = await render(Object.fromEntries(url.searchParams));
      return route.fulfill({ status: result.statusCode, headers: result.headers as Record<string, string>, body: result.body });
    });
    const page = await browserContext.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
    });

    // Act
    await page.goto(`${ORIGIN}/s/${token}?pay=1`);
    await page.locator('#stripe-unavailable').waitFor({ state: 'visible', timeout: 15_000 });

    // Assess
    const text = await page.locator('body').innerText();
    expect(text).toContain('Statement');
    expect(text).toContain('Billing Date');
    expect(text).toMatch(/\$\d/);
    expect(text).toContain('Thank you for your business');
    expect(text).toContain('The secure card form could not load. Please check your connection and reload this page, or contact Bayview Dental ((512) 555-0177, billing@bayview.example) to pay. You have not been charged.');
    expect(await page.locator('#stripe-pay-form').isVisible()).toBe(false);
    expect(await page.locator('#stripe-loading').isVisible()).toBe(false);
    expect(stripeRequests).toEqual(['https://js.stripe.com/v3/']);
    expect(violations).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'stripe-unavailable-360.png'), fullPage: true });
    await browserContext.close();
  });
});
