import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { jobsForChange, type ItemChange } from '../domain/notifications';
import { enqueueJobs } from '../shared/adapters/jobs';
import { batchWorker } from '../shared/adapters/worker';
import { logger } from '../shared/adapters/powertools';

type Image = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;
const image = (raw: Image | undefined) => (raw ? unmarshall(raw as Record<string, AttributeValue>) : undefined);

const toChange = (record: DynamoDBRecord): ItemChange => ({
  eventName: record.eventName ?? 'MODIFY',
  oldImage: image(record.dynamodb?.OldImage),
  newImage: image(record.dynamodb?.NewImage),
});

/** One stream record → its jobs on the notification and webhook queues; a failure retries that record. */
const recordHandler = async (record: DynamoDBRecord) => {
  const jobs = jobsForChange(toChange(record));
  if (jobs.length) logger.info('jobs routed', { jobs: jobs.map((routed) => `${routed.queue}:${routed.job.kind}`) });
  return enqueueJobs(jobs);
};

/** The table's stream (filtered by `STREAM_ROUTER_FILTERS`) turned into queue jobs, with partial batch failures. */
export const handler = batchWorker('stream', recordHandler);
