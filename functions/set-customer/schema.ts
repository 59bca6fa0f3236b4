import { z } from 'zod';
import { CustomerView, SetCustomerInput } from '../domain/customer';

export const input = z.object({ body: SetCustomerInput });

export const response = CustomerView;
