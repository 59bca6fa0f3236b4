import * as z from '../domain/zod';
import { ServiceLocationView } from '../domain/location';

export const input = z.object({ query: z.strictObject({}) });

export const response = ServiceLocationView;
