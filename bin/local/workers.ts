import { existsSync } from 'node:fs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { ENV, notificationConcurrencyFor, SEND_RATES, WORKERS, type QueueName } from '../../functions/shared/manifest';
import { LOCAL_NAMES, type QueueUrls } from './provision';
import { startQueuePoller, type Poller } from './queue-poller';
import { startStreamPoller } from './stream-poller';
import { startScheduleTimer } from './schedule-timer';
import { handlerModule } from '../../lib/source-paths';

const hasHandler = (fn: string) => ['.ts', '.js'].some((extension) => existsSync(`${handlerModule(fn)}${extension}`));

/**
 * Pollers per queue, as Lambda's event source runs instances: the notification worker is capped as
 * the stack caps it (`notificationConcurrencyFor` the send rates, or `NOTIFICATION_CONCURRENCY` here).
 */
const pollersFor = (queue: QueueName): number => {
  if (queue === 'notification') {
    const rate = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
    const derived = notificationConcurrencyFor({ sms: rate(ENV.smsSendRatePerSecond, SEND_RATES.sms), email: rate(ENV.emailSendRatePerSecond, SEND_RATES.email) });
    return Number(process.env.NOTIFICATION_CONCURRENCY ?? derived);
  }
  return queue === 'webhook' ? 5 : 3;
};

export interface WorkersOptions {
  sqs: SQSClient;
  dynamoDbUrl: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  streamArn: string;
  queues: Record<QueueName, QueueUrls>;
  log: (message: string) => void;
  /** `ENV.scheduleTimeScale`: the scheduler's timer ticks this much faster. @default 1 */
  scheduleTimeScale?: number;
}

/**
 * The event source mappings of the stack, run locally: the table stream → stream router, and one
 * SQS poller per queue-driven worker in `WORKERS` whose handler exists, and the scheduler's timer.
 */
export const startWorkers = async (options: WorkersOptions): Promise<Poller> => {
  const pollers: Poller[] = [];
  if (hasHandler(WORKERS.streamRouter.fn)) {
    pollers.push(
      await startStreamPoller({
        endpoint: options.dynamoDbUrl,
        region: options.region,
        credentials: options.credentials,
        streamArn: options.streamArn,
        fn: WORKERS.streamRouter.fn,
        sqs: options.sqs,
        failureQueueUrl: options.queues.streamFailure.url,
        log: options.log,
      }),
    );
  }
  for (const worker of Object.values(WORKERS)) {
    if (!('queue' in worker) || !hasHandler(worker.fn)) continue;
    pollers.push(
      startQueuePoller({
        sqs: options.sqs,
        queueUrl: options.queues[worker.queue].url,
        queueArn: `arn:aws:sqs:${options.region}:000000000000:${LOCAL_NAMES.queue(worker.queue)}`,
        fn: worker.fn,
        region: options.region,
        batchSize: 10,
        concurrency: pollersFor(worker.queue),
        log: options.log,
      }),
    );
  }
  if (hasHandler(WORKERS.releaseNotifications.fn)) pollers.push(startScheduleTimer({ timeScale: options.scheduleTimeScale ?? 1, log: options.log }));
  return { stop: async () => void (await Promise.all(pollers.map((poller) => poller.stop()))) };
};
