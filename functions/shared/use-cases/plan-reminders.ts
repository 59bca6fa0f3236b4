import type { PlanRemindersJob } from '../../domain/notifications';
import { reminderCancelReason, remindersFor } from '../../domain/reminder-plan';
import { formatDate } from '../../domain/notification-messages';
import { releaseTime } from '../../domain/quiet-hours';
import { clock } from '../adapters/clock';
import { emitMetric } from '../adapters/metrics';
import { logger } from '../adapters/powertools';
import { scheduleTimeScale } from '../adapters/schedule-scale';
import { notifications } from '../repos';

/**
 * Brings a customer's scheduled reminders in line with the statement as it is now: cancels the
 * pending ones the plan no longer has (a payment, a replacement, no due date, an exclusion) and
 * schedules the missing ones. Idempotent: a second run finds the records it wrote. A reminder
 * already sent is not scheduled again (the schedule write needs a record that never sent).
 */
export const planReminders = async (job: PlanRemindersJob): Promise<void> => {
  const repo = notifications();
  const now = clock.now();
  const [items, pending] = await Promise.all([repo.loadContext(job), repo.pendingReminders(job.customerId)]);
  const wanted = remindersFor(job.customerId, job.locationId, items, now);
  const wantedIds = new Set(wanted.map((reminder) => reminder.job.jobId));
  const pendingIds = new Set(pending.map((record) => record.jobId));
  const reason = reminderCancelReason(job.locationId, items);
  const cancelled = await Promise.all(pending.filter((record) => !wantedIds.has(record.jobId)).map((record) => repo.cancel(record, reason)));
  const scale = scheduleTimeScale();
  const scheduled = await Promise.all(
    wanted
      .filter((reminder) => !pendingIds.has(reminder.job.jobId))
      .map((reminder) =>
        repo.schedule(
          reminder.job,
          reminder.notBefore,
          releaseTime(reminder.notBefore, now, scale),
          `Reminder ${Math.abs(reminder.job.daysFromDue)} day(s) ${reminder.job.daysFromDue < 0 ? 'before' : 'after'} the due date ${formatDate(reminder.job.dueDate)}.`,
        ),
      ),
  );
  const planned = scheduled.filter((result) => result.scheduled).length;
  const dropped = cancelled.filter(Boolean).length;
  if (planned) emitMetric('reminderScheduled', planned);
  if (dropped) emitMetric('reminderSkipped', dropped);
  logger.info('reminders planned', { customerId: job.customerId, planned, cancelled: dropped });
};

/** Cancels every reminder a customer still has pending, e.g. after SMS opt-out with no email to fall back to. */
export const cancelPendingReminders = async (customerId: string, reason: string): Promise<number> => {
  const repo = notifications();
  const cancelled = await Promise.all((await repo.pendingReminders(customerId)).map((record) => repo.cancel(record, reason)));
  const count = cancelled.filter(Boolean).length;
  if (count) emitMetric('reminderSkipped', count);
  return count;
};
