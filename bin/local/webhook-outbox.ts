import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { webhookDeliveriesRepo } from '../../functions/shared/repos/webhook-deliveries';
import type { WebhookDelivery } from '../../functions/domain/webhook-delivery';
import type { OutboxSection } from './outbox';

interface WebhookOutboxOptions {
  dynamoDbUrl: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  tableName: string;
}

/** Every delivery item, through the deliveries repository (a scan is fine for a developer's local data). */
const scanDeliveries = async (options: WebhookOutboxOptions): Promise<WebhookDelivery[]> => {
  // A client per page view: nothing stays connected to DynamoDB Local when the stack stops.
  const dynamo = new DynamoDBClient({ region: options.region, endpoint: options.dynamoDbUrl, credentials: options.credentials });
  try {
    return await webhookDeliveriesRepo(options.tableName, DynamoDBDocumentClient.from(dynamo)).scanAll();
  } finally {
    dynamo.destroy();
  }
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
