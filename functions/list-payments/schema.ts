import { z } from 'zod';
import { CustomerId } from '../domain/customer';
import { PageQuery } from '../shared/pagination';

/**
 * With `customerId`: that customer's payments, newest first. Without: the location's payments
 * after `cursor`, oldest first, for reconciliation (store `nextCursor` and poll with it).
 */
export const input = z.object({ query: z.strictObject({ customerId: CustomerId.optional(), ...PageQuery }) });
