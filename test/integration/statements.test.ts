import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { merchantWithLocation } from '../support/api';
import { createCustomer, statementBody, tinyPdf } from '../support/fixtures';
import { testClients } from '../support/clients';
import { stackInfo } from '../support/stack-info';
import { statementKey } from '../../functions/shared/table/keys';

const { s3, documents } = testClients();

const objectsOf = async (locationId: string) => {
  const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: stackInfo().names.attachmentsBucket, Prefix: `locations/${locationId}/` }));
  return (Contents ?? []).map((o) => o.Key);
};

describe('setStatement', () => {
  it('creates the statement (201) with an id and version 1, storing the balance as cents', async () => {
    const merchant = await merchantWithLocation();
    const customerId = await createCustomer(merchant);

    const response = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: 49.95, dueDate: '2020-03-10', memo: 'Cleaning' }) });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ customerId, version: 1, balanceDue: '49.95', balanceDueMinor: 4995, billingDate: '2020-02-24', dueDate: '2020-03-10', memo: 'Cleaning' });
    expect(response.body.id).toMatch(/^stm_/);
    expect(response.headers.get('location')).toBeNull();
    const { Item } = await documents.send(new GetCommand({ TableName: stackInfo().names.table, Key: statementKey(customerId) }));
    expect(Item).toMatchObject({ balanceDueMinor: 4995, remainingMinor: 4995, paidMinor: 0 });
  });

  it('returns the statement link and tiny link when asked with Location-As-Navigable-Url, the same across replacements', async () => {
    const merchant = await merchantWithLocation();
    const customerId = await createCustomer(merchant);
    const headers = { 'Location-As-Navigable-Url': 'true' };

    const first = await merchant.call('POST', '/setStatement', { body: statementBody(customerId), headers });
    const second = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '0' }), headers });

    const base = stackInfo().url;
    expect(first.headers.get('location')).toMatch(new RegExp(`^${base}/s/[A-Za-z0-9_-]{32}$`));
    expect(first.headers.get('link')).toMatch(new RegExp(`^<${base}/t/[A-Za-z0-9]{10}>; rel="shortlink"$`));
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, version: 2, balanceDueMinor: 0 });
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(second.headers.get('link')).toBe(first.headers.get('link'));
  });

  it('leaves exactly one statement after 20 concurrent replacements, with 20 distinct versions', async () => {
    const merchant = await merchantWithLocation();
    const customerId = await createCustomer(merchant);

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: `${i + 1}.00` }) })),
    );

    expect(responses.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);
    const versions = responses.map((r) => r.body.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const winner = responses.find((r) => r.body.version === 20)!;
    const current = await merchant.call('GET', '/getStatement', { query: { customerId } });
    expect(current.body).toMatchObject({ version: 20, balanceDueMinor: winner.body.balanceDueMinor });
  });

  it.each([
    ['a negative balance', { balanceDue: -1 }, 'balanceDue'],
    ['three decimals', { balanceDue: '1.005' }, 'balanceDue'],
    ['a float that is not cents', { balanceDue: 0.1 + 0.2 }, 'balanceDue'],
    ['an impossible date', { billingDate: '2020-02-30' }, 'billingDate'],
    ['a due date before the billing date', { dueDate: '2020-01-01' }, 'dueDate'],
    ['an unknown field', { tip: 5 }, 'tip'],
    ['a memo over 500 characters', { memo: 'm'.repeat(501) }, 'memo'],
    ['an attachment that is not base64', { attachment: { fileName: 'a.pdf', content: '***' } }, 'attachment.content'],
    ['an attachment that is not a PDF', { attachment: { fileName: 'a.pdf', content: Buffer.from('GIF89a....').toString('base64') } }, 'attachment.content'],
  ])('rejects %s with 400 naming the field and writes nothing', async (_case, overrides, field) => {
    const merchant = await merchantWithLocation();
    const customerId = await createCustomer(merchant);

    const response = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, overrides) });

    expect(response.status).toBe(400);
    expect(response.body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
    expect((await merchant.call('GET', '/getStatement', { query: { customerId } })).status).toBe(404);
    expect(await objectsOf(merchant.locationId)).toEqual([]);
  });

  it('rejects an attachment over 4 MB decoded', async () => {
    const merchant = await merchantWithLocation();
    const customerId = await createCustomer(merchant);
    const big = Buffer.concat([tinyPdf(), Buffer.alloc(4 * 1024 * 1024)]).toString('base64');

    const response = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { attachment: { fileName: 'big.pdf', content: big } }) });

    expect(response.status).toBe(400);
    expect(response.body.error.fields[0]).toEqual({ path: 'attachment.content', message: 'The attachment is larger than 4 MB.' });
  });

  it('answers malformed JSON, a wrong content type and an oversized body with JSON errors', async () => {
    const merchant = await merchantWithLocation();

    const malformed = await merchant.call('POST', '/setStatement', { rawBody: '{"customerId":', headers: { 'Content-Type': 'application/json' } });
    const wrongType = await merchant.call('POST', '/setStatement', { rawBody: 'a=b', headers: { 'Content-Type': 'text/plain' } });
    const formBody = await merchant.call('POST', '/setStatement', { rawBody: 'a=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const oversized = await merchant.call('POST', '/setStatement', { rawBody: JSON.stringify({ memo: 'x'.repeat(6_000_000) }), headers: { 'Content-Type': 'application/json' } });
    const badHeader = await merchant.call('POST', '/setStatement', { body: {}, headers: { 'Location-As-Navigable-Url': 'yes' } });

    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'invalid_json']);
    expect([wrongType.status, wrongType.body.error.code]).toEqual([415, 'unsupported_media_type']);
    expect([formBody.status, formBody.body.error.code]).toEqual([415, 'unsupported_media_type']);
    expect([oversized.status, oversized.body.error.code]).toEqual([413, 'payload_too_large']);
    expect(badHeader.status).toBe(400);
    expect(badHeader.body.error.fields.map((f: { path: string }) => f.path)).toContain('headers.location-as-navigable-url');
  });

  it('stores the PDF in S3 (not the table) and replaces it with the statement', async () => {
    const merchant = await merchantWithLocation();
    const customerId = await createCustomer(merchant);
    const attachment = { fileName: 'February.pdf', content: tinyPdf().toString('base64') };

    const first = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { attachment }) });
    const keysAfterFirst = await objectsOf(merchant.locationId);
    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { attachment: { ...attachment, fileName: 'March.pdf' } }) });
    const keysAfterSecond = await objectsOf(merchant.locationId);

    expect(first.body.attachment).toEqual({ fileName: 'February.pdf', sizeBytes: tinyPdf().length });
    expect(keysAfterFirst).toHaveLength(1);
    expect(keysAfterSecond).toHaveLength(1);
    expect(keysAfterSecond[0]).not.toBe(keysAfterFirst[0]);
    const { Item } = await documents.send(new GetCommand({ TableName: stackInfo().names.table, Key: statementKey(customerId) }));
    expect(JSON.stringify(Item)).not.toContain(attachment.content);
  });

  it('takes the PDF as a raw base64 string, as the guide shows, and names it after the billing date', async () => {
    const merchant = await merchantWithLocation();
    const customerId = await createCustomer(merchant);

    const response = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { attachment: tinyPdf().toString('base64') }) });
    const notPdf = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { attachment: Buffer.from('hello').toString('base64') }) });
    const badObject = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { attachment: { fileName: 'a.pdf', content: 'not base64!' } }) });

    expect(response.status).toBeLessThan(300);
    expect(response.body.attachment).toEqual({ fileName: `statement-${response.body.billingDate}.pdf`, sizeBytes: tinyPdf().length });
    expect([notPdf.status, notPdf.body.error.fields]).toEqual([400, [{ path: 'attachment', message: 'The attachment is not a PDF.' }]]);
    expect(badObject.body.error.fields).toEqual([{ path: 'attachment.content', message: 'Send the PDF as a raw base64 string.' }]);
  });

  it('answers 404 for a customer of another location and stores no attachment', async () => {
    const owner = await merchantWithLocation();
    const stranger = await merchantWithLocation();
    const customerId = await createCustomer(owner);

    const response = await stranger.call('POST', '/setStatement', {
      body: statementBody(customerId, { attachment: { fileName: 'x.pdf', content: tinyPdf().toString('base64') } }),
    });
    const read = await stranger.call('GET', '/getStatement', { query: { customerId } });

    expect(response.status).toBe(404);
    expect(read.status).toBe(404);
    expect(await objectsOf(stranger.locationId)).toEqual([]);
  });
});

