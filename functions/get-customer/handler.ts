import { input } from './schema';
import { httpHandler, ok } from '../shared/http/chain';
import { getCustomerRoute } from '../shared/manifest';
import { customers } from '../shared/repos';

export const handler = httpHandler(async ({ query }, { caller }) => ok(await customers().get(caller.locationId, query.id)), {
  route: getCustomerRoute,
  input,
});
