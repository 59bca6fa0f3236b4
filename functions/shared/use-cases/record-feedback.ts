import { otherChannel, type Feedback } from '../../domain/delivery-feedback';
import { fallbackJob, type RoutedJob } from '../../domain/notifications';
import { enqueueJobs } from '../adapters/jobs';
import { clock } from '../adapters/clock';
import { logger, withLogScope } from '../adapters/powertools';
import { notifications } from '../repos';
import { emitMetric } from '../adapters/metrics';

/** Thrown so the queue delivers the event again: its notification may not have recorded the provider's message id yet. */
export class FeedbackNotMatchedYetError extends Error {
  constructor(readonly messageId: string) {
    super(`no notification has provider message id ${messageId} yet`);
    this.name = 'FeedbackNotMatchedYetError';
  }
}

/**
 * Applies one provider event to the notification it is about: the status (and reason) shown by
 * `listNotifications`; for a channel that cannot reach the customer, the address suppressed (email),
 * the same message queued on the other channel when the customer has one, and a signed
 * `notification.failed` webhook for the merchant. Runs under the notification's own correlation id,
 * so a bounce logs with the request that set the statement. An event for a message no notification
 * claims is retried until the queue's last receive, then counted (`FeedbackUnmatched`) and dropped.
 */
export const recordFeedback = async (feedback: Feedback, options: { lastAttempt: boolean }): Promise<void> => {
  const repo = notifications();
  const found = await repo.findByProviderMessage(feedback.channel, feedback.messageId);
  if (!found) {
    // A provider can report (a delivery, even a bounce) before the sender has written the message id:
    // let the queue bring the event back, and count it only once no notification ever claimed it.
    if (!options.lastAttempt) throw new FeedbackNotMatchedYetError(feedback.messageId);
    logger.warn('feedback for an unknown message dropped', { channel: feedback.channel, status: feedback.status });
    emitMetric('feedbackUnmatched', 1, feedback.channel);
    return;
  }
  const { record, job, correlationId } = found;
  await withLogScope({ correlationId, locationId: record.locationId }, async () => {
    if (!feedback.permanent) {
      const changed = feedback.status === 'delivered' ? await repo.recordFeedback(record, { status: 'delivered' }) : false;
      logger.info('delivery feedback', { jobId: record.jobId, channel: feedback.channel, status: feedback.status, changed });
      return;
    }
    const { customer } = job ? await repo.loadContext(job) : { customer: undefined };
    const fallback = otherChannel(feedback.channel);
    const reachable = fallback === 'sms' ? customer?.primaryPhone : customer?.primaryEmail;
    const next = job && reachable ? fallbackJob(job, fallback) : undefined;
    const changed = await repo.recordFeedback(record, { status: feedback.status, reason: feedback.reason, fallbackJobId: next?.jobId });
    if (!changed) {
      logger.info('feedback already recorded', { jobId: record.jobId, status: feedback.status });
      return;
    }
    if (feedback.channel === 'email' && typeof customer?.primaryEmail === 'string' && feedback.recipients.includes(customer.primaryEmail)) {
      await repo.suppressEmail(record.customerId, customer.primaryEmail, feedback.status);
    }
    const jobs: RoutedJob[] = [
      {
        queue: 'webhook',
        job: {
          kind: 'notification.failed',
          locationId: record.locationId,
          customerId: record.customerId,
          notificationId: record.jobId,
          notificationKind: record.kind,
          channel: feedback.channel,
          destination: record.destination ?? '',
          status: feedback.status,
          reason: feedback.reason ?? '',
          failedAt: clock.now().toISOString(),
          fallback: next ? fallback : null,
        },
      },
      ...(next ? [{ queue: 'notification' as const, job: next }] : []),
    ];
    await enqueueJobs(jobs);
    logger.info('notification failed after sending', { jobId: record.jobId, channel: feedback.channel, status: feedback.status, fallbackJobId: next?.jobId });
  });
};
