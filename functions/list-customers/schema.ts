import * as z from '../domain/zod';
import { defineSchema } from '../domain/zod';
import { CustomerView } from '../domain/customer';
import { PageQuery } from '../shared/http/pagination';

export const input = z.object({ query: z.strictObject(PageQuery) });

export const response = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    items: z.array(CustomerView).check(z.meta({ description: 'In creation order.' })),
    nextCursor: z.optional(z.string()).check(z.meta({ description: 'Pass back as `cursor` for the next page; absent on the last page.' })),
  }),
);
