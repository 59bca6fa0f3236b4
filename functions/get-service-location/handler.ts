import { input } from './schema';
import { NotFoundError } from '../domain/errors';
import { httpHandler, ok } from '../shared/http/chain';
import { getServiceLocationRoute } from '../shared/manifest';
import { locations } from '../shared/repos';

export const handler = httpHandler(
  async (_input, { caller }) => {
    const location = await locations().get(caller.locationId);
    if (!location) throw new NotFoundError('Service Location');
    return ok(location);
  },
  { route: getServiceLocationRoute, input },
);
