import * as z from '../domain/zod';
import { ServiceLocationInput, ServiceLocationView } from '../domain/location';

export const input = z.object({ body: ServiceLocationInput });

export const response = ServiceLocationView;
