import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { writeIf } from '../table/conditions';
import { documentClient } from '../adapters/clients/dynamodb';
import { ITEM_TYPES, webhookConfigKey } from '../table/keys';
import { withoutKeys } from '../table/items';
import { TABLE } from '../manifest';
import type { WebhookSecret } from '../../domain/webhook-secrets';
import { nowIso } from '../adapters/clock';

export interface WebhookConfig {
  locationId: string;
  url: string;
  enabled: boolean;
  secrets: WebhookSecret[];
  /** Grows on every change; guards read-modify-write (rotation) against a concurrent change. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

const KEY_NAMES = { '#pk': TABLE.pk };

export const webhookConfigsRepo = (tableName: string, client = documentClient) => ({
  async get(locationId: string): Promise<WebhookConfig | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: webhookConfigKey(locationId), ConsistentRead: true }));
    return Item ? withoutKeys<WebhookConfig>(Item) : undefined;
  },

  /**
   * Writes the whole config in one conditional put: it must still be at `expectedRevision`
   * (absent when creating). Returns false when someone else changed it first.
   */
  async save(config: WebhookConfig, expectedRevision: number | undefined): Promise<boolean> {
    return writeIf(() =>
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...webhookConfigKey(config.locationId), [TABLE.type]: ITEM_TYPES.webhookConfig, ...config },
          ...(expectedRevision === undefined
            ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: KEY_NAMES }
            : { ConditionExpression: 'revision = :r', ExpressionAttributeValues: { ':r': expectedRevision } }),
        }),
      ),
    );
  },

  /** Stops pushes for the location; false when it has no webhook. */
  async disable(locationId: string): Promise<boolean> {
    return writeIf(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: webhookConfigKey(locationId),
          UpdateExpression: 'SET enabled = :f, updatedAt = :now, revision = revision + :one',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: KEY_NAMES,
          ExpressionAttributeValues: { ':f': false, ':now': nowIso(), ':one': 1 },
        }),
      ),
    );
  },
});
