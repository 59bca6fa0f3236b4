import * as z from '../../domain/zod';
import { LIMITS } from '../manifest';

/** `limit` and `cursor` query parameters shared by every list endpoint. */
export const PageQuery = {
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(LIMITS.maxPageSize)), LIMITS.defaultPageSize),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
};
