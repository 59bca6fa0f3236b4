import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, UpdateCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { issueApiKey } from '../../functions/domain/api-keys';
import { apiKeysRepo } from '../../functions/shared/repos/api-keys';
import { LIMITS } from '../../functions/shared/manifest';
import { spawnLocalStack } from '../support/local-stack-process';

/**
 * A month-end statement run on a local stack of its own (issue 16): `statements` customers, then
 * all their statements through `POST /setStatements` in batches of 100, with the SMS stand-in
 * answering `Throttled` above `carrierRate` messages/s and the service configured to send
 * `configuredRate` SMS/s. Waits until every SMS is out (or `timeoutMs`) and returns the figures.
 * `npm run bench` runs it at 10,000 statements and 50/s; test/reliability/statement-runs.test.ts
 * runs a small one.
 */
export interface StatementRunOptions {
  statements: number;
  configuredRate: number;
  carrierRate: number;
  /** setStatements requests in flight at once. @default 4 */
  requestConcurrency?: number;
  /** Notification worker instances (the event source's maxConcurrency). @default the manifest's */
  workerConcurrency?: number;
  timeoutMs?: number;
  log?: (message: string) => void;
}

export interface StatementRunFigures {
  statements: number;
  statementsSet: number;
  itemErrors: number;
  requests: number;
  smsInOutbox: number;
  /** SMS beyond one per customer (each customer has a number of its own). */
  sentTwice: number;
  /** Jobs in the notification DLQ at the end. */
  parked: number;
  /** `Throttled` answers the stand-in gave (each one retried, not counted as a failure). */
  carrierThrottled: number;
  configuredRate: number;
  carrierRate: number;
  /** SMS per second from the first to the last SMS. */
  deliveredRate: number;
  deliveredOverConfigured: number;
  /** Most SMS the stand-in accepted in one calendar second. */
  busiestSecond: number;
  /** From the first setStatements request to the last SMS. */
  firstRequestToLastSmsSeconds: number;
  /** The API side: statements per second through setStatements, and bare conditional UpdateItems at the same writes in flight. */
  setStatementsPerSecond: number;
  bareUpdateItemsPerSecond: number;
  setStatementsOverBare: number;
}

const AREA_CODES = ['512', '737', '214', '469', '713', '832', '210', '415', '206', '303'];
/** The i-th of 100,000 distinct valid US numbers. */
const phoneOf = (i: number) => `+1${AREA_CODES[i % 10]}555${String(Math.floor(i / 10)).padStart(4, '0')}`;

/** Runs `work` for 0..count-1 with `limit` at once. */
const pool = async (count: number, limit: number, work: (i: number) => Promise<void>) => {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) await work(next++);
  }));
};

