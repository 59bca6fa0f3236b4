import type { Merchant } from './api';
import { createCustomer, statementBody } from './fixtures';
import { cardExpiry } from './clock';

/** The expiry the pay-form helpers type: four years from now, as `MM / YYYY`. */
export const CARD_EXPIRY = cardExpiry(4);

export interface CustomerLinks {
  customerId: string;
  statementUrl: string;
  tinyUrl: string;
  token: string;
}

/** Creates a customer with a statement and returns the links the customer would get. */
export const customerWithStatement = async (merchant: Merchant, statement: Record<string, unknown> = {}): Promise<CustomerLinks> => {
  const customerId = await createCustomer(merchant);
  const response = await merchant.call('POST', '/setStatement', {
    body: statementBody(customerId, statement),
    headers: { 'Location-As-Navigable-Url': 'true' },
  });
  if (response.status >= 300) throw new Error(`setStatement failed: ${response.text}`);
  const statementUrl = response.headers.get('location')!;
  const tinyUrl = /<([^>]+)>/.exec(response.headers.get('link') ?? '')![1];
  return { customerId, statementUrl, tinyUrl, token: new URL(statementUrl).pathname.split('/').pop()! };
};

/** Replaces the customer's statement, as the merchant's system would. */
export const replaceStatement = async (merchant: Merchant, customerId: string, statement: Record<string, unknown>) => {
  const response = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, statement) });
  if (response.status >= 300) throw new Error(`setStatement failed: ${response.text}`);
  return response.body;
};

export const APPROVED_CARD = '4111 1111 1111 1111';
export const DECLINED_CARD = '4000 0000 0000 0002';
export const INSUFFICIENT_FUNDS_CARD = '4000 0000 0000 9995';
export const PROCESSING_ERROR_CARD = '4000 0000 0000 0119';

/** The hidden fields of the card form on a rendered page. */
export const hiddenFields = (html: string) => ({
  idempotencyKey: /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1] ?? '',
  statementVersion: /name="statementVersion" value="([^"]+)"/.exec(html)?.[1] ?? '',
});

/** Opens the card form over HTTP and returns its hidden fields, as a browser would see them. */
export const openPayForm = async (statementUrl: string) => {
  const response = await fetch(`${statementUrl}?pay=1`);
  return hiddenFields(await response.text());
};

export interface CardPost {
  amount?: string;
  nameOnCard?: string;
  cardNumber?: string;
  expiry?: string;
  cvv?: string;
  idempotencyKey: string;
  statementVersion: string;
}

/** Posts the card form as the browser does (application/x-www-form-urlencoded). */
export const postPayForm = async (statementUrl: string, form: CardPost) => {
  const body = new URLSearchParams({ nameOnCard: 'Jane Doe', cardNumber: APPROVED_CARD, expiry: CARD_EXPIRY.text, cvv: '123', ...form } as Record<string, string>);
  const response = await fetch(`${statementUrl}/pay`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
    redirect: 'manual',
  });
  return { status: response.status, headers: response.headers, html: await response.text() };
};