describe('Idempotency-Key on the set endpoints', () => {
  it('returns the first response to a retry and writes nothing new', async () => {
    const merchant = await merchantWithLocation();
    const customerId = await createCustomer(merchant);
    const headers = { 'Idempotency-Key': 'stmt-2020-02-retry' };

    const first = await merchant.call('POST', '/setStatement', { body: statementBody(customerId), headers });
    const retry = await merchant.call('POST', '/setStatement', { body: statementBody(customerId), headers });

    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect((await merchant.call('GET', '/getStatement', { query: { customerId } })).body.version).toBe(1);
  });

  it('answers 422 when the same key comes with a different body', async () => {
    const merchant = await merchantWithLocation();
    const headers = { 'Idempotency-Key': 'customer-create-1' };
    await merchant.call('POST', '/setCustomer', { body: { firstName: 'A', lastName: 'B' }, headers });

    const response = await merchant.call('POST', '/setCustomer', { body: { firstName: 'C', lastName: 'D' }, headers });

    const originalRetry = await merchant.call('POST', '/setCustomer', { body: { firstName: 'A', lastName: 'B' }, headers });

    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('idempotency_key_reused');
    expect(originalRetry.status).toBe(201);
    expect((await merchant.call('GET', '/listCustomers')).body.items).toHaveLength(1);
  });

  it('creates one customer when 20 identical requests race, each answered with it or told to retry', async () => {
    const merchant = await merchantWithLocation();
    const headers = { 'Idempotency-Key': 'racing-create' };

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => merchant.call('POST', '/setCustomer', { body: { firstName: 'Race', lastName: 'Car' }, headers })),
    );

    const created = responses.filter((r) => r.status === 201);
    const busy = responses.filter((r) => r.status === 409);
    expect(created.length + busy.length).toBe(20);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(busy.every((r) => r.body.error.code === 'request_in_progress' && r.headers.get('retry-after') === '1')).toBe(true);
    expect((await merchant.call('GET', '/listCustomers')).body.items).toHaveLength(1);
  });

  it('keeps keys of two locations apart', async () => {
    const first = await merchantWithLocation();
    const second = await merchantWithLocation();
    const headers = { 'Idempotency-Key': 'same-key-everywhere' };

    const a = await first.call('POST', '/setCustomer', { body: { firstName: 'A', lastName: 'B' }, headers });
    const b = await second.call('POST', '/setCustomer', { body: { firstName: 'A', lastName: 'B' }, headers });

    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
  });
});
