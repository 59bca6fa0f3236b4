import { createHash } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from './lambda-context';
import { loadHandler } from './handlers';

/**
 * What a Lambda SQS event source mapping does, for one queue: long-poll, hand the handler a batch,
 * delete what succeeded (with `ReportBatchItemFailures`, everything not listed as failed), and
 * leave failures alone so they come back after their visibility timeout; the queue's redrive
 * policy moves a message to its DLQ after `maxReceiveCount` receives. Several pollers run at once,
 * as Lambda scales its pollers, so one slow batch does not hold the others up.
 */

export interface QueuePollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  /** Folder under `functions/` of the handler to invoke. */
  fn: string;
  region: string;
  batchSize?: number;
  /** Concurrent pollers (Lambda starts with five for SQS). */
  concurrency?: number;
  log: (message: string) => void;
}

export interface Poller {
  stop(): Promise<void>;
}

/** The record Lambda's SQS event source builds from a received message. */
export const toSqsRecord = (message: Message, options: Pick<QueuePollerOptions, 'queueArn' | 'region'>): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: message.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      { dataType: value.DataType ?? 'String', stringValue: value.StringValue, binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined, stringListValues: [], binaryListValues: [] },
    ]),
  ),
  md5OfBody: message.MD5OfBody ?? createHash('md5').update(message.Body ?? '').digest('hex'),
  eventSource: 'aws:sqs',
  eventSourceARN: options.queueArn,
  awsRegion: options.region,
});

/** Invokes the handler with one batch; returns the ids of messages that failed. */
const invoke = async (options: QueuePollerOptions, records: SQSRecord[]): Promise<Set<string>> => {
  try {
    const handler = await loadHandler(options.fn);
    const result = (await handler({ Records: records } satisfies SQSEvent, lambdaContext(options.fn))) as SQSBatchResponse | undefined;
    return new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  } catch (error) {
    // A thrown invocation fails the whole batch, as in Lambda.
    const first = (error as Error).message?.split('\n')[0];
    options.log(`${options.fn}: batch of ${records.length} failed: ${first}`);
    return new Set(records.map((record) => record.messageId));
  }
};

export const startQueuePoller = (options: QueuePollerOptions): Poller => {
  const abort = new AbortController();
  let stopping = false;

  const pollOnce = async () => {
    const { Messages = [] } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: options.batchSize ?? 10,
        WaitTimeSeconds: 2,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );
    if (Messages.length === 0) return;
    const records = Messages.map((message) => toSqsRecord(message, options));
    const failed = await invoke(options, records);
    const done = records.filter((record) => !failed.has(record.messageId));
    if (done.length) {
      await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((record, i) => ({ Id: String(i), ReceiptHandle: record.receiptHandle })),
        }),
      );
    }
  };

  const loop = async () => {
    while (!stopping) {
      try {
        await pollOnce();
      } catch (error) {
        if (stopping) return;
        options.log(`${options.fn} poller: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };

  const loops = Array.from({ length: options.concurrency ?? 3 }, () => loop());
  return {
    async stop() {
      stopping = true;
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
};
