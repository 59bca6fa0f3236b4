import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqs } from './clients/sqs';
import { lazyEnv } from './env';
import { ENV } from '../manifest';
import type { NotificationJob } from '../../domain/notifications';
import { CORRELATION_ATTRIBUTE } from './worker';

const queueUrl = lazyEnv(ENV.notificationQueueUrl);

/**
 * Puts one notification job back on the notification queue, under the correlation id of the work
 * that first caused it (the request that set the statement), so its logs still join up. Apart from
 * `jobs.ts` so that the scheduler's bundle names only the queue it sends to.
 */
export const queueNotificationJob = async (job: NotificationJob, correlationId?: string): Promise<void> => {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl(),
      MessageBody: JSON.stringify(job),
      MessageAttributes: {
        jobId: { DataType: 'String', StringValue: job.jobId },
        ...(correlationId ? { [CORRELATION_ATTRIBUTE]: { DataType: 'String', StringValue: correlationId } } : {}),
      },
    }),
  );
};
