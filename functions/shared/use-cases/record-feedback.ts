import { otherChannel, type Feedback } from '../../domain/delivery-feedback';
import { fallbackJob, type RoutedJob } from '../../domain/notifications';
import { enqueueJobs } from '../adapters/jobs';
import { clock } from '../adapters/clock';
import { logger, withLogScope } from '../adapters/powertools';
import { notifications } from '../repos';

/**
 * Applies one provider event to the notification it is about: the status (and reason) shown by
 * `listNotifications`; for a channel that cannot reach the customer, the address suppressed (email),
 * the same message queued on the other channel when the customer has one, and a signed
 * `notification.failed` webhook for the merchant. Runs under the notification's own correlation id,
 * so a bounce logs with the request that set the statement.
 */
export const recordFeedback = async (feedback: Feedback): Promise<void> => {
  const repo = notifications();
  const found = await repo.findByProviderMessage(feedback.channel, feedback.messageId);
  if (!found) {
    logger.warn('feedback for an unknown message', { channel: feedback.channel, status: feedback.status });
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
