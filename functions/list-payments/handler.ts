import type * as z from '../domain/zod';
import { input, type response } from './schema';
import { NotFoundError } from '../domain/errors';
import { toPaymentView } from '../domain/payments';
import { httpHandler, ok } from '../shared/http/chain';
import { listPaymentsRoute } from '../shared/manifest';
import { payments } from '../shared/repos';
import { decodeSinceCursor, encodeSinceCursor } from '../shared/table/since-cursor';

type Page = z.infer<typeof response>;

export const handler = httpHandler(
  async ({ query }, { caller }) => {
    if (query.customerId) {
      const page = await payments().listForCustomer(caller.locationId, query.customerId, query.limit, query.cursor);
      if (!page) throw new NotFoundError('Customer');
      return ok({ items: page.items.map(toPaymentView), nextCursor: page.nextCursor, hasMore: Boolean(page.nextCursor) } satisfies Page);
    }
    const after = decodeSinceCursor(query.cursor);
    const page = await payments().listForLocation(caller.locationId, query.limit, after);
    const last = page.items.at(-1)?.paymentId ?? after;
    return ok({ items: page.items.map(toPaymentView), nextCursor: last ? encodeSinceCursor(last) : undefined, hasMore: page.hasMore } satisfies Page);
  },
  { route: listPaymentsRoute, input },
);
