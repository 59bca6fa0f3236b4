import { input } from './schema';
import { httpHandler } from '../shared/http/chain';
import { statementPageRoute } from '../shared/manifest';
import { openStatement } from '../shared/use-cases/open-statement';
import { pageErrorRenderer } from '../shared/pages/errors';
import { statementResponse } from '../shared/pages/responses';

/** The customer's statement page; `?pay=1` (the PAY NOW button) opens the card form. */
export const handler = httpHandler(
  async ({ path, query }, { baseUrl }) => statementResponse(await openStatement(path.token, baseUrl), { form: query.pay === '1' ? true : undefined }),
  { route: statementPageRoute, input, renderError: pageErrorRenderer },
);
