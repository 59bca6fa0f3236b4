import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { clock } from '../functions/shared/adapters/clock';
import { resolveTarget } from './admin/support/target';
import { createKey } from './admin/api-keys';
import { setWebhook } from './admin/webhooks';
import { GUIDE_CUSTOMER, GUIDE_SERVICE_LOCATION, GUIDE_STATEMENT } from './guide-examples';

/**
 * `npm run demo`: walks the getting started guide against the running local stack (`API`, or
 * `PORT`, default 3000) and prints each step as it happens: a key, the Service Location, a
 * customer, a statement with a PDF, the text message, a card payment, the signed webhook arriving
 * and verifying, and the $0.00 statement the guide's example ends with. Exits 0 only when every
 * step did what it says. Starts nothing but a small webhook receiver on a free local port.
 */

const SAMPLE_PDF = path.resolve(__dirname, '..', 'docs', 'samples', 'statement.pdf');
const APPROVED_CARD = '4111 1111 1111 1111';

export interface DemoOptions {
  /** The local runtime, e.g. http://localhost:3000. */
  baseUrl: string;
  log?: (line: string) => void;
  /** How long to wait for the SMS and the webhook. @default 30000 */
  timeoutMs?: number;
}

export interface DemoResult {
  apiKey: string;
  locationId: string;
  customerId: string;
  statementUrl: string;
  tinyUrl: string;
  sms: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the event as received, read loosely
  webhookEvent: { id: string; type: string; data: Record<string, any> };
  finalBalance: string;
}

export class DemoStepError extends Error {}

const fail = (message: string): never => {
  throw new DemoStepError(message);
};

const twoDigits = (n: number) => String(n).padStart(2, '0');

/** A card expiry four years after now, as a customer types it. */
const futureExpiry = () => {
  const now = clock.now();
  return `${twoDigits(now.getUTCMonth() + 1)} / ${now.getUTCFullYear() + 4}`;
};

