import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger, withLogScope, type LogScope } from './powertools';
import { traced } from './tracing';

/** The SQS message attribute that carries the correlation id from one function to the next. */
export const CORRELATION_ATTRIBUTE = 'correlationId';

/** The correlation id a queued message carries (set by `enqueueJobs` and the feedback sources). */
export const sqsScope = (record: SQSRecord): LogScope => ({ correlationId: record.messageAttributes?.[CORRELATION_ATTRIBUTE]?.stringValue ?? record.messageId });

/** The correlation id stored on the item that changed (the request that wrote it). */
export const streamScope = (record: DynamoDBRecord): LogScope => {
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  return { correlationId: image?.correlationId?.S ?? record.eventID, locationId: image?.locationId?.S };
};

interface WorkerOptions {
  /** Deliver the batch's records concurrently (each still logs under its own correlation id). */
  processInParallel?: boolean;
  throwOnFullBatchFailure?: boolean;
}

/**
 * The one base every queue or stream worker is: Lambda context on the logger, each record handled
 * inside its own log scope (its correlation id), Powertools partial batch responses.
 */
function batchWorker(type: 'sqs', recordHandler: (record: SQSRecord) => Promise<unknown>, options?: WorkerOptions): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
function batchWorker(type: 'stream', recordHandler: (record: DynamoDBRecord) => Promise<unknown>, options?: WorkerOptions): (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
function batchWorker(type: 'sqs' | 'stream', recordHandler: (record: never) => Promise<unknown>, options: WorkerOptions = {}) {
  return async (event: SQSEvent | DynamoDBStreamEvent, context: Context) => {
    // One processor per invocation: it holds the batch's successes and failures while it runs, so a
    // processor shared by overlapping invocations (the local runtime's pollers call one module
    // concurrently) would report one batch's failed records as done, and SQS would delete them.
    const processor = new BatchProcessor(type === 'sqs' ? EventType.SQS : EventType.DynamoDBStreams);
    logger.addContext(context);
    const invocation = { functionName: context.functionName, awsRequestId: context.awsRequestId };
    const scoped = (record: SQSRecord | DynamoDBRecord) =>
      withLogScope({ ...(type === 'sqs' ? sqsScope(record as SQSRecord) : streamScope(record as DynamoDBRecord)), invocation }, () =>
        (recordHandler as (r: unknown) => Promise<unknown>)(record),
      );
    return traced(context.functionName, { batchSize: String(event.Records.length) }, () =>
      processPartialResponse(event as SQSEvent, scoped as (record: SQSRecord) => Promise<unknown>, processor, {
        context,
        ...(options.processInParallel ? { processInParallel: true } : {}),
        ...(options.throwOnFullBatchFailure === false ? { throwOnFullBatchFailure: false } : {}),
      }),
    );
  };
}

export { batchWorker };
