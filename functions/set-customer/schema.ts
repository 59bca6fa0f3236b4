import { z } from 'zod';
import { SetCustomerInput } from '../domain/customer';

export const input = z.object({ body: SetCustomerInput });
