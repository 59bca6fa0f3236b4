import { z } from 'zod';
import { CustomerView } from '../domain/customer';
import { PageQuery } from '../shared/pagination';

export const input = z.object({ query: z.strictObject(PageQuery) });

export const response = z.strictObject({
  items: z.array(CustomerView).meta({ description: 'In creation order.' }),
  nextCursor: z.string().optional().meta({ description: 'Pass back as `cursor` for the next page; absent on the last page.' }),
});
