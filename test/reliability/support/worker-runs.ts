import { spawn } from 'node:child_process';
import path from 'node:path';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { toSqsRecord } from '../../../bin/local/queue-poller';
import { lambdaContext } from '../../../bin/local/lambda-context';
import { stackInfo } from '../../support/stack-info';

const ROOT = path.resolve(__dirname, '..', '..', '..');

const region = 'us-east-1';

/** An SQS client on the test run's fauxqs. */
export const queueClient = () => new SQSClient({ region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, endpoint: stackInfo().endpoints.fauxqs, useQueueUrlAsEndpoint: false });

/**
 * A queue of this test's own, so that only the worker the test runs (not the local stack's
 * pollers) receives its jobs. A short visibility timeout stands in for Lambda's: a batch whose
 * worker died comes back after it.
 */
export const ownQueue = async (sqs: SQSClient, name: string, visibilityTimeoutSeconds: number) => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `reliability-${name}-${ulid().toLowerCase()}`, Attributes: { VisibilityTimeout: String(visibilityTimeoutSeconds) } }));
  return QueueUrl!;
};

export const sendJobs = async (sqs: SQSClient, queueUrl: string, jobs: unknown[]) => {
  for (let i = 0; i < jobs.length; i += 10) {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: jobs.slice(i, i + 10).map((job, j) => ({ Id: String(j), MessageBody: JSON.stringify(job) })) }));
  }
};

export const depth = async (sqs: SQSClient, queueUrl: string) => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
};

/**
 * Starts test/reliability/support/doomed-worker.ts: the local runtime's poller running `fn` on
 * `queueUrl` in a process of its own, with the stack's Lambda environment plus `env`.
 */
export const startDoomedWorker = (fn: string, queueUrl: string, env: Record<string, string>, lifetimeMs = 30_000) => {
  // Node itself with tsx's loader (not the tsx wrapper), so that the pid killed is the worker's.
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/reliability/support/doomed-worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...stackInfo().lambdaEnvironment, POWERTOOLS_LOG_LEVEL: 'WARN', WORKER_FN: fn, WORKER_QUEUE_URL: queueUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output })));
  // A worker that was never killed must not outlive the test: it ends after `lifetimeMs` (and then did not die mid-batch).
  const stop = setTimeout(() => child.kill('SIGTERM'), lifetimeMs);
  void exited.then(() => clearTimeout(stop));
  return { child, exited };
};

/**
 * What Lambda's event source mapping does after the dead worker's batch becomes visible again:
 * receive, invoke the handler (in this process), delete what succeeded; until the queue is empty.
 */
export const drain = async (
  sqs: SQSClient,
  queueUrl: string,
  handler: (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse | void>,
  fn: string,
  timeoutMs = 30_000,
) => {
  const deadline = Date.now() + timeoutMs;
  let batches = 0;
  while ((await depth(sqs, queueUrl)) > 0) {
    if (Date.now() > deadline) throw new Error(`${queueUrl} not drained in ${timeoutMs} ms`);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }));
    if (!Messages.length) continue;
    batches++;
    const records = Messages.map((message) => toSqsRecord(message, { queueArn: `arn:aws:sqs:${region}:000000000000:redelivered`, region }));
    const result = await handler({ Records: records }, lambdaContext(fn));
    const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    const done = records.filter((r) => !failed.has(r.messageId));
    if (done.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })) }));
  }
  return batches;
};
