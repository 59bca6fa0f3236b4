import { input } from './schema';
import { toStatementView } from '../domain/statement';
import { created, httpHandler, ok } from '../shared/http/chain';
import { idempotentRoute } from '../shared/adapters/idempotency';
import { setStatementRoute } from '../shared/manifest';
import { NAVIGABLE_URL_HEADER, navigableUrlHeaders } from '../shared/http/statement-links';
import { setStatement } from '../shared/use-cases/set-statement';

export const handler = httpHandler(
  async ({ body, headers }, { caller, baseUrl }) => {
    const result = await setStatement(caller.locationId, body);
    const respond = result.created ? created : ok;
    return respond(toStatementView(result.statement), navigableUrlHeaders(headers[NAVIGABLE_URL_HEADER], baseUrl, result.statement));
  },
  { route: setStatementRoute, input, idempotent: idempotentRoute },
);
