import { input } from './schema';
import { httpHandler, ok } from '../shared/http/chain';
import { listCustomersRoute } from '../shared/manifest';
import { customers } from '../shared/repos';

export const handler = httpHandler(
  async ({ query }, { caller }) => ok(await customers().list(caller.locationId, query.limit, query.cursor)),
  { route: listCustomersRoute, input },
);
