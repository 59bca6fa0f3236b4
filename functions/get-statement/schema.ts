import * as z from '../domain/zod';
import { CustomerId } from '../domain/customer';
import { MerchantStatementView } from '../domain/statement';
import { NavigableUrlRequestHeaders, NavigableUrlResponseHeaders } from '../shared/http/statement-links';

export const input = z.object({
  query: z.strictObject({ customerId: CustomerId }),
  headers: NavigableUrlRequestHeaders,
});

export const response = MerchantStatementView;

export const responseHeaders = NavigableUrlResponseHeaders;
