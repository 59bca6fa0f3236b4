import { input } from './schema';
import { httpHandler, ok } from '../shared/http/chain';
import { stripeWebhookRoute } from '../shared/manifest';
import { receiveStripeWebhook } from '../shared/use-cases/receive-stripe-webhook';

/** Stripe's events for the locations' connected accounts: verified, then recorded once (docs/payments.md). */
export const handler = httpHandler(
  async ({ headers }, { event }) => ok(await receiveStripeWebhook(event, headers['stripe-signature'])),
  { route: stripeWebhookRoute, input },
);
