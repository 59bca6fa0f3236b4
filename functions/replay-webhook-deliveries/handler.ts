import { input } from './schema';
import { httpHandler, ok } from '../shared/http/chain';
import { replayWebhookDeliveriesRoute } from '../shared/manifest';
import { replayParkedDeliveries } from '../shared/use-cases/replay-webhooks';

/** Replays one or all parked deliveries of the caller's location; each starts a fresh retry schedule. */
export const handler = httpHandler(
  async ({ body }, { caller }) => ok(await replayParkedDeliveries(caller.locationId, 'all' in body ? 'all' : body.deliveryId)),
  { route: replayWebhookDeliveriesRoute, input },
);
