/** The card processors a stage can use (CDK context `paymentGateway`, env `PAYMENT_GATEWAY`). */
export type ProcessorName = 'sandbox' | 'stripe';

/** A Stripe Connect account id, as Stripe prints it: `acct_` and letters and digits. */
export const STRIPE_ACCOUNT = /^acct_[A-Za-z0-9]{8,64}$/;

/**
 * The processor account a Service Location is paid into, set by the integration specialist
 * (`npm run admin -- connect-processor`). Stored on the location item; never secret (the platform's
 * key, which acts on it, lives in Secrets Manager).
 */
export interface ProcessorLink {
  processor: 'stripe';
  accountId: string;
  connectedAt: string;
}

/**
 * Reads a stored processor link (an item attribute, not request input: the admin CLI checks what
 * it writes with the same rule). Plain checks rather than a zod schema: every function that shows
 * a location reads it, and zod's string formats would cost them about 2.5 KB of bundle.
 */
export const readProcessorLink = (value: unknown): ProcessorLink | undefined => {
  const link = value as Partial<ProcessorLink> | undefined;
  return link?.processor === 'stripe' && typeof link.accountId === 'string' && STRIPE_ACCOUNT.test(link.accountId) && typeof link.connectedAt === 'string'
    ? { processor: 'stripe', accountId: link.accountId, connectedAt: link.connectedAt }
    : undefined;
};

/** Whether a location can take card payments in this stage, and through what (`getServiceLocation`). */
export interface CardPayments {
  available: boolean;
  processor: ProcessorName;
}

/**
 * The sandbox takes test cards for every location; on Stripe a location takes cards once it has a
 * connected account.
 */
export const cardPaymentsFor = (stageProcessor: ProcessorName, link: ProcessorLink | undefined): CardPayments =>
  stageProcessor === 'sandbox' ? { available: true, processor: 'sandbox' } : { available: link?.processor === 'stripe', processor: 'stripe' };

/** The processor account to charge for a location, or undefined when it cannot take cards. */
export const chargeAccountFor = (stageProcessor: ProcessorName, link: ProcessorLink | undefined): string | undefined =>
  stageProcessor === 'stripe' && link?.processor === 'stripe' ? link.accountId : undefined;

/**
 * What the statement page says instead of PAY NOW when the location cannot take cards: whom to
 * contact, with the phone and email the page also shows under the business name.
 */
export const paymentsUnavailableText = (business: { businessName: string; contact: { phone?: { display: string }; email?: string } }): string => {
  const ways = [business.contact.phone?.display, business.contact.email].filter(Boolean);
  return `Online payment is not available for this statement. Please contact ${business.businessName}${ways.length ? ` (${ways.join(', ')})` : ''} to pay.`;
};
