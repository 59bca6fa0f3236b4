import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { input } from './schema';
import { httpHandler } from '../shared/http';
import { ROUTES } from '../shared/manifest';
import { openLink } from '../shared/pages/open-statement';
import { pageErrorRenderer } from '../shared/pages/errors';
import { submitPayment } from '../shared/pages/pay';
import { registerInvocation } from '../shared/payment-attempts';

const pay = httpHandler(
  async ({ path, body }, { baseUrl }) => submitPayment(path.token, await openLink(path.token), baseUrl, body),
  { route: ROUTES.payStatement, input, renderError: pageErrorRenderer },
);

/** Pays the statement by card, exactly once per form (see docs/payments.md). */
export const handler = (event: APIGatewayProxyEvent, context: Context) => {
  registerInvocation(context);
  return pay(event, context);
};
