import { readFileSync } from 'node:fs';
import { ROUTES } from '../../functions/shared/manifest';
import { COLLECTION_FILE, ENVIRONMENT_FILE, renderPostman } from '../../scripts/postman';
import { GUIDE_FOLDER, SAMPLE_PDF, WEBHOOK_FOLDER, webhookExample } from '../../scripts/postman/guide';

describe('docs/postman (the Postman collection and local environment)', () => {
  let generated: { collection: string; environment: string };
  let collection: any;

  beforeAll(async () => {
    // Prepare
    generated = await renderPostman();
    collection = JSON.parse(readFileSync(COLLECTION_FILE, 'utf8'));
  });

  it('is up to date with docs/openapi.json and the guide (run `npm run postman` when this fails)', () => {
    // Act
    const committed = { collection: readFileSync(COLLECTION_FILE, 'utf8'), environment: readFileSync(ENVIRONMENT_FILE, 'utf8') };

    // Assess
    expect(committed.collection === generated.collection ? 'up to date' : 'stale: run `npm run postman` and commit docs/postman/').toBe('up to date');
    expect(committed.environment === generated.environment ? 'up to date' : 'stale: run `npm run postman` and commit docs/postman/').toBe('up to date');
  });

  it('is the same on every run (no random ids or faked values)', async () => {
    // Act
    const again = await renderPostman();

    // Assess
    expect(again).toEqual(generated);
  });

  it('is a Postman v2.1 collection', () => {
    // Assess
    expect(collection.info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
  });

  it("starts with the guide's examples, in the guide's order", () => {
    // Act
    const [guide, webhook] = collection.item;

    // Assess
    expect(guide.name).toBe(GUIDE_FOLDER);
    expect(guide.item.map((item: any) => item.name)).toEqual([
      'Step 1: Create / Update a Service Location',
      'Step 2: Create a Customer',
      'Step 2: Update a Customer',
      'Step 3: Create / Update a Statement (with the links)',
      'Step 3: Statement with Attachment',
      'Step 4: The statement page (open it in a browser)',
      "Step 4: The statement's PDF",
      'Step 5: Send the updated Statement (balance 0.00)',
    ]);
    expect(webhook.name).toBe(WEBHOOK_FOLDER);
  });

  it('sends the Location-As-Navigable-Url header and the sample PDF as the guide shows', () => {
    // Act
    const [links, withAttachment] = collection.item[0].item.slice(3, 5);
    const header = links.request.header.find((h: any) => h.key === 'Location-As-Navigable-Url');
    const body = JSON.parse(withAttachment.request.body.raw);

    // Assess
    expect(header).toMatchObject({ value: 'true', disabled: false });
    expect(Buffer.from(body.attachment, 'base64')).toEqual(readFileSync(SAMPLE_PDF));
    expect(body).toMatchObject({ dueDate: '2020-03-10', memo: 'February cleaning' });
  });

  it("carries docs/webhooks.md's payment.completed example as the webhook's body", () => {
    // Act
    const request = collection.item[1].item[0].request;

    // Assess
    expect(JSON.parse(request.body.raw)).toEqual(webhookExample().event);
    expect(request.header.map((h: any) => h.key)).toEqual(expect.arrayContaining(['webhook-id', 'webhook-timestamp', 'webhook-signature']));
  });

  it('holds a request for every route, with the CX-API-Key on the merchant routes', () => {
    // Act
    const reference = collection.item.slice(2).flatMap((folder: any) => folder.item);

    // Assess
    for (const route of Object.values(ROUTES)) {
      const request = reference.find((item: any) => item.name === route.summary)?.request;
      expect(request?.method).toBe(route.method);
      if (route.auth === 'apiKey') expect(request.auth).toMatchObject({ type: 'apikey', apikey: expect.arrayContaining([{ key: 'value', value: '{{apiKey}}' }]) });
    }
  });
});
