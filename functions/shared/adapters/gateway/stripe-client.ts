import type Stripe from 'stripe';
import { loadOnce, stripeSecrets } from '../stripe-secrets';

/**
 * The SDK client of this container. `stripe` is required only here and only when a Stripe stage
 * first calls it: the functions that call Stripe get it from a Lambda layer (lib/constructs/stripe-layer.ts),
 * every other bundle never contains it.
 */
export const stripeClient = loadOnce(async (): Promise<Stripe> => {
  const { secretKey } = await stripeSecrets();
  // A plain require: `stripe` is external to the bundle (it comes from the layer).
  const StripeSdk = require('stripe') as typeof import('stripe');
  // The SDK's own pinned API version; it retries network failures with the same idempotency key.
  return new StripeSdk(secretKey, { maxNetworkRetries: 2, timeout: 8000, appInfo: { name: 'customer-statements' } });
});
