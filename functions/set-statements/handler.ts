import * as z from '../domain/zod';
import { Envelope } from './schema';
import { toStatementView } from '../domain/statement';
import { statementLinks } from '../domain/links';
import { httpHandler, ok } from '../shared/http/chain';
import { idempotentRoute } from '../shared/adapters/idempotency';
import { setStatementsRoute } from '../shared/manifest';
import { NAVIGABLE_URL_HEADER, NavigableUrlRequestHeaders } from '../shared/http/statement-links';
import { setStatements } from '../shared/use-cases/set-statements';

/**
 * The envelope is checked here; each item by the use case, so that a bad item is only that item's
 * 400. `input` in schema.ts describes the same body with its items' fields, for the API description.
 */
const Raw = z.object({ body: Envelope, headers: NavigableUrlRequestHeaders });

export const handler = httpHandler(
  async ({ body, headers }, { caller, baseUrl }) => {
    const wantsLinks = headers[NAVIGABLE_URL_HEADER] === true;
    const outcomes = await setStatements(caller.locationId, body.statements);
    const results = outcomes.map((outcome) =>
      'statement' in outcome
        ? { index: outcome.index, status: outcome.status, statement: toStatementView(outcome.statement), ...(wantsLinks ? { links: statementLinks(baseUrl, outcome.statement) } : {}) }
        : outcome,
    );
    const summary = {
      created: outcomes.filter((o) => o.status === 201).length,
      updated: outcomes.filter((o) => o.status === 200).length,
      failed: outcomes.filter((o) => o.status >= 400).length,
    };
    return ok({ results, summary });
  },
  {
    route: setStatementsRoute,
    input: Raw,
    idempotent: idempotentRoute,
  },
);
