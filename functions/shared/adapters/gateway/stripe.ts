import type Stripe from 'stripe';
import type { CardSummary } from '../../../domain/card';
import type { Authorization, AuthorizeRequest, DeclineCode, PaymentGateway, RefundRequest, RefundResult } from '../../../domain/payments';

export interface StripeGatewayOptions {
  /** The platform's SDK client (one per container). */
  stripe: () => Promise<Stripe>;
  /** The Service Location's connected account: every call is made on it (`Stripe-Account`). */
  account: string;
}

/** Stripe's card brands as our receipts name them. */
const BRANDS: Record<string, string> = {
  visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover', diners: 'Diners Club', jcb: 'JCB', unionpay: 'UnionPay',
};

const DECLINES = new Set<DeclineCode>(['card_declined', 'insufficient_funds', 'processing_error', 'expired_card', 'incorrect_cvc']);

/** A decline reason Stripe gives (`decline_code` first, then `code`), as our codes. */
export const declineCodeOf = (error: { decline_code?: string | null; code?: string | null } | null | undefined): DeclineCode => {
  for (const code of [error?.decline_code, error?.code]) if (code && DECLINES.has(code as DeclineCode)) return code as DeclineCode;
  return 'card_declined';
};

type StripeErrorLike = { type?: string; code?: string; decline_code?: string; message?: string };
const isCardError = (error: unknown): error is StripeErrorLike => (error as StripeErrorLike)?.type === 'StripeCardError';
const hasCode = (error: unknown, ...codes: string[]) => codes.includes((error as StripeErrorLike)?.code ?? '');

const summaryOf = (method: Stripe.PaymentMethod | null): CardSummary => {
  const card = method?.card;
  if (!card) throw new Error(`stripe: payment method ${method?.id ?? '(none)'} is not a card`);
  return { brand: BRANDS[card.brand] ?? card.brand, last4: card.last4, expMonth: card.exp_month, expYear: card.exp_year };
};

/**
 * The Stripe adapter of the gateway port (Stripe Connect, direct charges on the location's account):
 * a PaymentIntent with manual capture, confirmed on the server with the Payment Element's
 * confirmation token; capture and cancel settle or release the hold; refunds return part or all.
 * Every POST carries an idempotency key derived from our attempt or refund request, and the
 * connected account. Card numbers never reach it: a `card` source is refused.
 */
export const stripeGateway = ({ stripe, account }: StripeGatewayOptions): PaymentGateway => {
  const onAccount = { stripeAccount: account };

  const paymentMethodOf = async (client: Stripe, intent: Stripe.PaymentIntent): Promise<Stripe.PaymentMethod | null> => {
    const method = intent.payment_method;
    if (method === null || typeof method === 'object') return method;
    return client.paymentMethods.retrieve(method, {}, onAccount);
  };

  /** What an intent's state means for the port. */
  const fromIntent = async (client: Stripe, intent: Stripe.PaymentIntent): Promise<Authorization> => {
    switch (intent.status) {
      // `succeeded`: captured already (a rerun after capture; some emulators skip the hold), so capture is a no-op.
      case 'requires_capture':
      case 'succeeded':
        return { status: 'approved', reference: intent.id, authorizedAt: new Date(intent.created * 1000).toISOString(), card: summaryOf(await paymentMethodOf(client, intent)) };
      case 'requires_action':
        if (!intent.client_secret) throw new Error(`stripe: intent ${intent.id} needs an action but has no client secret`);
        return { status: 'requires_action', reference: intent.id, clientSecret: intent.client_secret };
      case 'requires_payment_method':
      case 'canceled':
        // Declined (or failed its authentication): the card was refused, nothing is held.
        return { status: 'declined', code: declineCodeOf(intent.last_payment_error) };
      default:
        throw new Error(`stripe: intent ${intent.id} is ${intent.status}`);
    }
  };

  const authorizeOnce = async (client: Stripe, request: AuthorizeRequest): Promise<Authorization> => {
    const { source } = request;
    if (source.kind === 'card') return { status: 'declined', code: 'processing_error' };
    if (source.kind === 'after_action') {
      // The page names the intent; it must be the one this attempt created, for this amount.
      const intent = await client.paymentIntents.retrieve(source.reference, { expand: ['payment_method'] }, onAccount);
      if (intent.metadata?.attempt !== request.idempotencyKey || intent.amount !== request.amountMinor || intent.currency !== request.currency.toLowerCase()) {
        throw new Error(`stripe: intent ${source.reference} does not belong to this attempt`);
      }
      return fromIntent(client, intent);
    }
    const intent = await client.paymentIntents.create(
      {
        amount: request.amountMinor,
        currency: request.currency.toLowerCase(),
        capture_method: 'manual',
        confirm: true,
        confirmation_token: source.token,
        // What the Payment Element offers (cards, Apple Pay, Google Pay), without redirects, so no return_url.
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        description: request.description,
        // What POST /stripeWebhook needs to finish this attempt if the page closes (domain/stripe-events.ts).
        metadata: {
          attempt: request.idempotencyKey,
          ...(request.attempt ? { customer: request.attempt.customerId, location: request.attempt.locationId, statementVersion: String(request.attempt.statementVersion) } : {}),
        },
        expand: ['payment_method'],
      },
      { ...onAccount, idempotencyKey: request.idempotencyKey },
    );
    return fromIntent(client, intent);
  };

  /** capture or cancel, idempotent: a second one after Stripe's 24 h key window finds the state reached. */
  const settle = async (reference: string, idempotencyKey: string, to: 'succeeded' | 'canceled') => {
    const client = await stripe();
    try {
      if (to === 'succeeded') await client.paymentIntents.capture(reference, {}, { ...onAccount, idempotencyKey });
      else await client.paymentIntents.cancel(reference, { cancellation_reason: 'abandoned' }, { ...onAccount, idempotencyKey });
    } catch (error) {
      if (!hasCode(error, 'payment_intent_unexpected_state')) throw error;
      const intent = await client.paymentIntents.retrieve(reference, {}, onAccount);
      if (intent.status !== to) throw error;
    }
  };

  return {
    name: 'stripe',
    async authorize(request) {
      const client = await stripe();
      try {
        return await authorizeOnce(client, request);
      } catch (error) {
        // A decline answers 402 (StripeCardError); a retry under the same key gets the same answer.
        if (isCardError(error)) return { status: 'declined', code: declineCodeOf(error) };
        throw error;
      }
    },
    capture: (reference, idempotencyKey) => settle(reference, idempotencyKey, 'succeeded'),
    void: (reference, idempotencyKey) => settle(reference, idempotencyKey, 'canceled'),
    async refund(request: RefundRequest): Promise<RefundResult> {
      const client = await stripe();
      try {
        const refund = await client.refunds.create(
          { payment_intent: request.reference, amount: request.amountMinor, reason: request.reason, metadata: { request: request.idempotencyKey } },
          { ...onAccount, idempotencyKey: request.idempotencyKey },
        );
        return { status: 'refunded', reference: refund.id };
      } catch (error) {
        // Stripe answers an over-refund with an invalid_request_error whose message says so (no stable code is documented).
        if (hasCode(error, 'charge_already_refunded', 'amount_too_large') || /greater than unrefunded amount/i.test((error as StripeErrorLike)?.message ?? '')) {
          return { status: 'refused', refusal: 'exceeds_captured' };
        }
        if (hasCode(error, 'payment_intent_unexpected_state', 'charge_not_captured')) return { status: 'refused', refusal: 'not_captured' };
        throw error;
      }
    },
  };
};
