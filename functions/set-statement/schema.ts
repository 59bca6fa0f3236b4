import { z } from 'zod';
import { MerchantStatementView, SetStatementInput } from '../domain/statement';

export const NAVIGABLE_URL_HEADER = 'location-as-navigable-url';

export const input = z.object({
  body: SetStatementInput,
  headers: z.looseObject({
    [NAVIGABLE_URL_HEADER]: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['true', 'false'], 'Use true or false.'))
      .transform((value) => value === 'true')
      .optional(),
  }),
});

export const response = MerchantStatementView;

/** Sent only when the request has `Location-As-Navigable-Url: true` (see shared/statement-links.ts). */
export const responseHeaders = z.object({
  Location: z.url().optional().meta({ description: "The customer's statement link (with Location-As-Navigable-Url: true)." }),
  Link: z.string().optional().meta({ description: 'The tiny link as `<https://…/t/…>; rel="shortlink"` (with Location-As-Navigable-Url: true).' }),
});
