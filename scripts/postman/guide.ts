import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROUTES, type RouteName } from '../../functions/shared/manifest';
import { GUIDE_CUSTOMER, GUIDE_SERVICE_LOCATION, GUIDE_STATEMENT } from '../guide-examples';

/**
 * The getting started guide's Postman examples, in the guide's order, as saved requests built on
 * the converter's request for the same route (its URL, auth and documented headers). Each request
 * checks its answer and keeps what the next one needs in collection variables, so newman can walk
 * the folder against a running stack (`npm run postman:run`).
 */

const ROOT = path.resolve(__dirname, '..', '..');
export const SAMPLE_PDF = path.join(ROOT, 'docs', 'samples', 'statement.pdf');
const WEBHOOKS_DOC = path.join(ROOT, 'docs', 'webhooks.md');

export const GUIDE_FOLDER = 'Getting started (the guide, steps 1-5)';
export const WEBHOOK_FOLDER = 'Your webhook endpoint (example)';

/** Collection variables the guide's requests set for the ones after them. */
export const GUIDE_VARIABLES = ['customerId', 'statementUrl', 'tinyUrl'] as const;

// Postman's collection format, as far as these requests use it.
export interface PostmanHeader {
  key: string;
  value: string;
  disabled?: boolean;
  description?: string;
}
export interface PostmanRequest {
  method: string;
  url: unknown;
  header?: PostmanHeader[];
  body?: unknown;
  auth?: unknown;
  description?: unknown;
}
export interface PostmanItem {
  name: string;
  description?: string;
  item?: PostmanItem[];
  request?: PostmanRequest;
  response?: unknown[];
  event?: Array<{ listen: 'prerequest' | 'test'; script: { type: 'text/javascript'; exec: string[] } }>;
}

/** Finds the converter's request for a route (it names requests after the route's summary). */
export type RequestOf = (route: RouteName) => PostmanRequest;

const json = (value: unknown) => ({ mode: 'raw', raw: JSON.stringify(value, null, 2), options: { raw: { language: 'json' } } });

const tests = (...lines: string[]): PostmanItem['event'] => [{ listen: 'test', script: { type: 'text/javascript', exec: lines } }];

/** The converter's headers with these set (and enabled), named as the guide writes them. */
const withHeaders = (request: PostmanRequest, set: Record<string, string>): PostmanHeader[] => {
  const named = (key: string) => Object.keys(set).find((k) => k.toLowerCase() === key.toLowerCase());
  const headers = (request.header ?? []).map((h) => {
    const key = named(h.key);
    return key ? { ...h, key, value: set[key], disabled: false } : h;
  });
  for (const [key, value] of Object.entries(set)) if (!headers.some((h) => h.key === key)) headers.push({ key, value });
  return headers;
};

/** The attachment as the guide sends it: the PDF as a raw base64 string (its file name is then `statement-<billingDate>.pdf`). */
const attachmentOf = (pdf: Buffer) => pdf.toString('base64');

