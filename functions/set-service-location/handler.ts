import { input } from './schema';
import { prepareLocation } from '../domain/location';
import { InvalidFieldError } from '../domain/errors';
import { httpHandler, ok } from '../shared/http/chain';
import { idempotentRoute } from '../shared/adapters/idempotency';
import { setServiceLocationRoute } from '../shared/manifest';
import { locations } from '../shared/repos';

export const handler = httpHandler(
  async ({ body }, { caller }) => {
    const prepared = prepareLocation(body);
    if (!prepared.ok) throw new InvalidFieldError(prepared.path, prepared.message);
    return ok(await locations().upsert(caller.locationId, prepared.value));
  },
  { route: setServiceLocationRoute, input, idempotent: idempotentRoute },
);
