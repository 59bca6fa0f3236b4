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

/** How long one run keeps releasing (the function times out at 30 s; the next run starts a minute later). */
const RUN_BUDGET_MS = 20_000;

/**
 * One scheduler run: every notification whose release time has come goes on the notification
 * queue, once per run even with several runs at a time (the release is a conditional write). A
 * released record's schedule key moves to its lease, out of the due range, so each round's query
 * finds the next ones; a run stops when nothing more is due or its time budget is spent.
 */
export const releaseDueNotifications = async (): Promise<{ due: number; released: number }> => {
  const repo = notifications();
  const started = performance.now();
  let due = 0;
  let released = 0;
  for (;;) {
    const now = clock.now();
    const page = await repo.listDue(now);
    const lease = new Date(now.getTime() + RELEASE_LEASE_MS);
    const results = await Promise.all(
      page.items.map(async (scheduled) => {
        if (!(await repo.release(scheduled, lease))) return false;
        await queueNotificationJob(scheduled.job, scheduled.correlationId);
        return true;
      }),
    );
    due += page.items.length;
    released += results.filter(Boolean).length;
    if (!page.more || page.items.length === 0 || performance.now() - started > RUN_BUDGET_MS) break;
  }
  if (due) logger.info('scheduled notifications released', { due, released });
  return { due, released };
};
