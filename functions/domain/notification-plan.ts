import { amountDueOf, isSuperseded, type NotificationJob } from './notifications';
import {
  receiptEmail,
  receiptSms,
  refundEmail,
  refundSms,
  statementEmail,
  statementSms,
  type EmailContent,
  type Sender,
} from './notification-messages';
import { statementLinks } from './links';
import { DEFAULT_CURRENCY } from './money';

/** The items a job's messages are made from, as stored (plain values). */
export interface PlanInput {
  customer?: Record<string, unknown>;
  statement?: Record<string, unknown>;
  location?: Record<string, unknown>;
  payment?: Record<string, unknown>;
  refund?: Record<string, unknown>;
}

export type Plan =
  | { send: false; status: 'superseded' | 'failed'; reason: string }
  | { send: true; phone?: string; email?: string; sms: string; emailContent: EmailContent };

const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

const senderOf = (location: Record<string, unknown> | undefined, fallbackCurrency: string): Sender => ({
  name: str(location?.name) ?? 'Your provider',
  branding: (location?.branding as Sender['branding']) ?? undefined,
  currency: str(location?.currency) ?? fallbackCurrency,
});

/**
 * Where a job may go: an address that hard-bounced or complained is not emailed again until the
 * merchant sets another `primaryEmail` (the suppression names the address it is for), and a
 * fallback job uses only its channel.
 */
const contactFor = (job: NotificationJob, customer: Record<string, unknown>) => {
  const email = str(customer.primaryEmail);
  const suppressed = email !== undefined && email === str(customer.suppressedEmail);
  return {
    phone: job.onlyChannel === 'email' ? undefined : str(customer.primaryPhone),
    email: job.onlyChannel === 'sms' || suppressed ? undefined : email,
  };
};

/**
 * Decides what a job sends, from the items as they are now: a statement job that a later change
 * made stale sends nothing (the later change queued its own), a receipt needs its payment and
 * a refund notice its refund.
 */
export const planNotification = (job: NotificationJob, items: PlanInput, baseUrl: string, now: Date): Plan => {
  const { customer, statement, location, payment, refund } = items;
  if (!customer || !statement || customer.locationId !== job.locationId) {
    return { send: false, status: 'failed', reason: 'The customer or statement no longer exists.' };
  }
  const contact = contactFor(job, customer);
  const links = statementLinks(baseUrl, { linkToken: String(statement.linkToken), tinyCode: String(statement.tinyCode) });
  if (job.kind === 'statement') {
    const current = { version: Number(statement.version ?? 0), amountDueMinor: amountDueOf(statement) ?? 0, billingDate: String(statement.billingDate ?? '') };
    if (isSuperseded(job, current)) return { send: false, status: 'superseded', reason: `Statement version ${current.version} replaced it.` };
    const input = {
      location: senderOf(location, DEFAULT_CURRENCY),
      amountDueMinor: current.amountDueMinor,
      billingDate: current.billingDate,
      dueDate: str(statement.dueDate),
      ...links,
    };
    return { send: true, ...contact, sms: statementSms(input), emailContent: statementEmail(input) };
  }
  if (job.kind === 'refund') {
    if (!refund) return { send: false, status: 'failed', reason: 'The refund no longer exists.' };
    const input = {
      location: senderOf(location, str(refund.currency) ?? DEFAULT_CURRENCY),
      amountMinor: Number(refund.amountMinor),
      refundedAt: String(refund.refundedAt ?? now.toISOString()),
      ...links,
    };
    return { send: true, ...contact, sms: refundSms(input), emailContent: refundEmail(input) };
  }
  if (!payment) return { send: false, status: 'failed', reason: 'The payment no longer exists.' };
  const input = {
    location: senderOf(location, str(payment.currency) ?? DEFAULT_CURRENCY),
    amountMinor: Number(payment.amountMinor),
    remainingAfterMinor: Number(payment.remainingAfterMinor ?? 0),
    completedAt: String(payment.completedAt ?? now.toISOString()),
    ...links,
  };
  return { send: true, ...contact, sms: receiptSms(input), emailContent: receiptEmail(input) };
};
