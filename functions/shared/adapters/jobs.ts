import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqs } from './clients/sqs';
import { lazyEnv } from './env';
import { ENV } from '../manifest';
import type { RoutedJob } from '../../domain/notifications';
import { currentCorrelationId } from './powertools';
import { CORRELATION_ATTRIBUTE } from './worker';

const queueUrls = {
  notification: lazyEnv(ENV.notificationQueueUrl),
  webhook: lazyEnv(ENV.webhookQueueUrl),
};

/** The id a consumer deduplicates on: the notification job id, or the payment for a webhook job. */
const dedupeId = (routed: RoutedJob) => {
  if (routed.queue === 'notification') return routed.job.jobId;
  const job = routed.job;
  if (job.kind === 'notification.failed') return `${job.kind}:${job.notificationId}:${job.channel}`;
  if (job.kind === 'payment.disputed') return `${job.kind}:${job.disputeId}`;
  if (job.kind === 'payment.failed') return `${job.kind}:${job.intentId}`;
  return `${job.kind}:${job.paymentId}`;
};

/** The message attribute carrying the current correlation id on to the next function, if there is one. */
export const correlationAttribute = (): Record<string, { DataType: string; StringValue: string }> => {
  const correlationId = currentCorrelationId();
  return correlationId ? { [CORRELATION_ATTRIBUTE]: { DataType: 'String', StringValue: correlationId } } : {};
};

/** Puts routed jobs on their queues. A retried stream record may enqueue a job twice; consumers deduplicate. */
export const enqueueJobs = async (jobs: RoutedJob[]): Promise<void> => {
  await Promise.all(
    jobs.map((routed) =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrls[routed.queue](),
          MessageBody: JSON.stringify(routed.job),
          MessageAttributes: {
            jobId: { DataType: 'String', StringValue: dedupeId(routed) },
            // The work that caused the job (the API request that wrote the item) goes on with it.
            ...correlationAttribute(),
          },
        }),
      ),
    ),
  );
};