const until = async <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) return fail(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** The merchant's webhook endpoint: records each delivery and answers 204. */
const startReceiver = async () => {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/hooks/payments`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export const runDemo = async (options: DemoOptions): Promise<DemoResult> => {
  const log = options.log ?? ((line: string) => console.log(line));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  let step = 0;
  const say = (title: string) => log(`\n${++step}. ${title}`);
  const ok = (detail: string) => log(`   ✓ ${detail}`);

  const api = async (route: string, key: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${route}`, {
      method: 'POST',
      headers: { 'CX-API-Key': key, 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) fail(`POST ${route} answered ${response.status}: ${text}`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read loosely, step by step
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as Record<string, any> };
  };

  /** The local outbox's text messages that carry this link, oldest first. */
  const textsWith = async (link: string) => {
    const outbox = (await (await fetch(`${baseUrl}/_local/outbox.json`)).json()) as { sms: Array<{ to: string; body: string }> };
    return outbox.sms.filter((message) => message.body.includes(link)).reverse();
  };

  log(`Customer Statements: the getting started guide against ${baseUrl}`);
  const health = await fetch(`${baseUrl}/health`).catch(() => undefined);
  if (!health?.ok) fail(`nothing answers at ${baseUrl}/health: start the service with \`npm start\` (set API or PORT if it runs elsewhere)`);

  const target = await resolveTarget({ url: baseUrl });
  const receiver = await startReceiver();
  try {
    say('The integration specialist issues a CX-API-Key (npm run admin -- create-key)');
    const { apiKey, locationId } = await createKey(target, {});
    ok(`key for ${locationId}: ${apiKey}`);
    ok('it is shown once and stored only as a hash');

    say('Step 1: Create a Service Location (POST /setServiceLocation)');
    const location = await api('/setServiceLocation', apiKey, GUIDE_SERVICE_LOCATION);
    if (location.body.name !== 'Sunrise Dental') fail(`setServiceLocation returned ${JSON.stringify(location.body)}`);
    ok(`${location.status}: "${location.body.name}" (${location.body.currency}, ${location.body.timeZone})`);

    say('Step 2: Create a Customer (POST /setCustomer, no id)');
    const customer = await api('/setCustomer', apiKey, GUIDE_CUSTOMER);
    if (customer.status !== 201) fail(`setCustomer answered ${customer.status}, not 201`);
    const customerId = String(customer.body.id);
    ok(`201: ${customerId}, phone stored as ${customer.body.primaryPhone}`);

    say('Before any payment: the specialist sets the location\'s webhook to the merchant\'s endpoint (guide step 5 a-b; npm run admin -- set-webhook)');
    const webhook = await setWebhook(target, { location: locationId, url: receiver.url });
    ok(`webhook ${webhook.url}, signing secret ${webhook.secret.slice(0, 10)}…`);

    say('Step 3: Create a Statement with a PDF (POST /setStatement, Location-As-Navigable-Url: true)');
    const pdf = readFileSync(SAMPLE_PDF);
    const statement = await api(
      '/setStatement',
      apiKey,
      {
        customerId,
        balanceDue: '49.95',
        ...GUIDE_STATEMENT,
        attachment: pdf.toString('base64'),
      },
      { 'Location-As-Navigable-Url': 'true' },
    );
    const statementUrl = statement.headers.get('location') ?? fail('no Location header with Location-As-Navigable-Url: true');
    const tinyUrl = /<([^>]+)>/.exec(statement.headers.get('link') ?? '')?.[1] ?? fail('no Link header (tiny link)');
    ok(`${statement.status}: ${statement.body.id} version ${statement.body.version}, balance ${statement.body.balanceDue}, PDF ${statement.body.attachment?.fileName} (${statement.body.attachment?.sizeBytes} bytes)`);
    ok(`statement link ${statementUrl}`);
    ok(`tiny link      ${tinyUrl}`);
    const attachment = await fetch(`${statementUrl}/attachment`);
    const served = Buffer.from(await attachment.arrayBuffer());
    if (!attachment.ok || !served.equals(pdf)) fail(`the statement's PDF link answered ${attachment.status} with ${served.length} bytes`);
    ok(`the page's PDF link serves the PDF (${attachment.headers.get('content-type')})`);

    say('The customer gets a text message (local outbox, /_local/outbox.json)');
    const sms = await until('the SMS with the tiny link', timeoutMs, async () => (await textsWith(tinyUrl)).find((message) => message.body.includes('new statement')));
    ok(`to ${sms.to}: "${sms.body}"`);

    say(`Step 4: John opens the link and pays $49.95 with the sandbox card ${APPROVED_CARD}`);
    const form = await (await fetch(`${statementUrl}?pay=1`)).text();
    if (!form.includes('$49.95')) fail('the statement page does not show $49.95');
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(form)?.[1] ?? fail(`the card form has no ${name}`);
    const paid = await fetch(`${statementUrl}/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        idempotencyKey: hidden('idempotencyKey'),
        statementVersion: hidden('statementVersion'),
        amount: '49.95',
        nameOnCard: 'John Smith',
        cardNumber: APPROVED_CARD,
        expiry: futureExpiry(),
        cvv: '123',
      }).toString(),
    });
    const receipt = await paid.text();
    if (paid.status !== 200 || !receipt.includes('Payment received')) fail(`the card form answered ${paid.status}`);
    ok('200: the receipt page says "Payment received"');
    const receiptText = await until('the receipt text message', timeoutMs, async () => (await textsWith(tinyUrl)).find((message) => message.body.includes('received')));
    ok(`John's phone gets the receipt: "${receiptText.body}"`);

    say('Step 5: The merchant\'s endpoint receives the signed payment.completed webhook');
    const delivery = await until('the webhook delivery', timeoutMs, async () => receiver.received[0]);
    const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, String(delivery.headers[name] ?? '')]));
    ok(`POST ${new URL(receiver.url).pathname}, webhook-id ${headers['webhook-id']}`);
    let event: DemoResult['webhookEvent'];
    try {
      event = new Webhook(webhook.secret).verify(delivery.body, headers) as DemoResult['webhookEvent'];
    } catch (error) {
      return fail(`the webhook signature does not verify: ${(error as Error).message}`);
    }
    ok('the signature verifies with the standardwebhooks library and the secret');
    const { amount, remainingAfter, customer: paidBy, card } = event.data;
    if (event.type !== 'payment.completed' || paidBy?.id !== customerId) fail(`unexpected event ${JSON.stringify(event)}`);
    ok(`${event.type}: ${paidBy.externalId} paid ${amount.amount} ${amount.currency} with ${card.brand} …${card.last4}; ${remainingAfter.amount} remains`);

    say(`Step 5: The merchant sends the updated Statement: John now owes $${remainingAfter.amount}`);
    const updated = await api('/setStatement', apiKey, { customerId, balanceDue: remainingAfter.amount, ...GUIDE_STATEMENT });
    if (updated.body.balanceDue !== '0.00') fail(`the updated statement has balance ${updated.body.balanceDue}`);
    ok(`${updated.status}: version ${updated.body.version}, balance ${updated.body.balanceDue}`);
    // Nothing is due, so the customer is not told about this statement: give the stream a moment to prove it.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const statementTexts = (await textsWith(tinyUrl)).filter((message) => message.body.includes('new statement'));
    if (statementTexts.length !== 1) fail(`John got ${statementTexts.length} statement text messages, not 1: ${JSON.stringify(statementTexts)}`);
    ok('no new statement text: nothing is due');
    const page = await (await fetch(statementUrl)).text();
    if (!page.includes('$0.00')) fail('the statement page does not show $0.00');
    ok(`the statement page now shows $0.00: ${statementUrl}`);

    log(`\nDone: every step did what it says. To go on with this location:\n  export API=${baseUrl} KEY=${apiKey}`);
    return { apiKey, locationId, customerId, statementUrl, tinyUrl, sms: sms.body, webhookEvent: event, finalBalance: updated.body.balanceDue };
  } finally {
    await receiver.close();
    target.documents.destroy();
    target.sqs.destroy();
  }
};

if (require.main === module) {
  const baseUrl = process.env.API || `http://localhost:${process.env.PORT || 3000}`;
  runDemo({ baseUrl }).then(
    () => process.exit(0),
    (error: Error) => {
      console.error(`\n   ✗ ${error instanceof DemoStepError ? error.message : (error.stack ?? error.message)}`);
      process.exit(1);
    },
  );
}
