import { input } from './schema';
import { httpHandler } from '../shared/http/chain';
import { statementPageRoute } from '../shared/manifest';
import { openStatement } from '../shared/use-cases/open-statement';
import { pageErrorRenderer } from '../shared/pages/errors';
import { receiptResponse, statementResponse } from '../shared/pages/responses';
import { payments } from '../shared/repos';

/** The customer's statement page; `?pay=1` (the PAY NOW button) opens the card form, `?receipt=pay_…` a printable receipt. */
export const handler = httpHandler(
  async ({ path, query }, { baseUrl }) => {
    const ctx = await openStatement(path.token, baseUrl);
    if (query.receipt) return receiptResponse(ctx, await payments().get(ctx.data.statement.customerId, query.receipt), query.download === '1');
    return statementResponse(ctx, { form: query.pay === '1' ? true : undefined });
  },
  { route: statementPageRoute, input, renderError: pageErrorRenderer },
);
