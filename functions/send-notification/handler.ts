import type { SQSRecord } from 'aws-lambda';
import { NotificationQueueJob, retryDelaySeconds } from '../domain/notifications';
import { lazyEnv, optionalEnv } from '../shared/adapters/env';
import { ENV, QUEUES } from '../shared/manifest';
import { deliverNotification } from '../shared/use-cases/deliver-notification';
import { planReminders } from '../shared/use-cases/plan-reminders';
import { delayRetry, receiveCount } from '../shared/adapters/queue-retry';
import { batchWorker } from '../shared/adapters/worker';
import { extendLogScope } from '../shared/adapters/powertools';

const queueUrl = lazyEnv(ENV.notificationQueueUrl);
const retryBaseSeconds = Number(optionalEnv(ENV.notificationRetryBaseSeconds, '30'));

/**
 * One queued job: parse (a malformed job throws and ends in the DLQ for a person to read), plan a
 * customer's reminders or send a message at most once, and on a transient failure wait longer before each retry until the redrive policy
 * parks it in the DLQ.
 */
const recordHandler = async (record: SQSRecord) => {
  const job = NotificationQueueJob.parse(JSON.parse(record.body));
  extendLogScope({ locationId: job.locationId });
  const count = receiveCount(record);
  try {
    if (job.kind === 'plan-reminders') return await planReminders(job);
    await deliverNotification(job, { lastAttempt: count >= QUEUES.notification.maxReceiveCount });
  } catch (error) {
    await delayRetry(queueUrl(), record, retryDelaySeconds(count, retryBaseSeconds));
    throw error;
  }
};

export const handler = batchWorker('sqs', recordHandler);
