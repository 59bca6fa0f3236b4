import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { input } from './schema';
import { httpHandler } from '../shared/http/chain';
import { payStatementRoute } from '../shared/manifest';
import { openLink } from '../shared/use-cases/open-statement';
import { pageErrorRenderer } from '../shared/pages/errors';
import { submitPayment } from '../shared/use-cases/submit-payment';
import { registerInvocation } from '../shared/use-cases/settle-attempt';

const pay = httpHandler(
  async ({ path, body }, { baseUrl }) => submitPayment(path.token, await openLink(path.token), baseUrl, body),
  { route: payStatementRoute, input, renderError: pageErrorRenderer },
);

/** Pays the statement by card, exactly once per form (see docs/payments.md). */
export const handler = (event: APIGatewayProxyEvent, context: Context) => {
  registerInvocation(context);
  return pay(event, context);
};
