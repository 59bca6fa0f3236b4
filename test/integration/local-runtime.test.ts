import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../bin/local/ports';

const ROOT = path.resolve(__dirname, '..', '..');

interface Running {
  child: ChildProcess;
  url: string;
  dynamoDbPort: number;
}

const started: ChildProcess[] = [];

/** Starts `npm start`'s entry point as a newcomer would, on free ports, with a data folder. */
const start = async (dataDir: string, dynamoDbPort: number, extraArgs: string[] = []): Promise<Running> => {
  // What `npm start` runs: Node with tsx's loader, no relaying parent process.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts', '--json', '--data-dir', dataDir, ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DYNAMODB_PORT: String(dynamoDbPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = output.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (ready) resolve(ready);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  return { child, url: JSON.parse(line).url, dynamoDbPort };
};

const stopWithCtrlC = (running: Running) =>
  new Promise<number | null>((resolve) => {
    running.child.once('exit', (code) => resolve(code));
    running.child.kill('SIGINT');
  });

const portIsClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

const createKey = async (url: string) => {
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/admin.ts', 'create-key', '--json'], {
    cwd: ROOT,
    env: { ...process.env, PORT: new URL(url).port },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(out.trim().split('\n').pop()!) as { apiKey: string; locationId: string };
};

const setLocation = (url: string, key: string, name: string) =>
  fetch(`${url}/setServiceLocation`, { method: 'POST', headers: { 'CX-API-Key': key, 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });

const getLocation = (url: string, key: string) => fetch(`${url}/getServiceLocation`, { headers: { 'CX-API-Key': key } });

const post = async (url: string, key: string, route: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${url}${route}`, { method: 'POST', headers: { 'CX-API-Key': key, 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (response.status >= 300) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return response;
};

/** Follows the statement page's PDF link as a browser would (our redirect, then the signed link). */
const openPdf = async (statementUrl: string) => {
  const response = await fetch(`${statementUrl}/attachment`);
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
};

interface OutboxJson {
  sms: Array<{ to: string; body: string }>;
  email: Array<{ to: string; subject: string }>;
}

const outboxOf = async (url: string) => (await (await fetch(`${url}/_local/outbox.json`)).json()) as OutboxJson;

const waitForOutbox = async (url: string, done: (outbox: OutboxJson) => boolean) => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const outbox = await outboxOf(url);
    if (done(outbox)) return outbox;
    if (Date.now() > deadline) throw new Error(`outbox not as expected: ${JSON.stringify(outbox)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/**
 * Each test starts `npm start` three times (TypeScript compiled on the fly, DynamoDB Local's JVM):
 * about 15 s a start on a quiet two-core machine, three times that when the rest of the suite runs
 * beside it. The patience is generous; nothing here measures speed.
 */
jest.setTimeout(180_000);

describe('npm start (bin/local.ts)', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'statements-local-'));
  afterAll(async () => {
    // A failed assertion must not leave a stack (and its JVM) running: stop it as Ctrl-C would.
    await Promise.all(
      started
        .filter((child) => child.exitCode === null && child.signalCode === null)
        .map((child) => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGINT')))),
    );
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps data across a restart, begins empty with --fresh, and leaves no process holding a port after Ctrl-C', async () => {
    const dynamoDbPort = await freePort();
    const first = await start(dataDir, dynamoDbPort);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    const { apiKey } = await createKey(first.url);
    expect((await setLocation(first.url, apiKey, 'Kept Across Restarts')).status).toBe(201);

    expect(await stopWithCtrlC(first)).toBe(0);
    expect(await portIsClosed(dynamoDbPort)).toBe(true);
    expect(await portIsClosed(Number(new URL(first.url).port))).toBe(true);

    const second = await start(dataDir, dynamoDbPort);
    const kept = await getLocation(second.url, apiKey);
    expect(kept.status).toBe(200);
    expect(((await kept.json()) as { name: string }).name).toBe('Kept Across Restarts');
    await stopWithCtrlC(second);

    const fresh = await start(dataDir, dynamoDbPort, ['--fresh']);
    expect((await getLocation(fresh.url, apiKey)).status).toBe(401);
    await stopWithCtrlC(fresh);
    expect(await portIsClosed(dynamoDbPort)).toBe(true);
  });

  it("keeps a statement's PDF and the outbox across a restart, and shows our 404 page for a PDF that is gone", async () => {
    // Prepare
    const keptDir = mkdtempSync(path.join(os.tmpdir(), 'statements-kept-'));
    const dynamoDbPort = await freePort();
    const pdf = readFileSync(path.join(ROOT, 'docs', 'samples', 'statement.pdf'));
    const first = await start(keptDir, dynamoDbPort);
    const { apiKey } = await createKey(first.url);
    await setLocation(first.url, apiKey, 'Kept Across Restarts');
    const bySms = (await (await post(first.url, apiKey, '/setCustomer', { firstName: 'John', lastName: 'Smith', primaryPhone: '(512) 555-0199' })).json()) as { id: string };
    const byEmail = (await (await post(first.url, apiKey, '/setCustomer', { firstName: 'Jane', lastName: 'Doe', primaryEmail: 'jane.kept@example.com' })).json()) as { id: string };
    const statement = { balanceDue: '49.95', billingDate: '2020-02-24', attachment: pdf.toString('base64') };
    const created = await post(first.url, apiKey, '/setStatement', { customerId: bySms.id, ...statement }, { 'Location-As-Navigable-Url': 'true' });
    const statementUrl = created.headers.get('location')!;
    await post(first.url, apiKey, '/setStatement', { customerId: byEmail.id, ...statement });
    const before = await waitForOutbox(first.url, (o) => o.sms.some((m) => m.to === '+15125550199') && o.email.some((m) => m.to === 'jane.kept@example.com'));
    expect(await openPdf(statementUrl)).toEqual({ status: 200, type: 'application/pdf', body: pdf });
    await stopWithCtrlC(first);

    // Act
    const second = await start(keptDir, dynamoDbPort);
    const pdfAfterRestart = await openPdf(statementUrl.replace(first.url, second.url));
    const outboxAfterRestart = await outboxOf(second.url);
    await stopWithCtrlC(second);
    rmSync(path.join(keptDir, 's3'), { recursive: true, force: true });
    const third = await start(keptDir, dynamoDbPort);
    const missingPdf = await fetch(`${statementUrl.replace(first.url, third.url)}/attachment`);
    const missingPdfPage = await missingPdf.text();
    await stopWithCtrlC(third);
    rmSync(keptDir, { recursive: true, force: true });

    // Assess
    expect(pdfAfterRestart).toEqual({ status: 200, type: 'application/pdf', body: pdf });
    expect(outboxAfterRestart.sms).toEqual(before.sms);
    expect(outboxAfterRestart.email).toEqual(before.email);
    expect(missingPdf.status).toBe(404);
    expect(missingPdf.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(missingPdfPage).toContain('<title>Page not found</title>');
    expect(missingPdfPage).not.toMatch(/NoSuchKey|fauxqs|<Code>/);
  });
});
