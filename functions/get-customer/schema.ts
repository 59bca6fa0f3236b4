import * as z from '../domain/zod';
import { CustomerId, CustomerView } from '../domain/customer';

export const input = z.object({ query: z.strictObject({ id: CustomerId }) });

export const response = CustomerView;
