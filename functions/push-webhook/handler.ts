import type { SQSRecord } from 'aws-lambda';
import { parseWebhookJob } from '../domain/webhook-job';
import { parseRetrySchedule } from '../domain/webhook-schedule';
import { optionalEnv, requireEnv } from '../shared/adapters/env';
import { ENV, WEBHOOK_LANES_PER_LOCATION } from '../shared/manifest';
import { eventSubjects, webhookConfigs, webhookDeliveries, webhookLanes } from '../shared/repos';
import { webhookWorker } from '../shared/use-cases/deliver-webhook';
import { batchWorker } from '../shared/adapters/worker';
import { extendLogScope } from '../shared/adapters/powertools';

const worker = webhookWorker({
  queueUrl: requireEnv(ENV.webhookQueueUrl),
  dlqUrl: requireEnv(ENV.webhookDlqUrl),
  schedule: parseRetrySchedule(optionalEnv(ENV.webhookRetryScheduleSeconds, '')),
  policy: { allowLoopback: optionalEnv(ENV.webhookAllowLoopback, 'false') === 'true' },
  configs: webhookConfigs(),
  deliveries: webhookDeliveries(),
  subjects: eventSubjects(),
  lanes: { repo: webhookLanes(), perLocation: Number(optionalEnv(ENV.webhookConcurrencyPerLocation, String(WEBHOOK_LANES_PER_LOCATION))) },
});

const recordHandler = async (record: SQSRecord) => {
  const job = parseWebhookJob(record.body);
  if (!job) return worker.reject(record.body, 'not a webhook job');
  extendLogScope({ locationId: job.locationId });
  return worker.handle(job, { receiptHandle: record.receiptHandle, firstReceive: record.attributes.ApproximateReceiveCount === '1' });
};

/**
 * Delivers a batch's webhooks concurrently (one slow receiver costs the batch at most the 10 s
 * timeout, not 10 s per message) and reports only the failed records, whose visibility the
 * worker has already set to their retry wait.
 */
export const handler = batchWorker('sqs', recordHandler, { processInParallel: true, throwOnFullBatchFailure: false });
