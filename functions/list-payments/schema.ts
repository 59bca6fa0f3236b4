import { z } from 'zod';
import { CustomerId } from '../domain/customer';
import { PaymentView } from '../domain/payments';
import { PageQuery } from '../shared/pagination';

/**
 * With `customerId`: that customer's payments, newest first. Without: the location's payments
 * after `cursor`, oldest first, for reconciliation (store `nextCursor` and poll with it).
 */
export const input = z.object({ query: z.strictObject({ customerId: CustomerId.optional(), ...PageQuery }) });

export const response = z.strictObject({
  items: z.array(PaymentView),
  nextCursor: z.string().optional().meta({
    description: 'Pass back as `cursor` for the next page. Without customerId it stays present after the last page: store it and poll with it for new payments.',
  }),
  hasMore: z.boolean().meta({ description: 'Whether another page is ready now.' }),
});
