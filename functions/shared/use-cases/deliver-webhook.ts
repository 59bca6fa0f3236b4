import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sqs as defaultSqs } from '../adapters/clients/sqs';
import { logger } from '../adapters/powertools';
import { emitMetric } from '../adapters/metrics';
import { signWebhook } from '../adapters/webhook-signing';
import { postWebhook } from '../adapters/webhook-http';
import type { webhookConfigsRepo, WebhookConfig } from '../repos/webhook-configs';
import type { webhookDeliveriesRepo } from '../repos/webhook-deliveries';
import type { eventSubjectsRepo } from '../repos/event-subjects';
import type { webhookLanesRepo } from '../repos/webhook-lanes';
import { buildNotificationFailedEvent, buildPaymentCompletedEvent, buildPaymentRefundedEvent, deliveryIdFor, notificationFailedIds, refundDeliveryIdFor } from '../../domain/webhook-event';
import { buildPaymentDisputedEvent, disputeDeliveryIdFor } from '../../domain/disputes';
import { buildPaymentFailedEvent, failureDeliveryIdFor } from '../../domain/payment-failures';
import { outcomeOf, type WebhookDelivery } from '../../domain/webhook-delivery';
import { activeSecrets } from '../../domain/webhook-secrets';
import { replayJob, type WebhookJob } from '../../domain/webhook-job';
import type { WebhookUrlPolicy } from '../../domain/webhook-url';
import { clock, nowIso } from '../adapters/clock';

/** Thrown to report a record as failed after its next visibility has been set; not an error. */
export class RetryLaterError extends Error {
  constructor(readonly deliveryId: string, readonly waitSeconds: number) {
    super(`webhook ${deliveryId} retries in ${waitSeconds} s`);
    this.name = 'RetryLaterError';
  }
}

export interface ReceivedMessage {
  receiptHandle: string;
  /** SQS's ApproximateReceiveCount is 1. */
  firstReceive: boolean;
}

export interface WebhookWorkerDeps {
  queueUrl: string;
  dlqUrl: string;
  schedule: readonly number[];
  policy: WebhookUrlPolicy;
  configs: ReturnType<typeof webhookConfigsRepo>;
  deliveries: ReturnType<typeof webhookDeliveriesRepo>;
  /** The payment, refund, dispute, failure or customer an event is about. */
  subjects: ReturnType<typeof eventSubjectsRepo>;
  /** Bounds the attempts in flight per location (`perLocation` lanes); unbounded without. */
  lanes?: { repo: ReturnType<typeof webhookLanesRepo>; perLocation: number };
  sqs?: SQSClient;
}

/** Longer than an attempt can take (the POST times out at 10 s): a lane held longer belongs to a worker that died. */
const LANE_LEASE_MS = 30_000;

/**
 * Delivers webhook jobs. One attempt per receive: the retry wait is the message's own visibility
 * timeout (ChangeMessageVisibility, up to 12 h, longer than the 15 min SQS delay limit), so a
 * waiting message blocks no other message and no other location. The delivery item, not SQS's
 * receive count, decides when to park, which is why the queue's maxReceiveCount is high.
 * Bookkeeping happens after the POST: a crash in between repeats the POST (same webhook-id),
 * never loses it.
 */
