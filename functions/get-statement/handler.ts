import { input } from './schema';
import { toStatementView } from '../domain/statement';
import { httpHandler, ok } from '../shared/http/chain';
import { getStatementRoute } from '../shared/manifest';
import { statements } from '../shared/repos';
import { NAVIGABLE_URL_HEADER, navigableUrlHeaders } from '../shared/http/statement-links';

export const handler = httpHandler(
  async ({ query, headers }, { caller, baseUrl }) => {
    const statement = await statements().get(caller.locationId, query.customerId);
    return ok(toStatementView(statement), navigableUrlHeaders(headers[NAVIGABLE_URL_HEADER], baseUrl, statement));
  },
  { route: getStatementRoute, input },
);
