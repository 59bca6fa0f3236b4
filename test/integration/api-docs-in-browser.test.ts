import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { ROUTES } from '../../functions/shared/manifest';
import { merchantWithLocation } from '../support/api';
import { stackInfo } from '../support/stack-info';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});

describe('the API reference of the local runtime (/docs)', () => {
  it('serves the spec at /openapi.json with this server first', async () => {
    // Act
    const response = await fetch(`${stackInfo().url}/openapi.json`);
    const document = (await response.json()) as { openapi: string; servers: Array<{ url: string }>; paths: Record<string, unknown> };

    // Assess
    expect(response.status).toBe(200);
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers[0].url).toBe(stackInfo().url);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(Object.values(ROUTES).map((route) => route.path)));
  });

  it('shows every route in Chromium from local files only, under its CSP, and saves a screenshot', async () => {
    // Prepare
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const elsewhere: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(stackInfo().url) && !request.url().startsWith('data:')) elsewhere.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP: ' + e.violatedDirective + ' ' + e.blockedURI));",
    });

    // Act
    const response = await page.goto(`${stackInfo().url}/docs`);
    await page.getByText('setStatement', { exact: true }).first().waitFor({ timeout: 20_000 });
    const operationIds = await page.locator('.opblock-summary-operation-id').allTextContents();
    await page.locator('.opblock-tag-section').first().scrollIntoViewIfNeeded();
    await page.locator('#operations-Merchant_API-setStatement button.opblock-summary-control').click();
    await page.getByText('Location-As-Navigable-Url', { exact: false }).first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'api-docs.png') });
    await context.close();

    // Assess
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(operationIds).toEqual(expect.arrayContaining(Object.keys(ROUTES)));
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('lets "Try it out" call the running service with the key given to Authorize', async () => {
    // Prepare
    const merchant = await merchantWithLocation({ name: 'Try It Dental' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${stackInfo().url}/docs`);
    const operation = page.locator('#operations-Merchant_API-getServiceLocation');
    await operation.waitFor();

    // Act
    await page.locator('.auth-wrapper button.authorize').click();
    await page.locator('.modal-ux input').first().fill(merchant.key);
    await page.locator('.modal-ux button.authorize').click();
    await page.locator('.modal-ux button.btn-done').click();
    await operation.locator('button.opblock-summary-control').click();
    await operation.locator('.try-out__btn').click();
    await operation.locator('.execute').click();
    const status = operation.locator('.live-responses-table tbody .response-col_status');
    await status.first().waitFor();
    const answered = (await status.first().textContent())?.trim();
    const body = await operation.locator('.live-responses-table tbody .response-col_description .microlight').first().textContent();
    await page.close();

    // Assess
    expect(answered).toBe('200');
    expect(JSON.parse(body ?? '{}')).toMatchObject({ id: merchant.locationId, name: 'Try It Dental' });
  });
});