export const webhookWorker = (deps: WebhookWorkerDeps) => {
  const sqs = deps.sqs ?? defaultSqs;

  /** The delivery of one event, created on its first sight (a second job for it gets the stored one). */
  const createDelivery = (deliveryId: string, event: { id: string; type: string; locationId: string }, about: { paymentId?: string; customerId: string }) => {
    const now = nowIso();
    return deps.deliveries.createOrGet({
      deliveryId,
      locationId: event.locationId,
      eventId: event.id,
      eventType: event.type,
      ...(about.paymentId ? { paymentId: about.paymentId } : {}),
      customerId: about.customerId,
      payload: JSON.stringify(event),
      status: 'pending',
      attempts: [],
      attemptCount: 0,
      roundAttempts: 0,
      createdAt: now,
      updatedAt: now,
    });
  };

  /** The delivery this job is about, created on first sight of its event; undefined when there is nothing to send. */
  const deliveryFor = async (job: WebhookJob): Promise<{ delivery?: WebhookDelivery; config?: WebhookConfig }> => {
    if (job.kind === 'webhook.replay') {
      const [delivery, config] = await Promise.all([deps.deliveries.get(job.deliveryId), deps.configs.get(job.locationId)]);
      return { delivery: delivery?.locationId === job.locationId ? delivery : undefined, config };
    }
    if (job.kind === 'notification.failed') {
      const config = await deps.configs.get(job.locationId);
      if (!config?.enabled) return { config };
      const customer = await deps.subjects.customer(job.customerId);
      const event = buildNotificationFailedEvent(job, customer ?? { customerId: job.customerId });
      return { delivery: await createDelivery(notificationFailedIds(job).deliveryId, event, { customerId: job.customerId }), config };
    }
    if (job.kind === 'payment.disputed') {
      const [config, { dispute, customer }] = await Promise.all([deps.configs.get(job.locationId), deps.subjects.disputeWithCustomer(job.customerId, job.disputeId)]);
      if (!config?.enabled) return { config };
      if (!dispute || dispute.locationId !== job.locationId) {
        logger.error('webhook job for an unknown dispute', { disputeId: job.disputeId, locationId: job.locationId });
        return { config };
      }
      const event = buildPaymentDisputedEvent(dispute, customer ?? { customerId: job.customerId });
      return { delivery: await createDelivery(disputeDeliveryIdFor(dispute.disputeId), event, dispute), config };
    }
    if (job.kind === 'payment.failed') {
      const [config, { failure, customer }] = await Promise.all([deps.configs.get(job.locationId), deps.subjects.failureWithCustomer(job.customerId, job.intentId)]);
      if (!config?.enabled) return { config };
      if (!failure || failure.locationId !== job.locationId) {
        logger.error('webhook job for an unknown payment failure', { intentId: job.intentId, locationId: job.locationId });
        return { config };
      }
      const event = buildPaymentFailedEvent(failure, customer ?? { customerId: job.customerId });
      return { delivery: await createDelivery(failureDeliveryIdFor(failure.intentId), event, { customerId: failure.customerId }), config };
    }
    if (job.kind === 'payment.refunded') {
      const [config, { refund, customer }] = await Promise.all([deps.configs.get(job.locationId), deps.subjects.refundWithCustomer(job.customerId, job.refundId)]);
      if (!config?.enabled) return { config };
      if (!refund || refund.locationId !== job.locationId || refund.status !== 'completed') {
        logger.error('webhook job for an unknown refund', { refundId: job.refundId, locationId: job.locationId });
        return { config };
      }
      const event = buildPaymentRefundedEvent(refund, customer ?? { customerId: job.customerId });
      return { delivery: await createDelivery(refundDeliveryIdFor(refund.refundId), event, refund), config };
    }
    const [config, { payment, customer }] = await Promise.all([deps.configs.get(job.locationId), deps.subjects.paymentWithCustomer(job.customerId, job.paymentId)]);
    if (!config?.enabled) return { config };
    if (!payment || payment.locationId !== job.locationId || payment.status !== 'completed') {
      logger.error('webhook job for an unknown or incomplete payment', { paymentId: job.paymentId, locationId: job.locationId });
      return { config };
    }
    const event = buildPaymentCompletedEvent(payment, customer ?? { customerId: job.customerId });
    return { delivery: await createDelivery(deliveryIdFor(payment.paymentId), event, payment), config };
  };

  const park = async (delivery: WebhookDelivery, reason: string) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: deps.dlqUrl,
        // A replay job, so that the generic `admin redrive --queue webhook` also works (one more attempt).
        MessageBody: JSON.stringify({ ...replayJob(delivery.locationId, delivery.deliveryId), eventId: delivery.eventId, reason }),
      }),
    );
    emitMetric('webhookParked');
    logger.warn('webhook parked', { deliveryId: delivery.deliveryId, locationId: delivery.locationId, reason });
  };

  /** One attempt for the job's delivery; throws RetryLaterError when the message should come back later. */
  const attemptOnce = async (job: WebhookJob, message: ReceivedMessage): Promise<void> => {
    const { delivery, config } = await deliveryFor(job);
    if (!delivery) return;
    if (delivery.status === 'delivered' || (delivery.status === 'parked' && job.kind !== 'webhook.replay')) return;
    // A second job for a payment or refund whose delivery another message already drives (the stream can
    // emit a change twice): that message owns the schedule, so this one must not start a second.
    if (job.kind !== 'webhook.replay' && message.firstReceive && delivery.attemptCount > 0) return;
    const now = clock.now();
    const secrets = config?.enabled ? activeSecrets(config.secrets, now).map((s) => s.secret) : [];
    if (!config?.enabled || secrets.length === 0) {
      const reason = 'The location has no enabled webhook.';
      await deps.deliveries.recordAttempt(delivery.deliveryId, { at: now.toISOString(), url: config?.url ?? '', error: reason, latencyMs: 0 }, { status: 'parked', reason });
      return park(delivery, reason);
    }
    // One of the location's lanes, else come back in 1–3 s: waiting for a lane is not an attempt.
    const holder = `${delivery.deliveryId}:${now.getTime()}:${Math.random()}`;
    const lane = deps.lanes ? await deps.lanes.repo.take(delivery.locationId, deps.lanes.perLocation, holder, now, LANE_LEASE_MS) : -1;
    if (lane === undefined) {
      const waitSeconds = 1 + Math.floor(Math.random() * 3);
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: deps.queueUrl, ReceiptHandle: message.receiptHandle, VisibilityTimeout: waitSeconds }));
      throw new RetryLaterError(delivery.deliveryId, waitSeconds);
    }
    let attempt: Awaited<ReturnType<typeof postWebhook>>;
    try {
      attempt = await postWebhook({ url: config.url, headers: signWebhook(secrets, delivery.eventId, now, delivery.payload), body: delivery.payload, policy: deps.policy });
    } finally {
      if (deps.lanes && lane >= 0) await deps.lanes.repo.release(delivery.locationId, lane, holder).catch((error) => logger.warn('webhook lane not released', { error: error as Error }));
    }
    const outcome = outcomeOf(attempt, delivery.roundAttempts + 1, deps.schedule, clock.now());
    await deps.deliveries.recordAttempt(delivery.deliveryId, attempt, outcome);
    emitMetric('webhookAttempted');
    emitMetric('webhookLatency', attempt.latencyMs);
    if (attempt.statusCode !== undefined && attempt.statusCode >= 200 && attempt.statusCode < 300) emitMetric('webhookDelivered');
    logger.info('webhook attempt', { deliveryId: delivery.deliveryId, locationId: delivery.locationId, statusCode: attempt.statusCode, error: attempt.error, latencyMs: attempt.latencyMs, outcome: outcome.status });
    if (outcome.status === 'parked') return park(delivery, outcome.reason);
    if (outcome.status === 'retrying') {
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: deps.queueUrl, ReceiptHandle: message.receiptHandle, VisibilityTimeout: outcome.waitSeconds }));
      throw new RetryLaterError(delivery.deliveryId, outcome.waitSeconds);
    }
  };

  return {
    async handle(job: WebhookJob, message: ReceivedMessage): Promise<void> {
      try {
        await attemptOnce(job, message);
      } catch (error) {
        // Anything but a scheduled retry is unexpected: the message comes back after the queue's visibility timeout.
        if (!(error instanceof RetryLaterError)) logger.error('webhook job failed', { kind: job.kind, locationId: job.locationId, error: error as Error });
        throw error;
      }
    },

    /** A message that is not a job can never succeed: keep it in the dead-letter queue for a human. */
    async reject(body: string, reason: string): Promise<void> {
      await sqs.send(new SendMessageCommand({ QueueUrl: deps.dlqUrl, MessageBody: JSON.stringify({ rejected: body.slice(0, 10_000), reason }) }));
      logger.error('webhook job rejected', { reason });
    },
  };
};
