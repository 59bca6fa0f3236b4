import { GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { writeIf, writeIfOrExisting } from '../table/conditions';
import { documentClient } from '../adapters/clients/dynamodb';
import { ITEM_TYPES, webhookDeliveryKey, webhookDeliveryListIndexKey, webhookDeliveryListPartition } from '../table/keys';
import { withoutKeys } from '../table/items';
import { TABLE } from '../manifest';
import { decodeCursor, encodeCursor, type Page } from '../table/cursor';
import type { AttemptOutcome, DeliveryAttempt, DeliveryStatus, WebhookDelivery } from '../../domain/webhook-delivery';
import { nowIso } from '../adapters/clock';

const KEY_NAMES = { '#pk': TABLE.pk };

export interface DeliveryListOptions {
  status?: DeliveryStatus;
  limit: number;
  cursor?: string;
}

export const webhookDeliveriesRepo = (tableName: string, client = documentClient) => {
  const key = webhookDeliveryKey;
  return {
    async get(deliveryId: string): Promise<WebhookDelivery | undefined> {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: key(deliveryId), ConsistentRead: true }));
      return Item ? withoutKeys<WebhookDelivery>(Item) : undefined;
    },

    /**
     * Creates the delivery unless it exists; either way returns the stored one, in one round trip
     * (the failed condition hands back the existing item).
     */
    async createOrGet(delivery: WebhookDelivery): Promise<WebhookDelivery> {
      const written = await writeIfOrExisting<Record<string, unknown>>(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...key(delivery.deliveryId),
              ...webhookDeliveryListIndexKey(delivery.locationId, delivery.deliveryId),
              [TABLE.type]: ITEM_TYPES.webhookDelivery,
              ...delivery,
            },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: KEY_NAMES,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      if (written.written) return delivery;
      if (written.existing) return withoutKeys<WebhookDelivery>(written.existing);
      throw new Error(`delivery ${delivery.deliveryId}: the create condition failed without the existing item`);
    },

    /**
     * Appends an attempt and applies its outcome in one write. A delivery already marked
     * delivered (by a duplicate job) is never moved back; the attempt is still logged.
     */
    async recordAttempt(deliveryId: string, attempt: DeliveryAttempt, outcome: AttemptOutcome): Promise<void> {
      const now = nowIso();
      const fields: Record<string, unknown> = { ':now': now, ':status': outcome.status };
      const sets = ['#status = :status', 'updatedAt = :now'];
      const removes: string[] = [];
      if (outcome.status === 'delivered') sets.push('deliveredAt = :now');
      if (outcome.status === 'retrying') {
        sets.push('nextAttemptAt = :next');
        fields[':next'] = outcome.nextAttemptAt;
      } else removes.push('nextAttemptAt');
      if (outcome.status === 'parked') {
        sets.push('parkedAt = :now', 'parkReason = :reason');
        fields[':reason'] = outcome.reason;
      }
      const append = 'attempts = list_append(if_not_exists(attempts, :empty), :attempt), attemptCount = if_not_exists(attemptCount, :zero) + :one, roundAttempts = if_not_exists(roundAttempts, :zero) + :one';
      const values = { ':attempt': [attempt], ':empty': [], ':zero': 0, ':one': 1 };
      const applied = await writeIf(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(deliveryId),
            UpdateExpression: `SET ${append}, ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
            ConditionExpression: '#status <> :delivered',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ...values, ...fields, ':delivered': 'delivered' },
          }),
        ),
      );
      if (!applied) {
        await client.send(
          new UpdateCommand({ TableName: tableName, Key: key(deliveryId), UpdateExpression: `SET ${append}`, ExpressionAttributeValues: values }),
        );
      }
    },

    /** Marks a parked delivery of this location for replay with a fresh schedule; false if it is not parked there. */
    async markForReplay(locationId: string, deliveryId: string): Promise<boolean> {
      return writeIf(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(deliveryId),
            UpdateExpression: 'SET #status = :pending, roundAttempts = :zero, updatedAt = :now REMOVE parkedAt, parkReason',
            ConditionExpression: 'locationId = :loc AND #status = :parked',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pending': 'pending', ':parked': 'parked', ':zero': 0, ':loc': locationId, ':now': nowIso() },
          }),
        ),
      );
    },

    /** Puts a delivery back to parked when its replay could not be queued. */
    async unmarkReplay(deliveryId: string, reason: string): Promise<void> {
      await writeIf(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(deliveryId),
            UpdateExpression: 'SET #status = :parked, parkedAt = :now, parkReason = :reason, updatedAt = :now',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':parked': 'parked', ':pending': 'pending', ':reason': reason, ':now': nowIso() },
          }),
        ),
      );
    },

    /** A location's deliveries, newest first, optionally only those with one status. */
    async list(locationId: string, options: DeliveryListOptions): Promise<Page<WebhookDelivery>> {
      const partition = webhookDeliveryListPartition(locationId);
      const { Items, LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE.gsi1.name,
          KeyConditionExpression: '#gpk = :gpk',
          ScanIndexForward: false,
          Limit: options.limit,
          ExclusiveStartKey: decodeCursor(options.cursor, { [TABLE.gsi1.pk]: partition }),
          ...(options.status ? { FilterExpression: '#status = :status' } : {}),
          ExpressionAttributeNames: { '#gpk': TABLE.gsi1.pk, ...(options.status ? { '#status': 'status' } : {}) },
          ExpressionAttributeValues: { ':gpk': partition, ...(options.status ? { ':status': options.status } : {}) },
        }),
      );
      return { items: (Items ?? []).map((item) => withoutKeys<WebhookDelivery>(item)), nextCursor: encodeCursor(LastEvaluatedKey) };
    },

    /** Every parked delivery id of a location (replay-all). */
    async parkedIds(locationId: string): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.list(locationId, { status: 'parked', limit: 100, cursor });
        ids.push(...page.items.map((d) => d.deliveryId));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    },

    /** Every delivery of every location: a table scan, for the local runtime's outbox only. */
    async scanAll(): Promise<WebhookDelivery[]> {
      const deliveries: WebhookDelivery[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            FilterExpression: '#type = :type',
            ExpressionAttributeNames: { '#type': TABLE.type },
            ExpressionAttributeValues: { ':type': ITEM_TYPES.webhookDelivery },
            ExclusiveStartKey,
          }),
        );
        deliveries.push(...(page.Items ?? []).map((item) => withoutKeys<WebhookDelivery>(item)));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return deliveries;
    },
  };
};
