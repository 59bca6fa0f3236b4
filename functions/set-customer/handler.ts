import * as z from '../domain/zod';
import { input } from './schema';
import { readCustomerPhone, sentPhone, setCustomerRules } from '../domain/customer';
import { defaultRegion } from '../domain/location';
import { created, fieldProblems, HttpError, httpHandler, ok, type Caller, type RawHttpInput } from '../shared/http/chain';
import { idempotentRoute } from '../shared/adapters/idempotency';
import { setCustomerRoute } from '../shared/manifest';
import { customers, locationAddresses } from '../shared/repos';

/**
 * With `id` the update rules apply, without it the create rules; the phone is read with the
 * location's country (fetched only for a national-format number) at the same time, so one 400 names
 * every bad field: the missing name and the bad phone.
 */
const parse = async ({ body }: RawHttpInput, caller: Caller) => {
  const sent = sentPhone(body);
  const phone = readCustomerPhone(sent.phone, sent.needsRegion ? defaultRegion(await locationAddresses().get(caller.locationId)) : 'US');
  const parsed = z.safeParse(setCustomerRules(body), body);
  const fields = parsed.success ? [] : fieldProblems(parsed.error);
  if (phone && !phone.ok && !fields.some((f) => f.path === 'primaryPhone')) fields.push({ path: 'primaryPhone', message: phone.reason });
  if (fields.length) {
    const onlyPhone = fields.length === 1 && phone && !phone.ok ? phone.reason : undefined;
    throw new HttpError(400, onlyPhone ? 'invalid_phone' : 'validation_failed', onlyPhone ?? 'The request has invalid fields.', fields);
  }
  return { body: phone?.ok ? { ...parsed.data, primaryPhone: phone.e164 } : parsed.data } as z.infer<typeof input>;
};

export const handler = httpHandler(
  async ({ body }, { caller }) => {
    if ('id' in body) {
      const { id, ...changes } = body;
      return ok(await customers().update(caller.locationId, id, changes));
    }
    return created(await customers().create(caller.locationId, body));
  },
  { route: setCustomerRoute, input, parse, idempotent: idempotentRoute },
);
