import { maskEmail, maskPhone, type Channel, type NotificationJob } from '../../domain/notifications';
import { holdUntil, planNotification } from '../../domain/notification-plan';
import { releaseTime } from '../../domain/quiet-hours';
import { scheduleTimeScale } from '../adapters/schedule-scale';
import { cancelPendingReminders } from './plan-reminders';
import { isOptedOut, sendEmail, sendSms } from '../adapters/channels';
import { logger } from '../adapters/powertools';
import { emitMetric } from '../adapters/metrics';
import { publicBaseUrl } from '../http/public-url';
import { notifications } from '../repos';
import type { NotificationRecord, Outcome } from '../repos/notifications';
import { clock } from '../adapters/clock';
import { enqueueJobs } from '../adapters/jobs';
import { isBusy } from '../../domain/send-pacing';

/**
 * Longer than any send attempt can take (the function times out at 30 s): a claim older than this
 * belongs to a worker that died.
 */
const CLAIM_LEASE_MS = 120_000;

const OPTED_OUT = 'The phone number opted out of SMS.';

type Plan = Extract<ReturnType<typeof planNotification>, { send: true }>;

/** SMS first; email when there is no phone, it opted out, or SNS refused the number; else undeliverable. */
const sendByBestChannel = async (plan: Plan, trying: { channel?: Channel }): Promise<Outcome> => {
  let smsProblem: string | undefined;
  if (plan.phone) {
    trying.channel = 'sms';
    if (await isOptedOut(plan.phone)) {
      smsProblem = OPTED_OUT;
    } else {
      const sms = await sendSms(plan.phone, plan.sms);
      if (sms.sent) return { status: 'sent', channel: 'sms', destination: maskPhone(plan.phone), providerMessageId: sms.messageId };
      smsProblem = sms.reason;
    }
  }
  if (plan.email) {
    trying.channel = 'email';
    const email = await sendEmail(plan.email, plan.emailContent);
    const base = { channel: 'email' as const, destination: maskEmail(plan.email), reason: smsProblem };
    if (email.sent) return { ...base, status: 'sent', providerMessageId: email.messageId };
    return { ...base, status: 'failed', reason: [smsProblem, email.reason].filter(Boolean).join(' ') };
  }
  if (plan.phone) return { status: 'failed', channel: 'sms', destination: maskPhone(plan.phone), reason: smsProblem };
  return { status: 'undeliverable', reason: 'The customer has neither a phone number nor an email address.' };
};

/**
 * A send that failed at once on every channel the customer has (an invalid number and no email, an
 * opted-out number and a rejected address, ...) tells the merchant, as provider feedback does after a
 * send: a signed `notification.failed` webhook. No fallback is left: the best channel already tried both.
 */
const tellMerchant = async (job: NotificationJob, outcome: Outcome): Promise<void> => {
  if (!outcome.channel) return;
  await enqueueJobs([
    {
      queue: 'webhook',
      job: {
        kind: 'notification.failed',
        locationId: job.locationId,
        customerId: job.customerId,
        notificationId: job.jobId,
        notificationKind: job.kind,
        channel: outcome.channel,
        destination: outcome.destination ?? '',
        status: 'failed',
        reason: outcome.reason ?? '',
        failedAt: clock.now().toISOString(),
        fallback: null,
      },
    },
  ]);
};

/**
 * A second delivery of a job found its record taken. A claim older than the longest a send can take
 * belongs to a worker that died between claim and bookkeeping: it is marked `unknown` rather than
 * sent again.
 */
const skipDuplicate = async (job: NotificationJob, record: NotificationRecord | undefined): Promise<void> => {
  const { status, claimedAt } = record ?? {};
  if (status === 'sending' && claimedAt && clock.now().getTime() - Date.parse(claimedAt) > CLAIM_LEASE_MS) await notifications().markUnknown(job, claimedAt);
  logger.info('duplicate notification job skipped', { jobId: job.jobId, status });
};

/**
 * A statement, reminder or refund message due in the recipient's quiet hours waits on the schedule
 * until they end (the scheduler releases it then). A record already there (a second delivery of
 * the job) is a duplicate.
 */
const holdForQuietHours = async (job: NotificationJob, until: Date): Promise<void> => {
  const now = clock.now();
  const held = await notifications().schedule(job, until, releaseTime(until, now, scheduleTimeScale()), "Held for the recipient's quiet hours.");
  if (!held.scheduled) return skipDuplicate(job, held.record);
  emitMetric('notificationHeld');
  logger.info('notification held for quiet hours', { jobId: job.jobId, notBefore: until.toISOString() });
};

/**
 * Sends one job at most once. The record is claimed (conditional write) before sending, so a
 * duplicate delivery finds it taken and sends nothing. A transient provider failure releases the
 * claim as `retrying` (or `parked` on the last attempt) and rethrows for the queue to retry. A job
 * due in quiet hours is scheduled instead of sent; a reminder with nothing to remind of is skipped.
 */
export const deliverNotification = async (job: NotificationJob, options: { lastAttempt: boolean }): Promise<void> => {
  const repo = notifications();
  const items = await repo.loadContext(job);
  if (!items.customer || items.customer.locationId !== job.locationId) {
    logger.warn('notification job for a missing customer dropped', { jobId: job.jobId });
    return;
  }
  const hold = holdUntil(job, items, clock.now());
  if (hold) return holdForQuietHours(job, hold);
  const claim = await repo.claim(job);
  if (!claim.claimed) return skipDuplicate(job, claim.record);
  const claimedAt = claim.record.claimedAt ?? '';
  const plan = planNotification(job, items, publicBaseUrl(), clock.now());
  if (!plan.send) {
    await repo.finish(job, claimedAt, { status: plan.status, reason: plan.reason });
    if (plan.status === 'skipped') emitMetric('reminderSkipped');
    return;
  }
  let outcome: Outcome;
  const trying: { channel?: Channel } = {};
  try {
    outcome = await sendByBestChannel(plan, trying);
  } catch (error) {
    const lastError = `${(error as Error).name}: ${(error as Error).message}`.slice(0, 300);
    // A busy provider (throttled, or no send slot free) is not a failed attempt: it never parks (issue 16).
    const parks = options.lastAttempt && !isBusy(error);
    await repo.finish(job, claimedAt, { status: parks ? 'parked' : 'retrying', lastError });
    emitMetric(parks ? 'notificationFailed' : 'notificationDeferred', 1, trying.channel);
    throw error;
  }
  await repo.finish(job, claimedAt, outcome);
  if (outcome.status === 'sent') emitMetric('notificationSent', 1, outcome.channel);
  if (outcome.status === 'sent' && job.kind === 'reminder') emitMetric('reminderSent', 1, outcome.channel);
  if (outcome.status === 'failed') {
    emitMetric('notificationFailed', 1, outcome.channel);
    await tellMerchant(job, outcome);
  }
  // An opted-out number with no email to fall back to: the customer's other reminders would only fail the same way.
  if (outcome.status === 'failed' && outcome.reason === OPTED_OUT) await cancelPendingReminders(job.customerId, `${OPTED_OUT} No email to send reminders to.`);
  logger.info('notification finished', { jobId: job.jobId, status: outcome.status, channel: outcome.channel });
};
