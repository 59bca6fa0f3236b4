import * as z from '../domain/zod';
import { MerchantStatementView, SetStatementInput } from '../domain/statement';
import { NavigableUrlRequestHeaders, NavigableUrlResponseHeaders } from '../shared/http/statement-links';

export const input = z.object({ body: SetStatementInput, headers: NavigableUrlRequestHeaders });

export const response = MerchantStatementView;

export const responseHeaders = NavigableUrlResponseHeaders;
