import * as z from '../domain/zod';
import { defineSchema } from '../domain/zod';
import { MerchantStatementView, SetStatementInput } from '../domain/statement';

export const NAVIGABLE_URL_HEADER = 'location-as-navigable-url';

export const input = z.object({
  body: SetStatementInput,
  headers: z.looseObject({
    [NAVIGABLE_URL_HEADER]: z.optional(
      z.pipe(
        z.pipe(z.string().check(z.trim(), z.toLowerCase()), z.enum(['true', 'false'], 'Use true or false.')),
        z.transform((value: 'true' | 'false') => value === 'true'),
      ),
    ),
  }),
});

export const response = MerchantStatementView;

/** Sent only when the request has `Location-As-Navigable-Url: true` (see shared/http/statement-links.ts). */
export const responseHeaders = /* @__PURE__ */ defineSchema(() =>
  z.object({
    Location: z.optional(z.url()).check(z.meta({ description: "The customer's statement link (with Location-As-Navigable-Url: true)." })),
    Link: z.optional(z.string()).check(z.meta({ description: 'The tiny link as `<https://…/t/…>; rel="shortlink"` (with Location-As-Navigable-Url: true).' })),
  }),
);
