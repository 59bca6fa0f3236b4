import { isSuperseded, type NotificationJob, type ReminderJob } from './notifications';
import {
  receiptEmail,
  receiptSms,
  refundEmail,
  refundSms,
  reminderEmail,
  reminderSms,
  statementEmail,
  statementSms,
  type EmailContent,
  type Sender,
} from './notification-messages';
import { statementLinks } from './links';
import { DEFAULT_CURRENCY } from './money';
import { amountDueNow, type CustomerContext, type JobContext, type LocationContext, type StatementContext } from './notification-context';
import { DEFAULT_QUIET_HOURS, nextSendTime } from './quiet-hours';

export type { JobContext as PlanInput } from './notification-context';

export type Plan =
  | { send: false; status: 'superseded' | 'failed' | 'skipped'; reason: string }
  | { send: true; phone?: string; email?: string; sms: string; emailContent: EmailContent };

/** The time zone a location has when it never set one (the `setServiceLocation` default). */
export const DEFAULT_TIME_ZONE = 'America/Chicago';

const senderOf = (location: LocationContext | undefined, fallbackCurrency: string): Sender => ({
  name: location?.name || 'Your provider',
  branding: location?.branding,
  currency: location?.currency || fallbackCurrency,
});

/**
 * Where a job may go: an address that hard-bounced or complained is not emailed again until the
 * merchant sets another `primaryEmail` (the suppression names the address it is for), and a
 * fallback job uses only its channel.
 */
const contactFor = (job: NotificationJob, customer: CustomerContext) => {
  const email = customer.primaryEmail || undefined;
  const suppressed = email !== undefined && email === customer.suppressedEmail;
  return {
    phone: job.onlyChannel === 'email' ? undefined : customer.primaryPhone || undefined,
    email: job.onlyChannel === 'sms' || suppressed ? undefined : email,
  };
};

/** The recipient's local time zone: the customer's own, else the location's. */
export const recipientZone = (items: JobContext): string => items.customer?.timeZone || items.location?.timeZone || DEFAULT_TIME_ZONE;

/**
 * When a job must wait for: `undefined` to send now. Receipts answer what the customer just did and
 * go at once; statement, reminder and refund messages wait out the location's quiet hours in the
 * recipient's time zone. A job the scheduler released (`notBefore`) was already placed outside them.
 */
export const holdUntil = (job: NotificationJob, items: JobContext, now: Date): Date | undefined => {
  if (job.kind === 'receipt' || job.notBefore) return undefined;
  const next = nextSendTime(now, recipientZone(items), items.location?.quietHours ?? DEFAULT_QUIET_HOURS);
  return next.getTime() > now.getTime() ? next : undefined;
};

/** Why a reminder no longer has anything to say, or `undefined` when it should go. */
export const reminderSkipReason = (job: ReminderJob, items: JobContext): string | undefined => {
  const { statement, customer, location } = items;
  if (!statement || amountDueNow(statement) <= 0) return 'Paid: nothing is due on the statement any more.';
  if (statement.version !== job.statementVersion) return `Statement version ${statement.version} replaced it; reminders follow the current statement.`;
  if (statement.dueDate !== job.dueDate) return 'The due date changed; reminders follow the current due date.';
  if (customer?.reminders === false) return 'The customer is excluded from reminders.';
  if (!location?.reminders) return 'The location has no reminder plan any more.';
  return undefined;
};

const linksOf = (baseUrl: string, statement: StatementContext) => statementLinks(baseUrl, { linkToken: statement.linkToken, tinyCode: statement.tinyCode });

/**
 * Decides what a job sends, from the items as they are now: a statement job that a later change
 * made stale sends nothing (the later change queued its own), a reminder with nothing left to
 * remind of is skipped, a receipt needs its payment and a refund notice its refund.
 */
export const planNotification = (job: NotificationJob, items: JobContext, baseUrl: string, now: Date): Plan => {
  const { customer, statement, location, payment, refund } = items;
  if (!customer || !statement || customer.locationId !== job.locationId) {
    return { send: false, status: 'failed', reason: 'The customer or statement no longer exists.' };
  }
  const contact = contactFor(job, customer);
  const links = linksOf(baseUrl, statement);
  if (job.kind === 'statement') {
    const current = { version: statement.version, amountDueMinor: amountDueNow(statement), billingDate: statement.billingDate };
    if (isSuperseded(job, current)) return { send: false, status: 'superseded', reason: `Statement version ${current.version} replaced it.` };
    const input = {
      location: senderOf(location, DEFAULT_CURRENCY),
      amountDueMinor: current.amountDueMinor,
      billingDate: current.billingDate,
      dueDate: statement.dueDate,
      ...links,
    };
    return { send: true, ...contact, sms: statementSms(input), emailContent: statementEmail(input) };
  }
  if (job.kind === 'reminder') {
    const skip = reminderSkipReason(job, items);
    if (skip) return { send: false, status: 'skipped', reason: skip };
    const input = { location: senderOf(location, DEFAULT_CURRENCY), amountDueMinor: amountDueNow(statement), dueDate: job.dueDate, daysFromDue: job.daysFromDue, ...links };
    return { send: true, ...contact, sms: reminderSms(input), emailContent: reminderEmail(input) };
  }
  if (job.kind === 'refund') {
    if (!refund) return { send: false, status: 'failed', reason: 'The refund no longer exists.' };
    const input = {
      location: senderOf(location, refund.currency || DEFAULT_CURRENCY),
      amountMinor: refund.amountMinor,
      refundedAt: refund.refundedAt ?? now.toISOString(),
      ...links,
    };
    return { send: true, ...contact, sms: refundSms(input), emailContent: refundEmail(input) };
  }
  if (!payment) return { send: false, status: 'failed', reason: 'The payment no longer exists.' };
  const input = {
    location: senderOf(location, payment.currency || DEFAULT_CURRENCY),
    amountMinor: payment.amountMinor,
    remainingAfterMinor: payment.remainingAfterMinor,
    completedAt: payment.completedAt ?? now.toISOString(),
    ...links,
  };
  return { send: true, ...contact, sms: receiptSms(input), emailContent: receiptEmail(input) };
};
