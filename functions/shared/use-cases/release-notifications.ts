import { clock } from '../adapters/clock';
import { queueNotificationJob } from '../adapters/notification-queue';
import { logger } from '../adapters/powertools';
import { notifications } from '../repos';

/**
 * How long a released job may sit on the queue unclaimed before the scheduler queues it again:
 * covers a scheduler that died between taking a record off the schedule and queuing it. A second
 * copy is harmless, the claim lets one send.
 */
export const RELEASE_LEASE_MS = 5 * 60_000;

/**
 * One scheduler run: every notification whose release time has come goes on the notification
 * queue, once per run even with several runs at a time (the release is a conditional write).
 */
export const releaseDueNotifications = async (): Promise<{ due: number; released: number }> => {
  const repo = notifications();
  const now = clock.now();
  const due = await repo.listDue(now);
  const lease = new Date(now.getTime() + RELEASE_LEASE_MS);
  const released = await Promise.all(
    due.map(async (scheduled) => {
      if (!(await repo.release(scheduled, lease))) return false;
      await queueNotificationJob(scheduled.job, scheduled.correlationId);
      return true;
    }),
  );
  const count = released.filter(Boolean).length;
  if (due.length) logger.info('scheduled notifications released', { due: due.length, released: count });
  return { due: due.length, released: count };
};