/** The `payment.completed` example of docs/webhooks.md, so the two never disagree. */
export const webhookExample = (): { event: Record<string, unknown>; raw: string } => {
  const doc = readFileSync(WEBHOOKS_DOC, 'utf8');
  const section = doc.slice(doc.indexOf('## The event'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section);
  if (!block) throw new Error('docs/webhooks.md has no ```json example under "## The event"');
  return { event: JSON.parse(block[1]) as Record<string, unknown>, raw: block[1] };
};

const STATEMENT = GUIDE_STATEMENT;

export const guideFolder = (requestOf: RequestOf): PostmanItem => {
  const post = (route: RouteName, body: unknown, headers: Record<string, string> = {}): PostmanRequest => {
    const request = requestOf(route);
    return { ...request, header: withHeaders(request, { 'Content-Type': 'application/json', ...headers }), body: json(body) };
  };
  const page = (url: string, description: string): PostmanRequest => ({
    method: 'GET',
    url: url,
    header: [{ key: 'Accept', value: 'text/html,application/pdf' }],
    auth: { type: 'noauth' },
    description,
  });

  return {
    name: GUIDE_FOLDER,
    description:
      'The guide\'s requests in its order. Set `baseUrl` and `apiKey` in the environment (`npm run admin -- create-key` issues a key), then send them one after the other: each keeps what the next needs (`customerId`, `statementUrl`, `tinyUrl`) in collection variables. `npm run postman:run` sends them all with newman.',
    item: [
      {
        name: 'Step 1: Create / Update a Service Location',
        description: 'The whole location is sent each time: optional fields left out are cleared.',
        request: post('setServiceLocation', GUIDE_SERVICE_LOCATION),
        event: tests(
          "pm.test('the Service Location is saved (201 when created, 200 when updated)', () => pm.expect(pm.response.code).to.be.oneOf([200, 201]));",
          "pm.test('it is the one sent', () => pm.expect(pm.response.json().name).to.eql('Sunrise Dental'));",
        ),
      },
      {
        name: 'Step 2: Create a Customer',
        description:
          'No `id`: a new Customer (201). `externalId` is unique within the location, so sending this again answers 409 `external_id_taken` naming the existing customer; the test keeps that id, so the folder can be run again.',
        request: post('setCustomer', { ...GUIDE_CUSTOMER, primaryEmail: 'john@example.com' }),
        event: tests(
          'const body = pm.response.json();',
          "pm.test('the Customer is created (201), or exists already (409 external_id_taken)', () => {",
          '  pm.expect(pm.response.code).to.be.oneOf([201, 409]);',
          "  if (pm.response.code === 409) pm.expect(body.error.code).to.eql('external_id_taken');",
          '});',
          "pm.collectionVariables.set('customerId', pm.response.code === 201 ? body.id : body.error.customerId);",
          "pm.test('the phone is kept in E.164', () => pm.response.code !== 201 || pm.expect(body.primaryPhone).to.eql('+15125550123'));",
        ),
      },
      {
        name: 'Step 2: Update a Customer',
        description: 'With `id`: only the fields named change (200); `null` clears an optional one.',
        request: post('setCustomer', { id: '{{customerId}}', primaryEmail: 'john.smith@example.com' }),
        event: tests(
          "pm.test('the Customer is updated (200)', () => pm.response.to.have.status(200));",
          "pm.test('only the email changed', () => pm.expect(pm.response.json()).to.include({ primaryEmail: 'john.smith@example.com', firstName: 'John' }));",
        ),
      },
      {
        name: 'Step 3: Create / Update a Statement (with the links)',
        description:
          'One statement per customer: sending another replaces it (200, `version` grows). With `Location-As-Navigable-Url: true` the answer carries the customer\'s statement link (`Location`) and tiny link (`Link`). The link is for the customer only.',
        request: post('setStatement', { customerId: '{{customerId}}', balanceDue: 100.0, ...STATEMENT }, { 'Location-As-Navigable-Url': 'true' }),
        event: tests(
          "pm.test('the Statement is saved (201 new, 200 replaced)', () => pm.expect(pm.response.code).to.be.oneOf([200, 201]));",
          "pm.test('the balance is kept in cents', () => pm.expect(pm.response.json()).to.include({ balanceDue: '100.00', balanceDueMinor: 10000 }));",
          "const link = pm.response.headers.get('Link') || '';",
          "pm.test('the statement link and tiny link are returned', () => { pm.expect(pm.response.headers.get('Location')).to.match(/\\/s\\//); pm.expect(link).to.match(/\\/t\\//); });",
          "pm.collectionVariables.set('statementUrl', pm.response.headers.get('Location'));",
          "pm.collectionVariables.set('tinyUrl', (/<([^>]+)>/.exec(link) || [])[1]);",
        ),
      },
      {
        name: 'Step 3: Statement with Attachment',
        description:
          'A PDF (docs/samples/statement.pdf, at most 4 MB) sent as base64. A replacement is the whole statement: fields left out (due date, memo, attachment) are cleared, so this one sends them again.',
        request: post('setStatement', { customerId: '{{customerId}}', balanceDue: '49.95', ...STATEMENT, attachment: attachmentOf(readFileSync(SAMPLE_PDF)) }),
        event: tests(
          "pm.test('the Statement is replaced (200)', () => pm.response.to.have.status(200));",
          'const body = pm.response.json();',
          "pm.test('it keeps the PDF, the due date and the memo', () => { pm.expect(body.attachment.fileName).to.eql('statement-2020-02-24.pdf'); pm.expect(body).to.include({ balanceDue: '49.95', dueDate: '2020-03-10', memo: 'February cleaning' }); });",
        ),
      },
      {
        name: 'Step 4: The statement page (open it in a browser)',
        description:
          'What the customer sees: the business, the billing date, the balance and PAY NOW, which opens the card form. Open `{{statementUrl}}` (or `{{tinyUrl}}`) in a browser to pay with a sandbox card (README, step 4).',
        request: page('{{statementUrl}}', 'The customer statement page (HTML).'),
        event: tests(
          "pm.test('the page answers (200, HTML)', () => { pm.response.to.have.status(200); pm.expect(pm.response.headers.get('Content-Type')).to.include('text/html'); });",
          "pm.test('it shows the balance and PAY NOW', () => { pm.expect(pm.response.text()).to.include('$49.95'); pm.expect(pm.response.text()).to.include('PAY NOW'); });",
        ),
      },
      {
        name: "Step 4: The statement's PDF",
        description: 'The page links the PDF here; it redirects to a short-lived signed link.',
        request: page('{{statementUrl}}/attachment', 'Redirects to the PDF.'),
        event: tests(
          "pm.test('the PDF is served', () => { pm.response.to.have.status(200); pm.expect(pm.response.headers.get('Content-Type')).to.eql('application/pdf'); });",
        ),
      },
      {
        name: 'Step 5: Send the updated Statement (balance 0.00)',
        description:
          'After your webhook heard that John paid $49.95, send his statement again with the new balance: $0.00. (The guide\'s example; a zero balance sends no notification.) This replacement leaves the PDF out, so the statement no longer has one.',
        request: post('setStatement', { customerId: '{{customerId}}', balanceDue: '0.00', ...STATEMENT }),
        event: tests(
          "pm.test('the Statement is replaced (200) with nothing due', () => { pm.response.to.have.status(200); pm.expect(pm.response.json()).to.include({ balanceDue: '0.00', balanceDueMinor: 0 }); });",
        ),
      },
    ],
  };
};

/**
 * Guide step 5's example of the webhook a merchant's system implements: the request we send to it,
 * with the docs' example event. It goes to `{{webhookUrl}}`, your endpoint, not to this API.
 */
export const webhookFolder = (): PostmanItem => {
  const { raw } = webhookExample();
  const request: PostmanRequest = {
    method: 'POST',
    url: '{{webhookUrl}}',
    auth: { type: 'noauth' },
    header: [
      { key: 'Content-Type', value: 'application/json' },
      { key: 'User-Agent', value: 'CustomerStatements-Webhooks/1' },
      { key: 'webhook-id', value: 'evt_01JDA9R4M3XQ7T2W8K5N6P0B1C', description: 'The event id; the same on every retry: deduplicate on it.' },
      { key: 'webhook-timestamp', value: '1764007445', description: 'Unix seconds of this attempt.' },
      { key: 'webhook-signature', value: 'v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">', description: 'Verify with the standardwebhooks library and your whsec_ secret.' },
    ],
    body: { mode: 'raw', raw, options: { raw: { language: 'json' } } },
    description:
      'When a payment completes we POST this signed `payment.completed` event to the URL your integration specialist configured (`npm run admin -- set-webhook`). Verify the Standard Webhooks signature, record the payment (idempotent on `webhook-id`), answer 2xx, then send the updated Statement. Payload, headers, retries: docs/webhooks.md.',
  };
  return {
    name: WEBHOOK_FOLDER,
    description: 'What your management system receives. Not a request to this API: point `webhookUrl` at your own endpoint to try it.',
    item: [
      {
        name: 'Payment webhook: payment.completed',
        request,
        response: [{ name: 'Your endpoint accepts it', originalRequest: request, status: 'No Content', code: 204, header: [], body: '' }],
      },
    ],
  };
};

/** The routes the guide folder sends, for the test that keeps it in step with ROUTES. */
export const GUIDE_ROUTES: RouteName[] = ['setServiceLocation', 'setCustomer', 'setStatement'];
export const summaryOf = (route: RouteName) => ROUTES[route].summary;
