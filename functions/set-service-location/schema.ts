import { z } from 'zod';
import { ServiceLocationInput } from '../domain/location';

export const input = z.object({ body: ServiceLocationInput });
