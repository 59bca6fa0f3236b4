import { z } from 'zod';
import { LinkToken } from '../shared/pages/params';

// Query parameters are not strict: messaging apps append their own (utm_*, fbclid).
export const input = z.object({ path: z.object({ token: LinkToken }), query: z.object({ pay: z.string().max(8).optional() }) });
