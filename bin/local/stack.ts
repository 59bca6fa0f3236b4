import path from 'node:path';
import { rmSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV, SEND_RATES, type QueueName } from '../../functions/shared/manifest';
import { startEmulators, LOCAL_CREDENTIALS } from './emulators';
import { provisionBucket, provisionQueues, provisionTables, LOCAL_NAMES, type QueueUrls } from './provision';
import { startApiServer, type LocalRoute } from './api-server';
import { createSmsCarrier, type SentSms } from './sms-carrier';
import { createProviderFeedback } from './provider-feedback';
import { createOutbox, type Outbox, type OutboxEmail } from './outbox';
import { openJournal } from './journal';
import { startS3OnDisk } from './s3-on-disk';
import { apiDocsRoutes } from './api-docs';
import { startWorkers } from './workers';
import { webhookOutboxSection } from './webhook-outbox';
import { DEFAULT_RETRY_SCHEDULE_SECONDS } from '../../functions/domain/webhook-schedule';

/**
 * The local runtime's default `ENV.scheduleTimeScale`: quiet hours and reminder days pass an hour per
 * second (a night in at most 11 s, a reminder three days out in 72 s). Deployed stages use 1.
 */
export const LOCAL_SCHEDULE_TIME_SCALE = 3600;

export interface LocalStackOptions {
  port: number;
  /**
   * Keep the data in this folder across restarts: the tables (`dynamodb/`), the S3 objects
   * (`s3/`) and what the outbox shows (`outbox/`). Everything in memory when absent.
   */
  dataDir?: string;
  /** Start from empty: delete what `dataDir` kept. */
  fresh?: boolean;
  dynamoDbPort?: number;
  /**
   * Run the stream and queue pollers. On AWS they are other Lambdas; here they share this process,
   * so `npm run bench` turns them off to measure the request path alone.
   * @default true
   */
  workers?: boolean;
  log?: (message: string) => void;
}

export interface LocalStack {
  url: string;
  port: number;
  /** `s3` is fauxqs itself, or with a `dataDir` the copy-to-disk endpoint in front of it. */
  endpoints: { dynamoDb: string; fauxqs: string; s3: string; ses: string };
  names: { table: string; idempotencyTable: string; attachmentsBucket: string; streamArn: string; queues: Record<QueueName, QueueUrls> };
  /** The environment a Lambda of the stack would see, pointed at the emulators. */
  lambdaEnvironment: Record<string, string>;
  /** `/_local/outbox`: other local parts add sections (e.g. webhook attempts) with `outbox.addSection`. */
  outbox: Outbox;
  stop(): Promise<void>;
}

/**
 * Sets the environment a Lambda of the stack would get, pointing the SDK at the emulators through
 * the standard `AWS_ENDPOINT_URL_<SERVICE>` variables.
 */
const setLambdaEnvironment = (values: Record<string, string>) => {
  Object.assign(process.env, values);
};

