import type { SQSRecord } from 'aws-lambda';
import * as z from '../domain/zod';
import { NotificationQueueJob, retryDelaySeconds } from '../domain/notifications';
import { busyRetryAt, isBusy, queueDelaySeconds, WAIT_ATTRIBUTES } from '../domain/send-pacing';
import { lazyEnv, optionalEnv } from '../shared/adapters/env';
import { ENV, QUEUES } from '../shared/manifest';
import { deliverNotification } from '../shared/use-cases/deliver-notification';
import { planReminders } from '../shared/use-cases/plan-reminders';
import { delayRetry, receiveCount, sendCopy } from '../shared/adapters/queue-retry';
import { batchWorker } from '../shared/adapters/worker';
import { extendLogScope, logger } from '../shared/adapters/powertools';
import { clock } from '../shared/adapters/clock';

const queueUrl = lazyEnv(ENV.notificationQueueUrl);
const dlqUrl = lazyEnv(ENV.notificationDlqUrl);
const retryBaseSeconds = Number(optionalEnv(ENV.notificationRetryBaseSeconds, '30'));

const Waiting = z.object({
  failedAttempts: z.int().check(z.minimum(0), z.maximum(QUEUES.notification.maxReceiveCount)),
  notBefore: z.optional(z.iso.datetime()),
});

const waitingOf = (record: SQSRecord) =>
  Waiting.parse({
    failedAttempts: Number(record.messageAttributes?.[WAIT_ATTRIBUTES.failedAttempts]?.stringValue ?? '0'),
    notBefore: record.messageAttributes?.[WAIT_ATTRIBUTES.notBefore]?.stringValue,
  });

/** Sends the job back to wait until `notBefore`, its failures so far kept; the original then succeeds. */
const waitUntil = (record: SQSRecord, failedAttempts: number, notBefore: Date) =>
  sendCopy(queueUrl(), record, queueDelaySeconds(clock.now(), notBefore), {
    [WAIT_ATTRIBUTES.failedAttempts]: String(failedAttempts),
    [WAIT_ATTRIBUTES.notBefore]: notBefore.toISOString(),
  });

/**
 * One queued job: parse (a malformed job throws and ends in the DLQ for a person to read), plan a
 * customer's reminders or send a message at most once. A busy provider (throttled, or no send slot
 * of the channel's rate free) is not a failure: the job goes back to wait for its "not before" time
 * as a fresh message, so the redrive policy never counts it. A real failure waits longer before each
 * retry until the job is parked in the DLQ after `maxReceiveCount` failed attempts, counting those
 * of earlier copies.
 */
const recordHandler = async (record: SQSRecord) => {
  const job = NotificationQueueJob.parse(JSON.parse(record.body));
  const waiting = waitingOf(record);
  extendLogScope({ locationId: job.locationId });
  // A wait longer than SQS's longest delay (15 minutes) takes several trips.
  if (waiting.notBefore && Date.parse(waiting.notBefore) > clock.now().getTime() + 1000) {
    return waitUntil(record, waiting.failedAttempts, new Date(waiting.notBefore));
  }
  const count = receiveCount(record);
  const failedBefore = waiting.failedAttempts + count - 1;
  const lastAttempt = failedBefore + 1 >= QUEUES.notification.maxReceiveCount;
  try {
    if (job.kind === 'plan-reminders') return await planReminders(job);
    await deliverNotification(job, { lastAttempt });
  } catch (error) {
    if (isBusy(error)) {
      logger.info('notification waits for the provider', { jobId: job.jobId, reason: (error as Error).name });
      return waitUntil(record, failedBefore, busyRetryAt(clock.now(), error, Math.random()));
    }
    if (lastAttempt && count < QUEUES.notification.maxReceiveCount) {
      // A copy's own receives are fewer than the redrive policy counts: park it by hand.
      await sendCopy(dlqUrl(), record, 0, { [WAIT_ATTRIBUTES.failedAttempts]: String(failedBefore + 1) });
      return;
    }
    await delayRetry(queueUrl(), record, retryDelaySeconds(failedBefore + 1, retryBaseSeconds));
    throw error;
  }
};

/** Records of a batch are sent side by side (each claims its own job); the pacer keeps them within the rate. */
export const handler = batchWorker('sqs', recordHandler, { processInParallel: true });
