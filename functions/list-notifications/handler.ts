import { input } from './schema';
import { httpHandler, ok } from '../shared/http/chain';
import { listNotificationsRoute } from '../shared/manifest';
import { customers, notifications } from '../shared/repos';

/** A customer's notifications, newest first; 404 when the customer is not the caller's. */
export const handler = httpHandler(
  async ({ query }, { caller }) => {
    const [, records] = await Promise.all([customers().get(caller.locationId, query.customerId), notifications().listForCustomer(query.customerId)]);
    const items = records.map(({ jobId, customerId, locationId, claimedAt, ...rest }) => ({ id: jobId, ...rest }));
    return ok({ customerId: query.customerId, items });
  },
  { route: listNotificationsRoute, input },
);