export const runStatementRun = async (options: StatementRunOptions): Promise<StatementRunFigures> => {
  const log = options.log ?? (() => undefined);
  const requestConcurrency = options.requestConcurrency ?? 4;
  const stack = await spawnLocalStack({
    SMS_SEND_RATE_PER_SECOND: String(options.configuredRate),
    ...(options.workerConcurrency ? { NOTIFICATION_CONCURRENCY: String(options.workerConcurrency) } : {}),
  });
  try {
    const { info } = stack;
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', endpoint: info.endpoints.dynamoDb, credentials }));
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: info.endpoints.fauxqs, credentials });
    const issued = issueApiKey();
    await apiKeysRepo(info.names.table, documents).create({ keyId: issued.keyId, locationId: 'loc_statement_run', secretHash: issued.secretHash });
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${info.url}${path}`, { method: 'POST', headers: { 'CX-API-Key': issued.apiKey, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${path} ${response.status}: ${text.slice(0, 500)}`);
      return JSON.parse(text);
    };
    await post('/setServiceLocation', { name: 'Statement Run Dental' });
    const rate = await fetch(`${info.url}/_local/faults`, { method: 'POST', body: JSON.stringify({ sms: { ratePerSecond: options.carrierRate } }) });
    if (!rate.ok) throw new Error(`faults: ${rate.status}`);

    log(`creating ${options.statements} customers…`);
    const customerIds: string[] = new Array(options.statements);
    await pool(options.statements, 16, async (i) => {
      customerIds[i] = (await post('/setCustomer', { firstName: 'Run', lastName: `Customer ${i}`, primaryPhone: phoneOf(i) })).id;
    });

    log(`setting ${options.statements} statements with setStatements…`);
    const batches = Math.ceil(options.statements / LIMITS.maxStatementsPerBatch);
    let statementsSet = 0;
    let itemErrors = 0;
    const firstRequestAt = Date.now();
    const apiStart = performance.now();
    await pool(batches, requestConcurrency, async (b) => {
      const ids = customerIds.slice(b * LIMITS.maxStatementsPerBatch, (b + 1) * LIMITS.maxStatementsPerBatch);
      const { summary } = await post('/setStatements', { statements: ids.map((customerId, i) => ({ customerId, balanceDue: `${(i % 400) + 10}.00`, billingDate: '2020-02-24' })) });
      statementsSet += summary.created + summary.updated;
      itemErrors += summary.failed;
    });
    const apiSeconds = (performance.now() - apiStart) / 1000;

    log('waiting for every SMS…');
    const deadline = Date.now() + (options.timeoutMs ?? 60_000 + (options.statements / options.configuredRate) * 2000);
    let sms: Array<{ to: string; at: string }> = [];
    while (Date.now() < deadline) {
      sms = ((await (await fetch(`${info.url}/_local/outbox.json?only=sms`)).json()) as { sms: Array<{ to: string; at: string }> }).sms;
      if (sms.length >= options.statements) break;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    // Anything still on its way would show up as a duplicate: let the queue settle.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    sms = ((await (await fetch(`${info.url}/_local/outbox.json?only=sms`)).json()) as { sms: Array<{ to: string; at: string }> }).sms;
    const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: info.names.queues.notification.dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    const faults = (await (await fetch(`${info.url}/_local/faults`)).json()) as { smsRate?: { throttled: number } | null };

    const times = sms.map((s) => Date.parse(s.at)).sort((a, b) => a - b);
    const perSecond = new Map<number, number>();
    for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
    const spanSeconds = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0;
    const deliveredRate = spanSeconds > 0 ? (times.length - 1) / spanSeconds : 0;

    log(`bare UpdateItems: ${options.statements} at ${requestConcurrency * 10} in flight…`);
    // The same number of writes, as many in flight as setStatements had (requests × its 10 lanes), on quiet keys.
    await pool(options.statements, requestConcurrency * 10, async (i) => {
      await documents.send(new PutCommand({ TableName: info.names.table, Item: { pk: `BENCH#${i}`, sk: 'BENCH', balanceDueMinor: 0 } }));
    });
    const bareStart = performance.now();
    await pool(options.statements, requestConcurrency * 10, async (i) => {
      await documents.send(
        new UpdateCommand({
          TableName: info.names.table,
          Key: { pk: `BENCH#${i}`, sk: 'BENCH' },
          UpdateExpression: 'SET balanceDueMinor = :b',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':b': i },
        }),
      );
    });
    const bareSeconds = (performance.now() - bareStart) / 1000;

    const setStatementsPerSecond = statementsSet / apiSeconds;
    const bareUpdateItemsPerSecond = options.statements / bareSeconds;
    return {
      statements: options.statements,
      statementsSet,
      itemErrors,
      requests: batches,
      smsInOutbox: sms.length,
      sentTwice: sms.length - new Set(sms.map((s) => s.to)).size,
      parked: Number(Attributes.ApproximateNumberOfMessages ?? 0),
      carrierThrottled: faults.smsRate?.throttled ?? 0,
      configuredRate: options.configuredRate,
      carrierRate: options.carrierRate,
      deliveredRate,
      deliveredOverConfigured: deliveredRate / options.configuredRate,
      busiestSecond: Math.max(0, ...perSecond.values()),
      firstRequestToLastSmsSeconds: times.length ? (times[times.length - 1] - firstRequestAt) / 1000 : NaN,
      setStatementsPerSecond,
      bareUpdateItemsPerSecond,
      setStatementsOverBare: setStatementsPerSecond / bareUpdateItemsPerSecond,
    };
  } finally {
    await stack.stop();
  }
};
