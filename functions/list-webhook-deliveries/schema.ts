import { z } from 'zod';
import { PageQuery } from '../shared/pagination';
import { DELIVERY_STATUSES } from '../domain/webhook-delivery';

export const input = z.object({
  query: z.strictObject({ ...PageQuery, status: z.enum(DELIVERY_STATUSES).optional() }),
});
