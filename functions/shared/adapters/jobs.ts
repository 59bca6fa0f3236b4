import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqs } from './clients/sqs';
import { lazyEnv } from './env';
import { ENV } from '../manifest';
import type { RoutedJob } from '../../domain/notifications';

const queueUrls = {
  notification: lazyEnv(ENV.notificationQueueUrl),
  webhook: lazyEnv(ENV.webhookQueueUrl),
};

/** The id a consumer deduplicates on: the notification job id, or the payment for a webhook job. */
const dedupeId = (routed: RoutedJob) => (routed.queue === 'notification' ? routed.job.jobId : `${routed.job.kind}:${routed.job.paymentId}`);

/** Puts routed jobs on their queues. A retried stream record may enqueue a job twice; consumers deduplicate. */
export const enqueueJobs = async (jobs: RoutedJob[]): Promise<void> => {
  await Promise.all(
    jobs.map((routed) =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrls[routed.queue](),
          MessageBody: JSON.stringify(routed.job),
          MessageAttributes: { jobId: { DataType: 'String', StringValue: dedupeId(routed) } },
        }),
      ),
    ),
  );
};
