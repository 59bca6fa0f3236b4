import { z } from 'zod';
import { CustomerId } from '../domain/customer';

export const input = z.object({ query: z.strictObject({ id: CustomerId }) });
