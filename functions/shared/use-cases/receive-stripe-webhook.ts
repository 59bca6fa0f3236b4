import type { APIGatewayProxyEvent } from 'aws-lambda';
import { DomainError } from '../../domain/errors';
import { clock } from '../adapters/clock';
import { gatewayFor } from '../adapters/gateway';
import { stageProcessor } from '../adapters/gateway/stage';
import { stripeClient } from '../adapters/gateway/stripe-client';
import { stripeSecrets } from '../adapters/stripe-secrets';
import { processStripeDelivery, stripeIntentMetadataOf, stripeRefundsOf } from './stripe-event';

/** The exact bytes Stripe signed: the chain's parsed JSON would not verify. */
const rawBodyOf = (event: APIGatewayProxyEvent): string =>
  event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');

/** Verifies and handles one delivery with this container's Stripe client and secret (read once per container). */
export const receiveStripeWebhook = async (event: APIGatewayProxyEvent, signature: string) => {
  if (stageProcessor() !== 'stripe') throw new DomainError('stripe_not_configured', 'not_found', 'This stage does not use Stripe.');
  const stripe = await stripeClient();
  const { webhookSecret } = await stripeSecrets();
  return processStripeDelivery({ stripe, webhookSecret, now: clock.now, gatewayFor, refundsOf: stripeRefundsOf(stripe), intentMetadataOf: stripeIntentMetadataOf(stripe) }, rawBodyOf(event), signature);
};
