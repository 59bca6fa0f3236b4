import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { TABLE } from '../manifest';
import { batchGet } from '../table/batch-get';
import { writeIf } from '../table/conditions';
import { customerKey, ITEM_TYPES, locationKey, notificationByMessageIndexKey, notificationKey, notificationPrefix, paymentKey, refundKey, statementKey } from '../table/keys';
import { currentCorrelationId } from '../adapters/powertools';
import type { NotificationJob } from '../../domain/notifications';
import { nowIso } from '../adapters/clock';

/**
 * Notification records: one per (customer, job id). The record is claimed with a conditional write
 * before anything is sent, which is what makes a send happen at most once per job.
 */

export type NotificationStatus =
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

/** Everything a job's messages are made from, read in one BatchGetItem. */
export interface JobContext {
  customer?: Record<string, unknown>;
  statement?: Record<string, unknown>;
  location?: Record<string, unknown>;
  payment?: Record<string, unknown>;
  refund?: Record<string, unknown>;
}

const RECORD_FIELDS = [
  'jobId', 'kind', 'customerId', 'locationId', 'status', 'channel', 'destination', 'providerMessageId',
  'reason', 'lastError', 'attempts', 'createdAt', 'updatedAt', 'claimedAt', 'sentAt', 'feedbackAt', 'fallbackJobId',
] as const;

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
  async loadContext(job: NotificationJob): Promise<JobContext> {
    const keys = {
      customer: customerKey(job.customerId),
      statement: statementKey(job.customerId),
      location: locationKey(job.locationId),
      ...(job.kind === 'receipt' ? { payment: paymentKey(job.customerId, job.paymentId) } : {}),
      ...(job.kind === 'refund' ? { refund: refundKey(job.customerId, job.refundId) } : {}),
    };
    const items = await batchGet(tableName, Object.values(keys), client);
    return Object.fromEntries(Object.keys(keys).map((name, i) => [name, items[i]])) as JobContext;
  },

  /**
   * Claims the job for one send attempt: creates the record, or takes over one whose earlier
   * attempt failed without sending. Anything else (sending, sent, given up) is returned unclaimed.
   */
  async claim(job: NotificationJob): Promise<Claim> {
    const now = nowIso();
    try {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: notificationKey(job.customerId, job.jobId),
          UpdateExpression:
            'SET #type = :type, jobId = :jobId, kind = :kind, customerId = :customerId, locationId = :locationId, #status = :sending, ' +
            'claimedAt = :now, updatedAt = :now, createdAt = if_not_exists(createdAt, :now), job = :job, correlationId = :cid ADD attempts :one',
          ConditionExpression: 'attribute_not_exists(#pk) OR #status IN (:retrying, :parked)',
          ExpressionAttributeNames: { '#pk': TABLE.pk, '#type': TABLE.type, '#status': 'status' },
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
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true, record: toRecord(Attributes ?? {}) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && error.Item) {
        // The document client does not unmarshall the item carried by the condition failure.
        return { claimed: false, record: toRecord(unmarshall(error.Item as never)) };
      }
      throw error;
    }
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
