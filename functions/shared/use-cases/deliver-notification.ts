import { maskEmail, maskPhone, type Channel, type NotificationJob } from '../../domain/notifications';
import { planNotification } from '../../domain/notification-plan';
import { isOptedOut, sendEmail, sendSms } from '../adapters/channels';
import { logger } from '../adapters/powertools';
import { emitMetric } from '../adapters/metrics';
import { publicBaseUrl } from '../http/public-url';
import { notifications } from '../repos';
import type { Outcome } from '../repos/notifications';
import { clock } from '../adapters/clock';
import { isBusy } from '../../domain/send-pacing';

/**
 * Longer than any send attempt can take (the function times out at 30 s): a claim older than this
 * belongs to a worker that died.
 */
const CLAIM_LEASE_MS = 120_000;

type Plan = Extract<ReturnType<typeof planNotification>, { send: true }>;

/** SMS first; email when there is no phone, it opted out, or SNS refused the number; else undeliverable. */
const sendByBestChannel = async (plan: Plan, trying: { channel?: Channel }): Promise<Outcome> => {
  let smsProblem: string | undefined;
  if (plan.phone) {
    trying.channel = 'sms';
    if (await isOptedOut(plan.phone)) {
      smsProblem = 'The phone number opted out of SMS.';
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
 * Sends one job at most once. The record is claimed (conditional write) before sending, so a
 * duplicate delivery finds it taken and sends nothing. A transient provider failure releases the
 * claim as `retrying` (or `parked` on the last attempt) and rethrows for the queue to retry.
 */
export const deliverNotification = async (job: NotificationJob, options: { lastAttempt: boolean }): Promise<void> => {
  const repo = notifications();
  const items = await repo.loadContext(job);
  if (!items.customer || items.customer.locationId !== job.locationId) {
    logger.warn('notification job for a missing customer dropped', { jobId: job.jobId });
    return;
  }
  const claim = await repo.claim(job);
  if (!claim.claimed) {
    const { status, claimedAt } = claim.record;
    if (status === 'sending' && claimedAt && clock.now().getTime() - Date.parse(claimedAt) > CLAIM_LEASE_MS) await repo.markUnknown(job, claimedAt);
    logger.info('duplicate notification job skipped', { jobId: job.jobId, status });
    return;
  }
  const claimedAt = claim.record.claimedAt ?? '';
  const plan = planNotification(job, items, publicBaseUrl(), clock.now());
  if (!plan.send) return repo.finish(job, claimedAt, { status: plan.status, reason: plan.reason });
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
  if (outcome.status === 'failed') emitMetric('notificationFailed', 1, outcome.channel);
  logger.info('notification finished', { jobId: job.jobId, status: outcome.status, channel: outcome.channel });
};
