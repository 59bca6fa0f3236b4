import { z } from 'zod';
import { SetStatementInput } from '../domain/statement';

export const NAVIGABLE_URL_HEADER = 'location-as-navigable-url';

export const input = z.object({
  body: SetStatementInput,
  headers: z.looseObject({
    [NAVIGABLE_URL_HEADER]: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['true', 'false'], 'Use true or false.'))
      .transform((value) => value === 'true')
      .optional(),
  }),
});
