import { z } from 'zod';

export const input = z.object({ query: z.strictObject({}) });
