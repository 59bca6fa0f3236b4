import { z } from 'zod';
import { LinkToken } from '../shared/pages/params';

export const input = z.object({ path: z.object({ token: LinkToken }) });
