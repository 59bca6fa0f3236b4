import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { TABLE } from '../manifest';
import { batchGet } from '../table/batch-get';
import { writeIf, writeIfOrExisting } from '../table/conditions';
import {
  customerKey, ITEM_TYPES, locationKey, notificationByMessageIndexKey, notificationKey, notificationPrefix, paymentKey, refundKey,
  SCHEDULE_SHARDS, scheduledIndexKey, scheduledPartition, statementKey,
} from '../table/keys';
import { currentCorrelationId } from '../adapters/powertools';
import { NotificationJob, type PlanRemindersJob } from '../../domain/notifications';
import { CONTEXT_VIEWS, type JobContext } from '../../domain/notification-context';
import { nowIso } from '../adapters/clock';

export type { JobContext } from '../../domain/notification-context';

/**
 * Notification records: one per (customer, job id). The record is claimed with a conditional write
 * before anything is sent, which is what makes a send happen at most once per job.
 */

export type NotificationStatus =
  /** Waiting for its time (quiet hours, a reminder's day); `queued` once the scheduler released it. */
  | 'scheduled' | 'queued'
  /** A reminder with nothing left to remind of (paid, replaced, excluded), or one a payment or replacement cancelled before its day. */
  | 'skipped' | 'cancelled'
  | 'sending' | 'sent' | 'undeliverable' | 'failed' | 'retrying' | 'parked' | 'unknown' | 'superseded'
  /** After provider feedback on a sent message (see domain/delivery-feedback.ts). */
  | 'delivered' | 'bounced' | 'complained' | 'opted_out';

export interface NotificationRecord {
  jobId: string;
  kind: NotificationJob['kind'];
  customerId: string;
  locationId: string;
  status: NotificationStatus;
  channel?: 'sms' | 'email';
  /** Masked phone number or email address. */
  destination?: string;
  providerMessageId?: string;
  /** Why SMS was skipped for email (opted out, invalid number), or why nothing was sent. */
  reason?: string;
  lastError?: string;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  claimedAt?: string;
  sentAt?: string;
  /** When a held or planned message goes out (local 08:00 after quiet hours, a reminder's day). */
  notBefore?: string;
  /** When the provider last reported on the message (delivery, bounce, complaint, carrier failure). */
  feedbackAt?: string;
  /** The job id of the send on the other channel that provider feedback caused. */
  fallbackJobId?: string;
}

/** A sent notification found from its provider message id, with what the feedback worker needs. */
export interface SentNotification {
  record: NotificationRecord;
  job?: NotificationJob;
  correlationId?: string;
}

export type Outcome = Pick<NotificationRecord, 'status' | 'channel' | 'destination' | 'providerMessageId' | 'reason' | 'lastError'>;

/** Statuses after which a later delivery of the same job may try again: nothing was sent. */
const RETRYABLE: NotificationStatus[] = ['retrying', 'parked'];

export type Claim = { claimed: true; record: NotificationRecord } | { claimed: false; record: NotificationRecord };

/** A record waiting in the schedule, with the job to release. */
export interface ScheduledNotification {
  record: NotificationRecord;
  job: NotificationJob;
  /** Its sort key in the schedule index (release time and job id), compared when releasing. */
  releaseKey: string;
  /** The work that caused the job (the request that set the statement). */
  correlationId?: string;
}

const RECORD_FIELDS = [
  'jobId', 'kind', 'customerId', 'locationId', 'status', 'channel', 'destination', 'providerMessageId',
  'reason', 'lastError', 'attempts', 'createdAt', 'updatedAt', 'claimedAt', 'sentAt', 'notBefore', 'feedbackAt', 'fallbackJobId',
] as const;

