import { input } from './schema';
import { toDeliveryView } from '../domain/webhook-delivery';
import { httpHandler, ok } from '../shared/http/chain';
import { listWebhookDeliveriesRoute } from '../shared/manifest';
import { webhookDeliveries } from '../shared/repos';

/**
 * The caller's webhook deliveries, newest first, each with its attempts. With a status filter a
 * page may hold fewer than `limit` items while `nextCursor` is still present: keep following it.
 */
export const handler = httpHandler(
  async ({ query }, { caller }) => {
    const page = await webhookDeliveries().list(caller.locationId, query);
    return ok({ items: page.items.map(toDeliveryView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  },
  { route: listWebhookDeliveriesRoute, input },
);
