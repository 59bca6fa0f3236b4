import * as z from '../domain/zod';
import { TinyCode } from '../shared/pages/params';

export const input = z.object({ path: z.object({ code: TinyCode }) });
