import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/local.ts', '--json', '--data-dir', dataDir, ...extraArgs], {
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
    expect((await setLocation(first.url, apiKey, 'Kept Across Restarts')).status).toBe(200);

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
});
