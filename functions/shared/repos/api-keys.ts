import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { apiKeyKey, ITEM_TYPES } from '../table/keys';
import { TABLE } from '../manifest';
import { nowIso } from '../adapters/clock';
import { writeIf } from '../table/conditions';

export interface StoredApiKey {
  keyId: string;
  locationId: string;
  secretHash: string;
  createdAt: string;
  revokedAt?: string;
}

export const apiKeysRepo = (tableName: string, client = documentClient) => ({
  async find(keyId: string): Promise<StoredApiKey | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: apiKeyKey(keyId) }));
    return Item as StoredApiKey | undefined;
  },

  async create(key: Omit<StoredApiKey, 'createdAt' | 'revokedAt'>): Promise<StoredApiKey> {
    const item: StoredApiKey = { ...key, createdAt: nowIso() };
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...apiKeyKey(key.keyId), [TABLE.type]: ITEM_TYPES.apiKey, ...item },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE.pk },
      }),
    );
    return item;
  },

  /** Marks a key revoked; returns false when no such key exists. */
  async revoke(keyId: string): Promise<boolean> {
    return writeIf(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: apiKeyKey(keyId),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :now)',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE.pk },
          ExpressionAttributeValues: { ':now': nowIso() },
        }),
      ),
    );
  },
});
