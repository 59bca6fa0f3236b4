import * as z from '../domain/zod';
import { defineSchema } from '../domain/zod';
import { CustomerId } from '../domain/customer';
import { PaymentView } from '../domain/payments';
import { PageQuery } from '../shared/http/pagination';

/**
 * With `customerId`: that customer's payments, newest first. Without: the location's payments
 * after `cursor`, oldest first, for reconciliation (store `nextCursor` and poll with it).
 */
export const input = z.object({ query: z.strictObject({ customerId: z.optional(CustomerId), ...PageQuery }) });

export const response = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    items: z.array(PaymentView),
    nextCursor: z.optional(z.string()).check(
      z.meta({
        description: 'Pass back as `cursor` for the next page. Without customerId it stays present after the last page: store it and poll with it for new payments.',
      }),
    ),
    hasMore: z.boolean().check(z.meta({ description: 'Whether another page is ready now.' })),
  }),
);
