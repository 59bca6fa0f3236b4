import * as z from '../domain/zod';
import { LinkToken } from '../shared/pages/params';

// Query parameters are not strict: messaging apps append their own (utm_*, fbclid).
export const input = z.object({
  path: z.object({ token: LinkToken }),
  query: z.object({
    pay: z.optional(z.string().check(z.maxLength(8))),
    /** A payment id: its printable receipt instead of the statement; `download=1` saves it. */
    receipt: z.optional(z.string().check(z.regex(/^pay_[0-9A-Za-z]{8,40}$/))),
    download: z.optional(z.string().check(z.maxLength(8))),
  }),
});
