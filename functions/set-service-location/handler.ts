import { input } from './schema';
import { prepareLocation } from '../domain/location';
import { InvalidFieldError } from '../domain/errors';
import { created, httpHandler, ok } from '../shared/http/chain';
import { idempotentRoute } from '../shared/adapters/idempotency';
import { setServiceLocationRoute } from '../shared/manifest';
import { locations } from '../shared/repos';

export const handler = httpHandler(
  async ({ body }, { caller }) => {
    const prepared = prepareLocation(body);
    if (!prepared.ok) throw new InvalidFieldError(prepared.path, prepared.message);
    const result = await locations().upsert(caller.locationId, prepared.value);
    return (result.created ? created : ok)(result.location);
  },
  { route: setServiceLocationRoute, input, idempotent: idempotentRoute },
);
