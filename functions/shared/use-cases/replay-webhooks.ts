import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sqs as defaultSqs } from '../adapters/clients/sqs';
import { lazyEnv } from '../adapters/env';
import { ENV } from '../manifest';
import { webhookDeliveries } from '../repos';
import { DomainError, NotFoundError } from '../../domain/errors';
import { replayJob } from '../../domain/webhook-job';

const queueUrl = lazyEnv(ENV.webhookQueueUrl);

/**
 * Moves parked deliveries back to pending (one conditional write each, scoped to the location)
 * and queues a replay job for each. The delivery item is the source of truth for what is parked;
 * the copy in the dead-letter queue is for alarms and humans and simply ages out.
 */
export const replayParkedDeliveries = async (
  locationId: string,
  target: string | 'all',
  deps: { deliveries?: ReturnType<typeof webhookDeliveries>; sqs?: SQSClient; queueUrl?: string } = {},
): Promise<{ replayed: string[] }> => {
  const repo = deps.deliveries ?? webhookDeliveries();
  const sqs = deps.sqs ?? defaultSqs;
  const ids = target === 'all' ? await repo.parkedIds(locationId) : [target];
  const replayed: string[] = [];
  for (const deliveryId of ids) {
    if (!(await repo.markForReplay(locationId, deliveryId))) {
      if (target === 'all') continue;
      const existing = await repo.get(deliveryId);
      if (!existing || existing.locationId !== locationId) throw new NotFoundError('Webhook delivery');
      throw new DomainError('delivery_not_parked', 'conflict', `Only parked deliveries can be replayed; this one is ${existing.status}.`, { status: existing.status });
    }
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: deps.queueUrl ?? queueUrl(), MessageBody: JSON.stringify(replayJob(locationId, deliveryId)) }));
    } catch (error) {
      await repo.unmarkReplay(deliveryId, 'The replay could not be queued; try again.');
      throw error;
    }
    replayed.push(deliveryId);
  }
  return { replayed };
};
