import { reminderJobId, type ReminderJob } from './notifications';
import { amountDueNow, type JobContext } from './notification-context';
import { recipientZone } from './notification-plan';
import { DEFAULT_QUIET_HOURS, plannedReminders } from './quiet-hours';

/** A reminder to schedule: the job and when it goes out. */
export interface ScheduledReminder {
  job: ReminderJob;
  notBefore: Date;
}

/**
 * The reminders a customer's statement should have scheduled now: none without a due date,
 * something due, a location plan, or with the customer excluded; else one per planned day still
 * ahead, in the recipient's time zone and out of quiet hours.
 */
export const remindersFor = (customerId: string, locationId: string, items: JobContext, now: Date): ScheduledReminder[] => {
  const { statement, customer, location } = items;
  if (!statement?.dueDate || statement.version <= 0 || amountDueNow(statement) <= 0) return [];
  if (!location?.reminders || customer?.reminders === false || customer?.locationId !== locationId) return [];
  const zone = recipientZone(items);
  const dueDate = statement.dueDate;
  return plannedReminders(location.reminders, dueDate, zone, location.quietHours ?? DEFAULT_QUIET_HOURS, now).map(({ daysFromDue, at }) => ({
    job: { kind: 'reminder', jobId: reminderJobId(customerId, statement.version, daysFromDue), customerId, locationId, statementVersion: statement.version, dueDate, daysFromDue },
    notBefore: at,
  }));
};

/** Why a customer's pending reminders are cancelled when the statement no longer wants them. */
export const reminderCancelReason = (locationId: string, items: JobContext): string => {
  const { statement, customer, location } = items;
  if (!statement || statement.version <= 0) return 'The statement no longer exists.';
  if (amountDueNow(statement) <= 0) return 'Paid: nothing is due on the statement any more.';
  if (!statement.dueDate) return 'The statement has no due date any more.';
  if (customer?.reminders === false || customer?.locationId !== locationId) return 'The customer is excluded from reminders.';
  if (!location?.reminders) return 'The location has no reminder plan any more.';
  return 'The statement was replaced; reminders follow the current statement.';
};
