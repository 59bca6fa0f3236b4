import { z } from 'zod';
import { LIMITS } from './manifest';

/** `limit` and `cursor` query parameters shared by every list endpoint. */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(LIMITS.maxPageSize).default(LIMITS.defaultPageSize),
  cursor: z.string().max(2048).optional(),
};
