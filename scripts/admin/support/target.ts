import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES, type QueueName } from '../../../functions/shared/manifest';
import type { AdminTarget, QueueUrls } from './types';

/** What `GET /_local/config` of a running `npm start` answers. */
interface LocalConfig {
  region: string;
  endpoints: { dynamoDb: string; fauxqs: string };
  names: { table: string; queues: Record<QueueName, QueueUrls> };
  lambdaEnvironment: Record<string, string>;
}

export interface TargetOptions {
  table?: string;
  region?: string;
  /** A `cdk deploy --outputs-file` JSON: fills the table name and queue URLs. */
  outputs?: string;
  /** Port of the local runtime; `PORT` as `npm start` reads it. */
  port?: string;
  /** Base URL of the local runtime (`API`, as the README's examples set it); wins over `port`. */
  url?: string;
}

export class TargetError extends Error {}

const documentsOf = (dynamo: DynamoDBClient) => DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });

const makeTarget = (base: Omit<AdminTarget, 'queue' | 'webhookQueueUrl'>, queues: Partial<Record<QueueName, QueueUrls>>, hint: string): AdminTarget => {
  const queue = (name: QueueName): QueueUrls => {
    const found = queues[name];
    if (!found) throw new TargetError(`The ${QUEUES[name].id} URL is unknown: ${hint}`);
    return found;
  };
  return {
    ...base,
    queue,
    get webhookQueueUrl() {
      return queue('webhook').url;
    },
  };
};

const fetchLocalConfig = async (baseUrl: string): Promise<LocalConfig | undefined> => {
  try {
    const response = await fetch(new URL('/_local/config', baseUrl), { signal: AbortSignal.timeout(3000) });
    return response.ok ? ((await response.json()) as LocalConfig) : undefined;
  } catch {
    return undefined;
  }
};

/** Stack outputs named `<QueueId>Url` / `<QueueId>DlqUrl` (see lib/statements-stack.ts). */
const readOutputs = (file: string): { table?: string; queues: Partial<Record<QueueName, QueueUrls>> } => {
  let parsed: Record<string, Record<string, string>>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TargetError(`Cannot read stack outputs from ${file}: ${(error as Error).message}`);
  }
  const outputs = Object.assign({}, ...Object.values(parsed)) as Record<string, string>;
  const queues: Partial<Record<QueueName, QueueUrls>> = {};
  for (const [name, spec] of Object.entries(QUEUES) as Array<[QueueName, (typeof QUEUES)[QueueName]]>) {
    const url = outputs[`${spec.id}Url`];
    const dlqUrl = outputs[`${spec.id}DlqUrl`];
    if (url && dlqUrl) queues[name] = { url, dlqUrl };
  }
  return { table: outputs.TableName, queues };
};

/**
 * A deployed stack when `--table` or `--outputs` is given (AWS credentials from the usual chain),
 * otherwise the local runtime at `url` (`API`) or on `PORT` (default 3000), found through its
 * `/_local/config` route.
 */
export const resolveTarget = async (options: TargetOptions): Promise<AdminTarget> => {
  if (options.table || options.outputs) {
    const fromOutputs = options.outputs ? readOutputs(options.outputs) : { queues: {} };
    const tableName = options.table ?? fromOutputs.table;
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!tableName) throw new TargetError(`No TableName output in ${options.outputs}; pass --table.`);
    if (!region) throw new TargetError('Pass --region (or set AWS_REGION) with --table.');
    const dynamo = new DynamoDBClient({ region });
    return makeTarget(
      { kind: 'aws', region, tableName, documents: documentsOf(dynamo), sqs: new SQSClient({ region }), allowLoopback: false },
      fromOutputs.queues,
      'pass --outputs <file> written by `cdk deploy --outputs-file <file>`.',
    );
  }
  const baseUrl = options.url || `http://localhost:${options.port || '3000'}`;
  let local: LocalConfig | undefined;
  try {
    local = await fetchLocalConfig(new URL(baseUrl).toString());
  } catch {
    throw new TargetError(`API=${JSON.stringify(options.url)} is not a URL; set it like http://localhost:3000.`);
  }
  if (!local) {
    throw new TargetError(
      `No local stack answers at ${new URL('/_local/config', baseUrl)}. Start it with \`npm start\`; if it runs elsewhere, ` +
        'set API=http://localhost:<port> (or PORT=<port>) as for `npm start`, or target a deployed stack with --table <name> --region <region>.',
    );
  }
  const env = local.lambdaEnvironment;
  const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'local' };
  const dynamo = new DynamoDBClient({ region: local.region, endpoint: local.endpoints.dynamoDb, credentials });
  return makeTarget(
    {
      kind: 'local',
      region: local.region,
      tableName: local.names.table,
      documents: documentsOf(dynamo),
      sqs: new SQSClient({ region: local.region, endpoint: local.endpoints.fauxqs, credentials }),
      allowLoopback: true,
    },
    local.names.queues,
    'the local runtime did not report it.',
  );
};
