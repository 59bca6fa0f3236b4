import * as z from '../domain/zod';
import { LinkToken } from '../shared/pages/params';

export const input = z.object({ path: z.object({ token: LinkToken }) });