/** Starts everything `npm start` runs: emulators, tables, bucket, queues, the API and its workers. */
export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const log = options.log ?? ((message: string) => console.log(message));
  const kept = (folder: string) => (options.dataDir ? path.join(options.dataDir, folder) : undefined);
  const dynamoDbPath = kept('dynamodb');
  const s3Path = kept('s3');
  const outboxPath = kept('outbox');
  if (options.fresh) for (const folder of [dynamoDbPath, s3Path, outboxPath]) if (folder) rmSync(folder, { recursive: true, force: true });
  const emulators = await startEmulators({ dynamoDbPath, dynamoDbPort: options.dynamoDbPort, log });
  const stops: Array<() => Promise<void>> = [() => emulators.stop()];
  try {
    const region = 'us-east-1';
    const clientConfig = { region, credentials: LOCAL_CREDENTIALS };
    const dynamo = new DynamoDBClient({ ...clientConfig, endpoint: emulators.dynamoDbUrl });
    const s3 = new S3Client({ ...clientConfig, endpoint: emulators.fauxqsUrl, forcePathStyle: true });
    const sqs = new SQSClient({ ...clientConfig, endpoint: emulators.fauxqsUrl });
    const [{ streamArn }, bucket, queues] = await Promise.all([provisionTables(dynamo), provisionBucket(s3), provisionQueues(sqs)]);
    const s3OnDisk = s3Path ? await startS3OnDisk({ fauxqsUrl: emulators.fauxqsUrl, dir: s3Path, buckets: [bucket], log }) : undefined;
    if (s3OnDisk) stops.unshift(() => s3OnDisk.stop());
    const s3Url = s3OnDisk?.url ?? emulators.fauxqsUrl;

    const localRoutes: Record<string, LocalRoute> = {
      '/health': (_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ status: 'ok' }));
      },
    };
    const api = await startApiServer({ port: options.port, localRoutes, log });
    stops.unshift(() => api.stop());
    const url = `http://localhost:${api.port}`;
    const names = { table: LOCAL_NAMES.table, idempotencyTable: LOCAL_NAMES.idempotencyTable, attachmentsBucket: bucket, streamArn, queues };
    const endpoints = { dynamoDb: emulators.dynamoDbUrl, fauxqs: emulators.fauxqsUrl, s3: s3Url, ses: emulators.sesUrl };
    // Lets the admin CLI and tests find the emulators behind a running `npm start`.
    // SMS stand-in for SNS (fauxqs has no phone numbers) and the outbox of everything sent.
    const feedback = createProviderFeedback({ sqs, feedbackQueueUrl: queues.feedback.url, log });
    const carrier = createSmsCarrier({ fauxqsUrl: emulators.fauxqsUrl, log, journal: openJournal<SentSms>(outboxPath && path.join(outboxPath, 'sms.jsonl')), feedback });
    const outbox = createOutbox({
      feedback,
      sms: () => carrier.sent,
      sesUrl: emulators.sesUrl,
      emailJournal: openJournal<OutboxEmail>(outboxPath && path.join(outboxPath, 'email.jsonl')),
    });
    outbox.addSection(webhookOutboxSection({ dynamoDbUrl: emulators.dynamoDbUrl, region, credentials: LOCAL_CREDENTIALS, tableName: LOCAL_NAMES.table }));
    Object.assign(localRoutes, {
      '/_local/sns': carrier.snsRoute,
      '/_local/sns/': carrier.snsRoute,
      '/_local/ses': outbox.sesRoute,
      '/_local/ses/': outbox.sesRoute,
      '/_local/faults': carrier.faultsRoute,
      '/_local/outbox': outbox.pageRoute,
      '/_local/outbox.json': outbox.jsonRoute,
      ...apiDocsRoutes(),
    });
    localRoutes['/_local/config'] = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ url, region, endpoints, names, lambdaEnvironment }));
    };

    const lambdaEnvironment: Record<string, string> = {
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoDbUrl,
      AWS_ENDPOINT_URL_S3: s3Url,
      AWS_ENDPOINT_URL_SQS: emulators.fauxqsUrl,
      AWS_ENDPOINT_URL_SNS: `${url}/_local/sns`,
      AWS_ENDPOINT_URL_SES: `${url}/_local/ses`,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      [ENV.stage]: 'local',
      [ENV.table]: LOCAL_NAMES.table,
      [ENV.idempotencyTable]: LOCAL_NAMES.idempotencyTable,
      [ENV.attachmentsBucket]: bucket,
      [ENV.notificationQueueUrl]: queues.notification.url,
      [ENV.notificationDlqUrl]: queues.notification.dlqUrl,
      [ENV.webhookQueueUrl]: queues.webhook.url,
      [ENV.webhookDlqUrl]: queues.webhook.dlqUrl,
      [ENV.publicBaseUrl]: url,
      [ENV.emailSender]: process.env[ENV.emailSender] ?? 'statements@example.com',
      [ENV.webhookAllowLoopback]: 'true',
      [ENV.webhookRetryScheduleSeconds]: process.env[ENV.webhookRetryScheduleSeconds] ?? DEFAULT_RETRY_SCHEDULE_SECONDS.join(','),
      [ENV.notificationRetryBaseSeconds]: process.env[ENV.notificationRetryBaseSeconds] ?? '30',
      // An hour of a held message's wait passes in a second, so `npm run demo` works at any hour of the night.
      [ENV.scheduleTimeScale]: process.env[ENV.scheduleTimeScale] ?? String(LOCAL_SCHEDULE_TIME_SCALE),
      [ENV.smsSendRatePerSecond]: process.env[ENV.smsSendRatePerSecond] ?? String(SEND_RATES.sms),
      [ENV.emailSendRatePerSecond]: process.env[ENV.emailSendRatePerSecond] ?? String(SEND_RATES.email),
    };
    setLambdaEnvironment(lambdaEnvironment);
    if (options.workers !== false) {
      const workerSqs = new SQSClient({ ...clientConfig, endpoint: emulators.fauxqsUrl, useQueueUrlAsEndpoint: false });
      const workers = await startWorkers({
        sqs: workerSqs,
        dynamoDbUrl: emulators.dynamoDbUrl,
        region,
        credentials: LOCAL_CREDENTIALS,
        streamArn,
        queues,
        log,
        scheduleTimeScale: Number(lambdaEnvironment[ENV.scheduleTimeScale]),
      });
      // Pollers stop before the API and emulators they call.
      stops.unshift(async () => {
        await workers.stop();
        workerSqs.destroy();
      });
    }

    dynamo.destroy();
    s3.destroy();
    sqs.destroy();
    return {
      url,
      port: api.port,
      endpoints,
      names,
      lambdaEnvironment,
      outbox,
      async stop() {
        for (const stop of stops) await stop().catch((error) => log(`stop failed: ${String(error)}`));
      },
    };
  } catch (error) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw error;
  }
};
