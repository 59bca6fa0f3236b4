import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { call } from '../support/api';
import { stackInfo } from '../support/stack-info';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run admin -- <args>` the way an operator would, against the test run's local stack. */
const admin = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve) => {
    const port = new URL(stackInfo().url).port;
    execFile(TSX, ['scripts/admin.ts', ...args], { cwd: ROOT, env: { ...process.env, API: '', PORT: port, ...env }, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

const LOCATION = { name: 'Admin CLI Dental', address: { line1: '1 Main St', city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' } };

describe('npm run admin', () => {
  it('create-key --json prints one JSON line with a key that works for a new location', async () => {
    // Act
    const run = await admin(['create-key', '--json']);

    // Assess
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const issued = JSON.parse(lines[0]);
    expect(issued).toEqual({ apiKey: expect.stringMatching(/^cx_/), locationId: expect.stringMatching(/^loc_[0-9A-Z]{26}$/), keyId: expect.any(String) });
    const set = await call('POST', '/setServiceLocation', { key: issued.apiKey, body: LOCATION });
    expect(set.status).toBe(201);
    const read = await call('GET', '/getServiceLocation', { key: issued.apiKey });
    expect(read.body).toMatchObject({ id: issued.locationId, name: LOCATION.name });
  });

  it('create-key --location issues a second key for an existing location', async () => {
    // Prepare
    const first = JSON.parse((await admin(['create-key', '--json'])).stdout);
    await call('POST', '/setServiceLocation', { key: first.apiKey, body: LOCATION });

    // Act
    const run = await admin(['create-key', '--location', first.locationId, '--json']);

    // Assess
    const second = JSON.parse(run.stdout);
    expect(second.locationId).toBe(first.locationId);
    expect(second.apiKey).not.toBe(first.apiKey);
    const read = await call('GET', '/getServiceLocation', { key: second.apiKey });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(first.locationId);
  });

  it.each([
    ['--api-key', (issued: { apiKey: string }) => issued.apiKey],
    ['--key-id', (issued: { keyId: string }) => issued.keyId],
  ])('revoke-key %s makes the key answer 401 while other keys keep working', async (option, value) => {
    // Prepare
    const issued = JSON.parse((await admin(['create-key', '--json'])).stdout);
    const other = JSON.parse((await admin(['create-key', '--location', issued.locationId, '--json'])).stdout);
    await call('POST', '/setServiceLocation', { key: issued.apiKey, body: LOCATION });

    // Act
    const run = await admin(['revoke-key', option, value(issued), '--json']);

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ keyId: issued.keyId, revoked: true });
    const revoked = await call('GET', '/getServiceLocation', { key: issued.apiKey });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('unauthorized');
    expect((await call('GET', '/getServiceLocation', { key: other.apiKey })).status).toBe(200);
  });

  it('revoke-key fails with a message for a key that does not exist', async () => {
    // Act
    const run = await admin(['revoke-key', '--key-id', 'AAAAAAAAAAAAAAAA']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No API key AAAAAAAAAAAAAAAA');
  });

  it('refuses a malformed --location without writing anything', async () => {
    // Act
    const run = await admin(['create-key', '--location', 'not a location', '--json']);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--location must look like loc_');
    expect(run.stdout).toBe('');
  });

  it('explains what to do when no local stack answers and no deployed table is named', async () => {
    // Act
    const run = await admin(['create-key', '--json'], { PORT: '1' });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('npm start');
    expect(run.stderr).toContain('--table <name> --region <region>');
  });

  it('finds the local stack at API (the base URL the README exports) whatever PORT says', async () => {
    // Act
    const run = await admin(['create-key', '--json'], { PORT: '1', API: stackInfo().url });
    const wrong = await admin(['create-key', '--json'], { API: 'http://localhost:1' });

    // Assess
    expect(run.code).toBe(0);
    expect((await call('POST', '/setServiceLocation', { key: JSON.parse(run.stdout).apiKey, body: LOCATION })).status).toBe(201);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('No local stack answers at http://localhost:1/_local/config');
    expect(wrong.stderr).toContain('API=http://localhost:<port>');
  });

  it('works against a named table and region (a deployed stack; here DynamoDB Local through the standard endpoint variable)', async () => {
    // Prepare
    const { names, endpoints } = stackInfo();

    // Act
    const run = await admin(['create-key', '--table', names.table, '--region', 'us-east-1', '--json'], {
      PORT: '1',
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });

    // Assess
    expect(run.code).toBe(0);
    const issued = JSON.parse(run.stdout);
    expect((await call('POST', '/setServiceLocation', { key: issued.apiKey, body: LOCATION })).status).toBe(201);
  });

  it('takes the table from a `cdk deploy --outputs-file` file', async () => {
    // Prepare
    const { names, endpoints } = stackInfo();
    const outputs = path.join(mkdtempSync(path.join(tmpdir(), 'outputs-')), 'cdk-outputs.json');
    writeFileSync(outputs, JSON.stringify({ 'CustomerStatements-dev': { ApiUrl: 'https://example.invalid/dev/', TableName: names.table } }));

    // Act
    const run = await admin(['create-key', '--outputs', outputs, '--region', 'us-east-1', '--json'], {
      PORT: '1',
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });

    // Assess
    expect(run.code).toBe(0);
    expect((await call('POST', '/setServiceLocation', { key: JSON.parse(run.stdout).apiKey, body: LOCATION })).status).toBe(201);
  });

  it('answers an unknown command with usage and exit code 2', async () => {
    // Act
    const run = await admin(['make-coffee']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command make-coffee');
    expect(run.stderr).toContain('create-key');
  });

  describe('processor accounts', () => {
    it('connect-processor, show-processor and remove-processor set, show and clear a location\'s Stripe account', async () => {
      // Prepare
      const issued = JSON.parse((await admin(['create-key', '--json'])).stdout);
      await call('POST', '/setServiceLocation', { key: issued.apiKey, body: LOCATION });

      // Act
      const connected = await admin(['connect-processor', '--location', issued.locationId, '--stripe-account', 'acct_1AdminCliDental', '--json']);
      const shown = await admin(['show-processor', '--location', issued.locationId, '--json']);
      const replaced = await call('POST', '/setServiceLocation', { key: issued.apiKey, body: { ...LOCATION, name: 'Admin CLI Dental & Ortho' } });
      const afterUpdate = await admin(['show-processor', '--location', issued.locationId, '--json']);
      const removed = await admin(['remove-processor', '--location', issued.locationId, '--json']);
      const gone = await admin(['show-processor', '--location', issued.locationId, '--json']);

      // Assess
      expect(connected.code).toBe(0);
      expect(JSON.parse(shown.stdout)).toEqual({ locationId: issued.locationId, processor: { processor: 'stripe', accountId: 'acct_1AdminCliDental', connectedAt: expect.any(String) } });
      // The merchant's own update of the location keeps the account the integration specialist set.
      expect(replaced.status).toBe(200);
      expect(JSON.parse(afterUpdate.stdout).processor.accountId).toBe('acct_1AdminCliDental');
      expect(JSON.parse(removed.stdout)).toEqual({ locationId: issued.locationId, processor: null });
      expect(JSON.parse(gone.stdout)).toEqual({ locationId: issued.locationId, processor: null });
      // The local stack runs the sandbox: every location takes (test) cards there.
      expect((await call('GET', '/getServiceLocation', { key: issued.apiKey })).body.cardPayments).toEqual({ available: true, processor: 'sandbox' });
    });

    it.each([
      [['connect-processor', '--location', 'loc_nosuchlocation', '--stripe-account', 'acct_1AdminCliDental'], /No Service Location loc_nosuchlocation/],
      [['connect-processor', '--location', 'loc_x', '--stripe-account', 'sk_live_oops'], /--stripe-account must be a Stripe connected account id/],
      [['show-processor', '--location', 'nope'], /--location must look like loc_<id>/],
    ])('refuses %p with a message and writes nothing', async (args, message) => {
      // Act
      const run = await admin(args);

      // Assess
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(message);
    });
  });
});
