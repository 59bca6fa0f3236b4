import { z } from 'zod';
import { PageQuery } from '../shared/pagination';

export const input = z.object({ query: z.strictObject(PageQuery) });
