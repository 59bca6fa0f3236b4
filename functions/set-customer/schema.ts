import * as z from '../domain/zod';
import { CustomerView, SetCustomerInput } from '../domain/customer';

export const input = z.object({ body: SetCustomerInput });

export const response = CustomerView;
