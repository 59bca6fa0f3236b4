import { input } from './schema';
import { normaliseCustomerPhone, phoneNeedsRegion } from '../domain/customer';
import { defaultRegion } from '../domain/location';
import { created, httpHandler, ok } from '../shared/http/chain';
import { idempotentRoute } from '../shared/adapters/idempotency';
import { setCustomerRoute } from '../shared/manifest';
import { customers, locations } from '../shared/repos';

export const handler = httpHandler(
  async ({ body }, { caller }) => {
    // The location is read only when a national-format phone number needs its country.
    const region = phoneNeedsRegion(body) ? defaultRegion(await locations().get(caller.locationId)) : 'US';
    const fields = normaliseCustomerPhone(body, region);
    if ('id' in fields) {
      const { id, ...changes } = fields;
      return ok(await customers().update(caller.locationId, id, changes));
    }
    return created(await customers().create(caller.locationId, fields));
  },
  { route: setCustomerRoute, input, idempotent: idempotentRoute },
);