/** Parses one stored item with its context view; a malformed item fails here, not in a text message. */
const parseView = <N extends keyof typeof CONTEXT_VIEWS>(name: N, item: Record<string, unknown> | undefined): JobContext[N] => {
  if (!item) return undefined;
  const parsed = CONTEXT_VIEWS[name].safeParse(item);
  if (!parsed.success) throw new Error(`Stored ${name} item is malformed: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  return parsed.data as JobContext[N];
};

/** A delivered message can still bounce or draw a complaint; a failure is not undone by a late delivery. */
const FEEDBACK_FROM: Record<string, NotificationStatus[]> = {
  delivered: ['sent'],
  bounced: ['sent', 'delivered'],
  complained: ['sent', 'delivered'],
  opted_out: ['sent', 'delivered'],
  failed: ['sent', 'delivered'],
};

const toRecord = (item: Record<string, unknown>): NotificationRecord =>
  Object.fromEntries(RECORD_FIELDS.flatMap((f) => (item[f] === undefined ? [] : [[f, item[f]]]))) as unknown as NotificationRecord;

export const notificationsRepo = (tableName: string, client = documentClient) => ({
  async loadContext(job: NotificationJob | PlanRemindersJob): Promise<JobContext> {
    const keys = {
      customer: customerKey(job.customerId),
      statement: statementKey(job.customerId),
      location: locationKey(job.locationId),
      ...(job.kind === 'receipt' ? { payment: paymentKey(job.customerId, job.paymentId) } : {}),
      ...(job.kind === 'refund' ? { refund: refundKey(job.customerId, job.refundId) } : {}),
    };
    const names = Object.keys(keys) as Array<keyof typeof CONTEXT_VIEWS>;
    const items = await batchGet(tableName, Object.values(keys), client);
    return Object.fromEntries(names.map((name, i) => [name, parseView(name, items[i])])) as JobContext;
  },

  /**
   * Claims the job for one send attempt: creates the record, or takes over one whose earlier
   * attempt failed without sending. Anything else (sending, sent, given up) is returned unclaimed.
   */
  async claim(job: NotificationJob): Promise<Claim> {
    const now = nowIso();
    const write = await writeIfOrExisting<Record<string, unknown>, { Attributes?: Record<string, unknown> }>(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: notificationKey(job.customerId, job.jobId),
          UpdateExpression:
            'SET #type = :type, jobId = :jobId, kind = :kind, customerId = :customerId, locationId = :locationId, #status = :sending, ' +
            'claimedAt = :now, updatedAt = :now, createdAt = if_not_exists(createdAt, :now), job = :job, correlationId = :cid ADD attempts :one ' +
            // Off the schedule: a released job is claimed like any other.
            'REMOVE #gsi1pk, #gsi1sk',
          ConditionExpression: 'attribute_not_exists(#pk) OR #status IN (:retrying, :parked, :queued)',
          ExpressionAttributeNames: { '#pk': TABLE.pk, '#type': TABLE.type, '#status': 'status', '#gsi1pk': TABLE.gsi1.pk, '#gsi1sk': TABLE.gsi1.sk },
          ExpressionAttributeValues: {
            ':type': ITEM_TYPES.notification,
            ':jobId': job.jobId,
            ':kind': job.kind,
            ':customerId': job.customerId,
            ':locationId': job.locationId,
            ':sending': 'sending',
            ':now': now,
            ':one': 1,
            // The job itself (to send it again on the other channel after a bounce) and the work it belongs to.
            ':job': JSON.stringify(job),
            ':cid': currentCorrelationId() ?? job.jobId,
            ':retrying': RETRYABLE[0],
            ':parked': RETRYABLE[1],
            ':queued': 'queued',
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (write.written) return { claimed: true, record: toRecord(write.result.Attributes ?? {}) };
    if (!write.existing) throw new Error(`Claim of ${job.jobId} failed without the existing record`);
    return { claimed: false, record: toRecord(write.existing) };
  },

  /**
   * Puts a job on the schedule: a `scheduled` record keyed like its send, found by the scheduler
   * from `releaseAt` on. Created only where nothing was sent yet (no record, or one that failed
   * without sending, or a reminder cancelled before); otherwise returns the record that stood in
   * the way (already scheduled, sending or done), so a second delivery schedules nothing.
   */
  async schedule(job: NotificationJob, notBefore: Date, releaseAt: Date, reason: string): Promise<{ scheduled: true } | { scheduled: false; record?: NotificationRecord }> {
    const now = nowIso();
    const scheduledJob: NotificationJob = { ...job, notBefore: notBefore.toISOString() };
    const index = scheduledIndexKey(job.jobId, releaseAt.toISOString());
    const write = await writeIfOrExisting<Record<string, unknown>>(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: notificationKey(job.customerId, job.jobId),
          UpdateExpression:
            'SET #type = :type, jobId = :jobId, kind = :kind, customerId = :customerId, locationId = :locationId, #status = :scheduled, ' +
            'notBefore = :notBefore, reason = :reason, updatedAt = :now, createdAt = if_not_exists(createdAt, :now), attempts = if_not_exists(attempts, :zero), ' +
            'job = :job, correlationId = :cid, #gsi1pk = :gsi1pk, #gsi1sk = :gsi1sk',
          ConditionExpression: 'attribute_not_exists(#pk) OR #status IN (:retrying, :parked, :cancelled)',
          ExpressionAttributeNames: { '#pk': TABLE.pk, '#type': TABLE.type, '#status': 'status', '#gsi1pk': TABLE.gsi1.pk, '#gsi1sk': TABLE.gsi1.sk },
          ExpressionAttributeValues: {
            ':type': ITEM_TYPES.notification,
            ':jobId': job.jobId,
            ':kind': job.kind,
            ':customerId': job.customerId,
            ':locationId': job.locationId,
            ':scheduled': 'scheduled',
            ':notBefore': notBefore.toISOString(),
            ':reason': reason,
            ':now': now,
            ':zero': 0,
            ':job': JSON.stringify(scheduledJob),
            ':cid': currentCorrelationId() ?? job.jobId,
            ':gsi1pk': index.gsi1pk,
            ':gsi1sk': index.gsi1sk,
            ':retrying': RETRYABLE[0],
            ':parked': RETRYABLE[1],
            ':cancelled': 'cancelled',
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return write.written ? { scheduled: true } : { scheduled: false, record: write.existing && toRecord(write.existing) };
  },

  /**
   * Scheduled (or released but never claimed) records whose release time is at or before `now`,
   * oldest first, up to `limitPerShard` from each shard; `more` when a shard had more.
   */
  async listDue(now: Date, limitPerShard = 100): Promise<{ items: ScheduledNotification[]; more: boolean }> {
    const pages = await Promise.all(
      Array.from({ length: SCHEDULE_SHARDS }, (_, shard) =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: TABLE.gsi1.name,
            KeyConditionExpression: '#pk = :pk AND #sk <= :now',
            ExpressionAttributeNames: { '#pk': TABLE.gsi1.pk, '#sk': TABLE.gsi1.sk },
            ExpressionAttributeValues: { ':pk': scheduledPartition(shard), ':now': `${now.toISOString()}~` },
            Limit: limitPerShard,
          }),
        ),
      ),
    );
    const items = pages.flatMap((page) =>
      (page.Items ?? []).flatMap((item) => {
        const job = NotificationJob.safeParse(typeof item.job === 'string' ? JSON.parse(item.job) : undefined);
        const correlationId = typeof item.correlationId === 'string' ? item.correlationId : undefined;
        return job.success ? [{ record: toRecord(item), job: job.data, releaseKey: String(item[TABLE.gsi1.sk]), correlationId }] : [];
      }),
    );
    return { items, more: pages.some((page) => page.LastEvaluatedKey !== undefined) };
  },

  /**
   * Takes a due record off the schedule for one release: `queued`, with its release time moved to
   * `leaseUntil`, so that a scheduler which dies before queuing the job leaves it due again then.
   * `false` when another scheduler run released it first (or a worker claimed it).
   */
  async release(scheduled: ScheduledNotification, leaseUntil: Date): Promise<boolean> {
    const index = scheduledIndexKey(scheduled.record.jobId, leaseUntil.toISOString());
    return writeIf(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: notificationKey(scheduled.record.customerId, scheduled.record.jobId),
          UpdateExpression: 'SET #status = :queued, updatedAt = :now, #gsi1sk = :lease',
          ConditionExpression: '#status IN (:scheduled, :queued) AND #gsi1sk = :key',
          ExpressionAttributeNames: { '#status': 'status', '#gsi1sk': TABLE.gsi1.sk },
          ExpressionAttributeValues: { ':queued': 'queued', ':scheduled': 'scheduled', ':now': nowIso(), ':lease': index.gsi1sk, ':key': scheduled.releaseKey },
        }),
      ),
    );
  },

  /** A customer's reminders still waiting for their day. */
  async pendingReminders(customerId: string): Promise<NotificationRecord[]> {
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        FilterExpression: '#status = :scheduled',
        ExpressionAttributeNames: { '#pk': TABLE.pk, '#sk': TABLE.sk, '#status': 'status' },
        ExpressionAttributeValues: { ':pk': customerKey(customerId).pk, ':prefix': `${notificationPrefix}reminder:`, ':scheduled': 'scheduled' },
      }),
    );
    return Items.map(toRecord);
  },

  /** Cancels a reminder still waiting for its day; `false` when it was already released or done. */
  async cancel(record: NotificationRecord, reason: string): Promise<boolean> {
    return writeIf(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: notificationKey(record.customerId, record.jobId),
          UpdateExpression: 'SET #status = :cancelled, reason = :reason, updatedAt = :now REMOVE #gsi1pk, #gsi1sk',
          ConditionExpression: '#status = :scheduled',
          ExpressionAttributeNames: { '#status': 'status', '#gsi1pk': TABLE.gsi1.pk, '#gsi1sk': TABLE.gsi1.sk },
          ExpressionAttributeValues: { ':cancelled': 'cancelled', ':scheduled': 'scheduled', ':reason': reason, ':now': nowIso() },
        }),
      ),
    );
  },

  /** Records how the claimed attempt ended. Only the holder of the claim (status `sending`) may. */
  async finish(job: NotificationJob, claimedAt: string, outcome: Outcome): Promise<void> {
    const now = nowIso();
    const fields: Record<string, unknown> = {
      ...outcome,
      updatedAt: now,
      ...(outcome.status === 'sent' ? { sentAt: now } : {}),
      ...(outcome.status === 'sent' && outcome.channel && outcome.providerMessageId ? notificationByMessageIndexKey(outcome.channel, outcome.providerMessageId) : {}),
    };
    const names = Object.keys(fields).filter((f) => fields[f] !== undefined);
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: notificationKey(job.customerId, job.jobId),
        UpdateExpression: `SET ${names.map((f, i) => `#f${i} = :v${i}`).join(', ')}`,
        ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
        ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(names.map((f, i) => [`#f${i}`, f])) },
        ExpressionAttributeValues: { ':sending': 'sending', ':claimedAt': claimedAt, ...Object.fromEntries(names.map((f, i) => [`:v${i}`, fields[f]])) },
      }),
    );
  },

  /**
   * A claim older than the longest a send can take means its worker died between claim and
   * bookkeeping: the message may or may not have gone out, so it is parked as `unknown` for a
   * person to judge rather than sent again.
   */
  async markUnknown(job: NotificationJob, claimedAt: string): Promise<void> {
    await writeIf(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: notificationKey(job.customerId, job.jobId),
          UpdateExpression: 'SET #status = :unknown, updatedAt = :now, lastError = :error',
          ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':unknown': 'unknown',
            ':sending': 'sending',
            ':claimedAt': claimedAt,
            ':now': nowIso(),
            ':error': 'The worker stopped after claiming the send; not retried to avoid a duplicate message.',
          },
        }),
      ),
    );
  },

  /** The notification a provider event is about, by the channel and message id the provider gave at send time. */
  async findByProviderMessage(channel: 'sms' | 'email', providerMessageId: string): Promise<SentNotification | undefined> {
    const index = notificationByMessageIndexKey(channel, providerMessageId);
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: TABLE.gsi1.name,
        KeyConditionExpression: '#pk = :pk AND #sk = :sk',
        ExpressionAttributeNames: { '#pk': TABLE.gsi1.pk, '#sk': TABLE.gsi1.sk },
        ExpressionAttributeValues: { ':pk': index.gsi1pk, ':sk': index.gsi1sk },
      }),
    );
    const item = Items[0];
    if (!item) return undefined;
    return {
      record: toRecord(item),
      job: typeof item.job === 'string' ? (JSON.parse(item.job) as NotificationJob) : undefined,
      correlationId: typeof item.correlationId === 'string' ? item.correlationId : undefined,
    };
  },

  /**
   * Records what the provider reported on a sent message. Returns false when the record had
   * already moved on (a late delivery after a bounce, or the same event twice).
   */
  async recordFeedback(record: NotificationRecord, feedback: { status: NotificationStatus; reason?: string; fallbackJobId?: string }): Promise<boolean> {
    const from = FEEDBACK_FROM[feedback.status] ?? [];
    const now = nowIso();
    const fields: Record<string, unknown> = { status: feedback.status, feedbackAt: now, updatedAt: now, reason: feedback.reason, fallbackJobId: feedback.fallbackJobId };
    const names = Object.keys(fields).filter((f) => fields[f] !== undefined);
    return writeIf(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: notificationKey(record.customerId, record.jobId),
          UpdateExpression: `SET ${names.map((f, i) => `#f${i} = :v${i}`).join(', ')}`,
          ConditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(names.map((f, i) => [`#f${i}`, f])) },
          ExpressionAttributeValues: {
            ...Object.fromEntries(from.map((status, i) => [`:from${i}`, status])),
            ...Object.fromEntries(names.map((f, i) => [`:v${i}`, fields[f]])),
          },
        }),
      ),
    );
  },

  /**
   * Stops email to this address for this customer: kept on the customer item and compared with
   * `primaryEmail` when planning a send, so setting another address lifts it by itself.
   */
  async suppressEmail(customerId: string, address: string, reason: string): Promise<void> {
    await writeIf(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: customerKey(customerId),
          UpdateExpression: 'SET suppressedEmail = :address, emailSuppressedAt = :now, emailSuppressionReason = :reason',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE.pk },
          ExpressionAttributeValues: { ':address': address, ':now': nowIso(), ':reason': reason },
        }),
      ),
    );
  },

  /** A customer's notifications, newest first. A customer has a few per statement, so one query suffices. */
  async listForCustomer(customerId: string): Promise<NotificationRecord[]> {
    const records: NotificationRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': TABLE.pk, '#sk': TABLE.sk },
          ExpressionAttributeValues: { ':pk': customerKey(customerId).pk, ':prefix': notificationPrefix },
          ExclusiveStartKey,
        }),
      );
      records.push(...(page.Items ?? []).map(toRecord));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && records.length < 1000);
    return records.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  },
});
