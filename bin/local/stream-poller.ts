import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesAnyFilter, STREAM_ROUTER_FILTERS, STREAM_ROUTER_SOURCE } from '../../functions/shared/stream-filters';
import { lambdaContext } from './lambda-context';
import { loadHandler } from './handlers';
import type { Poller } from './queue-poller';
import { nowIso } from '../../functions/shared/adapters/clock';

/**
 * What the stream router's DynamoDB event source mapping does, against DynamoDB Local's stream:
 * read every shard, drop records the shared filters reject, invoke the handler with batches, retry
 * from the first failed record (`ReportBatchItemFailures`) up to `retryAttempts`, then send the
 * batch's description to the on-failure queue and move on.
 */

export interface StreamPollerOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  streamArn: string;
  fn: string;
  sqs: SQSClient;
  /** The on-failure destination (`QUEUES.streamFailure`). */
  failureQueueUrl: string;
  log: (message: string) => void;
  /** How often each shard is read; Lambda polls a shard about four times a second. */
  intervalMs?: number;
}

interface ShardState {
  iterator?: string;
}

/** The stream record as Lambda hands it to a function: DynamoDB JSON images, creation time in seconds. */
const toLambdaRecord = (record: StreamRecord, options: StreamPollerOptions): DynamoDBRecord => ({
  eventID: record.eventID,
  eventName: record.eventName as DynamoDBRecord['eventName'],
  eventVersion: record.eventVersion ?? '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: options.region,
  eventSourceARN: options.streamArn,
  dynamodb: {
    ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000) : undefined,
    Keys: record.dynamodb?.Keys as never,
    NewImage: record.dynamodb?.NewImage as never,
    OldImage: record.dynamodb?.OldImage as never,
    SequenceNumber: record.dynamodb?.SequenceNumber,
    SizeBytes: record.dynamodb?.SizeBytes,
    StreamViewType: record.dynamodb?.StreamViewType as never,
  },
});

export const startStreamPoller = async (options: StreamPollerOptions): Promise<Poller> => {
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: options.region, credentials: options.credentials });
  const shards = new Map<string, ShardState>();
  const finished = new Set<string>();
  let stopping = false;
  let firstDiscovery = true;

  /** Finds shards; those open at start begin at LATEST (like a new mapping), later ones at TRIM_HORIZON. */
  const discover = async () => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: options.streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId ?? '';
      if (shards.has(shardId) || finished.has(shardId)) continue;
      const open = !shard.SequenceNumberRange?.EndingSequenceNumber;
      if (firstDiscovery && !open) {
        finished.add(shardId);
        continue;
      }
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: options.streamArn, ShardId: shardId, ShardIteratorType: firstDiscovery ? 'LATEST' : 'TRIM_HORIZON' }),
      );
      shards.set(shardId, { iterator: ShardIterator });
    }
    firstDiscovery = false;
  };

  const invoke = async (records: DynamoDBRecord[]): Promise<number> => {
    // Returns the index of the first record to retry, or records.length when all succeeded.
    try {
      const handler = await loadHandler(options.fn);
      const result = (await handler({ Records: records } satisfies DynamoDBStreamEvent, lambdaContext(options.fn))) as DynamoDBBatchResponse | undefined;
      const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      const index = records.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
      return index === -1 ? records.length : index;
    } catch (error) {
      options.log(`${options.fn}: stream batch failed: ${(error as Error).message?.split('\n')[0]}`);
      return 0;
    }
  };

  const deliver = async (shardId: string, records: DynamoDBRecord[]) => {
    let pending = records;
    for (let attempt = 0; pending.length && attempt <= STREAM_ROUTER_SOURCE.retryAttempts; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      pending = pending.slice(await invoke(pending));
    }
    if (!pending.length) return;
    // Lambda's on-failure record for a stream: where the batch was, not the records themselves.
    const info = {
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: STREAM_ROUTER_SOURCE.retryAttempts + 1, functionArn: options.fn },
      timestamp: nowIso(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: pending[0].dynamodb?.SequenceNumber,
        endSequenceNumber: pending[pending.length - 1].dynamodb?.SequenceNumber,
        batchSize: pending.length,
        streamArn: options.streamArn,
      },
    };
    await options.sqs.send(new SendMessageCommand({ QueueUrl: options.failureQueueUrl, MessageBody: JSON.stringify(info) }));
    options.log(`${options.fn}: ${pending.length} stream records sent to the failure queue`);
  };

  const readShard = async (shardId: string, state: ShardState) => {
    if (!state.iterator) {
      shards.delete(shardId);
      finished.add(shardId);
      return;
    }
    const { Records = [], NextShardIterator } = await streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: STREAM_ROUTER_SOURCE.batchSize }));
    const records = Records.map((record) => toLambdaRecord(record, options)).filter((record) => matchesAnyFilter(STREAM_ROUTER_FILTERS, record));
    if (records.length) await deliver(shardId, records);
    state.iterator = NextShardIterator;
  };

  // Iterators exist before the stack reports ready, so no write made after that is missed.
  await discover();
  const loop = async () => {
    let lastDiscovery = Date.now();
    while (!stopping) {
      try {
        if (Date.now() - lastDiscovery > 1000) {
          await discover();
          lastDiscovery = Date.now();
        }
        for (const [shardId, state] of [...shards]) await readShard(shardId, state);
      } catch (error) {
        if (!stopping) options.log(`stream poller: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
    }
  };

  const running = loop();
  return {
    async stop() {
      stopping = true;
      await running;
      streams.destroy();
    },
  };
};
