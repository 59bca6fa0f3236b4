import * as z from '../domain/zod';
import { CustomerId } from '../domain/customer';
import { input as setStatementInput, NAVIGABLE_URL_HEADER, response, responseHeaders } from '../set-statement/schema';

export { NAVIGABLE_URL_HEADER, response, responseHeaders };

export const input = z.object({
  query: z.strictObject({ customerId: CustomerId }),
  headers: setStatementInput.shape.headers,
});
