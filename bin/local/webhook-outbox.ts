import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../functions/shared/manifest';
import { ITEM_TYPES } from '../../functions/shared/table/keys';
import type { WebhookDelivery } from '../../functions/domain/webhook-delivery';
import type { OutboxSection } from './outbox';

interface WebhookOutboxOptions {
  dynamoDbUrl: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  tableName: string;
}

/** Every delivery item (a table scan is fine for a developer's local data). */
const scanDeliveries = async (options: WebhookOutboxOptions): Promise<WebhookDelivery[]> => {
  // A client per page view: nothing stays connected to DynamoDB Local when the stack stops.
  const dynamo = new DynamoDBClient({ region: options.region, endpoint: options.dynamoDbUrl, credentials: options.credentials });
  const documents = DynamoDBDocumentClient.from(dynamo);
  const deliveries: WebhookDelivery[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await documents.send(
        new ScanCommand({
          TableName: options.tableName,
          FilterExpression: '#type = :type',
          ExpressionAttributeNames: { '#type': TABLE.type },
          ExpressionAttributeValues: { ':type': ITEM_TYPES.webhookDelivery },
          ExclusiveStartKey,
        }),
      );
      deliveries.push(...((page.Items ?? []) as WebhookDelivery[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  } finally {
    dynamo.destroy();
  }
  return deliveries;
};

/**
 * The outbox's `webhooks` section: every webhook attempt the local runtime made, newest first,
 * read from the delivery items themselves.
 */
export const webhookOutboxSection = (options: WebhookOutboxOptions): OutboxSection => ({
  key: 'webhooks',
  title: 'Webhook attempts',
  list: async () =>
    (await scanDeliveries(options))
      .flatMap((d) =>
        (d.attempts ?? []).map((a, i) => ({
          at: a.at,
          url: a.url,
          webhookId: d.eventId,
          deliveryId: d.deliveryId,
          locationId: d.locationId,
          attempt: i + 1,
          statusCode: a.statusCode ?? null,
          error: a.error ?? null,
          latencyMs: a.latencyMs,
          responseExcerpt: a.responseExcerpt ?? '',
          deliveryStatus: d.status,
        })),
      )
      .sort((x, y) => y.at.localeCompare(x.at)),
});
