import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { merchantWithLocation, type Merchant } from '../support/api';
import { createCustomer, statementBody, tinyPdf } from '../support/fixtures';
import { testClients } from '../support/clients';
import { stackInfo } from '../support/stack-info';
import { statementKey } from '../../functions/shared/table/keys';
import { LIMITS } from '../../functions/shared/manifest';

const { documents } = testClients();

const customers = (merchant: Merchant, count: number) => Promise.all(Array.from({ length: count }, () => createCustomer(merchant)));

describe('setStatements', () => {
  it('writes every item on its own and answers one result per item in request order', async () => {
    const merchant = await merchantWithLocation();
    const [a, b, c] = await customers(merchant, 3);
    await merchant.call('POST', '/setStatement', { body: statementBody(b, { balanceDue: '1.00' }) });

    const response = await merchant.call('POST', '/setStatements', {
      body: {
        statements: [
          statementBody(a, { balanceDue: '12.34' }),
          statementBody(b, { balanceDue: '5.00', memo: 'Replaced' }),
          { customerId: c, balanceDue: 'lots', billingDate: '2020-02-31', colour: 'red' },
          statementBody('cus_01J00000000000000000000000', { balanceDue: '1.00' }),
          statementBody(c, { balanceDue: '7.00', attachment: tinyPdf().toString('base64') }),
        ],
      },
    });

    expect(response.status).toBe(200);
    const { results, summary } = response.body;
    expect(results.map((r: { index: number; status: number }) => [r.index, r.status])).toEqual([[0, 201], [1, 200], [2, 400], [3, 404], [4, 201]]);
    expect(summary).toEqual({ created: 2, updated: 1, failed: 2 });
    expect(results[0].statement).toMatchObject({ customerId: a, version: 1, balanceDueMinor: 1234 });
    expect(results[1].statement).toMatchObject({ customerId: b, version: 2, balanceDueMinor: 500, memo: 'Replaced' });
    expect(results[2].error.code).toBe('validation_failed');
    expect(results[2].error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['balanceDue', 'billingDate', 'colour']);
    expect(results[3].error.code).toBe('customer_not_found');
    expect(results[4].statement).toMatchObject({ customerId: c, balanceDueMinor: 700, attachment: expect.any(Object) });
    expect(results[0].links).toBeUndefined();
    const { Item } = await documents.send(new GetCommand({ TableName: stackInfo().names.table, Key: statementKey(a) }));
    expect(Item).toMatchObject({ balanceDueMinor: 1234, remainingMinor: 1234 });
  });

  it('applies two items for the same customer in request order, the last one winning', async () => {
    const merchant = await merchantWithLocation();
    const [a] = await customers(merchant, 1);

    const response = await merchant.call('POST', '/setStatements', {
      body: { statements: [statementBody(a, { balanceDue: '1.00' }), statementBody(a, { balanceDue: '2.00' }), statementBody(a, { balanceDue: '3.00' })] },
    });

    expect(response.body.results.map((r: { statement: { version: number } }) => r.statement.version)).toEqual([1, 2, 3]);
    const current = await merchant.call('GET', '/getStatement', { query: { customerId: a } });
    expect(current.body).toMatchObject({ version: 3, balanceDueMinor: 300 });
  });

  it('returns each item\'s links in the body with Location-As-Navigable-Url: true', async () => {
    const merchant = await merchantWithLocation();
    const [a, b] = await customers(merchant, 2);

    const response = await merchant.call('POST', '/setStatements', {
      headers: { 'Location-As-Navigable-Url': 'true' },
      body: { statements: [statementBody(a), statementBody(b)] },
    });

    const base = stackInfo().url;
    for (const result of response.body.results) {
      expect(result.links).toEqual({ statementUrl: expect.stringMatching(new RegExp(`^${base}/s/[A-Za-z0-9_-]{32}$`)), tinyUrl: expect.stringMatching(new RegExp(`^${base}/t/[A-Za-z0-9]{10}$`)) });
    }
    const single = await merchant.call('GET', '/getStatement', { query: { customerId: a }, headers: { 'Location-As-Navigable-Url': 'true' } });
    expect(response.body.results[0].links.statementUrl).toBe(single.headers.get('location'));
    expect(response.headers.get('location')).toBeNull();
  });

  it('answers a retry with the same Idempotency-Key with the first answer and writes nothing again', async () => {
    const merchant = await merchantWithLocation();
    const [a, b] = await customers(merchant, 2);
    const body = { statements: [statementBody(a), statementBody(b)] };
    const headers = { 'Idempotency-Key': `run-${a}` };

    const first = await merchant.call('POST', '/setStatements', { body, headers });
    const retry = await merchant.call('POST', '/setStatements', { body, headers });
    const other = await merchant.call('POST', '/setStatements', { body: { statements: [statementBody(a)] }, headers });

    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(other.status).toBe(422);
    const current = await merchant.call('GET', '/getStatement', { query: { customerId: a } });
    expect(current.body.version).toBe(1);
  });

  it('fails the whole request only when the body itself is unusable, naming the problem', async () => {
    const merchant = await merchantWithLocation();
    const [a] = await customers(merchant, 1);
    const tooMany = Array.from({ length: LIMITS.maxStatementsPerBatch + 1 }, () => statementBody(a));

    const notAnArray = await merchant.call('POST', '/setStatements', { body: { statements: statementBody(a) } });
    const bare = await merchant.call('POST', '/setStatements', { body: [statementBody(a)] });
    const empty = await merchant.call('POST', '/setStatements', { body: { statements: [] } });
    const over = await merchant.call('POST', '/setStatements', { body: { statements: tooMany } });
    const badJson = await merchant.call('POST', '/setStatements', { rawBody: '{"statements": [', headers: { 'Content-Type': 'application/json' } });
    const huge = await merchant.call('POST', '/setStatements', {
      rawBody: JSON.stringify({ statements: [{ memo: 'x'.repeat(LIMITS.maxBodyBytes) }] }),
      headers: { 'Content-Type': 'application/json' },
    });

    expect([notAnArray.status, notAnArray.body.error.fields]).toEqual([400, [{ path: 'statements', message: expect.any(String) }]]);
    expect([bare.status, bare.body.error.code]).toEqual([400, 'validation_failed']);
    expect([empty.status, empty.body.error.fields[0].path]).toEqual([400, 'statements']);
    expect([over.status, over.body.error.fields[0].path]).toEqual([400, 'statements']);
    expect([badJson.status, badJson.body.error.code]).toEqual([400, 'invalid_json']);
    expect([huge.status, huge.body.error.code]).toEqual([413, 'payload_too_large']);
    const current = await merchant.call('GET', '/getStatement', { query: { customerId: a } });
    expect(current.status).toBe(404);
  });

  it('writes 100 statements in one request', async () => {
    const merchant = await merchantWithLocation();
    const ids = await customers(merchant, LIMITS.maxStatementsPerBatch);

    const response = await merchant.call('POST', '/setStatements', { body: { statements: ids.map((id, i) => statementBody(id, { balanceDue: `${i + 1}.00` })) } });

    expect(response.body.summary).toEqual({ created: 100, updated: 0, failed: 0 });
    expect(response.body.results.map((r: { statement: { customerId: string; balanceDueMinor: number } }) => [r.statement.customerId, r.statement.balanceDueMinor])).toEqual(
      ids.map((id, i) => [id, (i + 1) * 100]),
    );
  });
});
