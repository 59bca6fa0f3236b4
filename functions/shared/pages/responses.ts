import { randomBytes } from 'node:crypto';
import { NotFoundError } from '../../domain/errors';
import { formatMoney } from '../../domain/money';
import { DECLINE_MESSAGES, type AttemptResult, type PaymentRecord } from '../../domain/payments';
import { statementView, type StatementView } from '../../domain/statement-view';
import type { FieldProblem } from '../../domain/card';
import type { HttpResult } from '../http/chain';
import { pageLinks } from '../../domain/links';
import type { StatementPageData } from '../repos/links';
import { clock } from '../adapters/clock';
import { stageProcessor } from '../adapters/gateway/stage';
import { cardPaymentsFor, chargeAccountFor, paymentsUnavailableText } from '../../domain/processor';
import { optionalEnv } from '../adapters/env';
import { ENV } from '../manifest';
import { STRIPE_CSP, type StripeFormOptions } from './stripe-form';
import { htmlResult, imageOrigin, newNonce } from './html';
import { renderProcessing, renderReceipt, renderStatementPage, type Notice, type PayForm } from './statement';

/** A new form gets a new idempotency key: 128 random bits, made when the form is rendered. */
export const newFormKey = (): string => randomBytes(16).toString('base64url');

export interface PageContext {
  baseUrl: string;
  token: string;
  data: StatementPageData;
}

const viewOf = (data: StatementPageData): StatementView => statementView(data.statement, data.location, clock.now(), data.customer);

/** A page of this statement: the CSP allows the merchant's logo origin, when there is a logo. */
const page = (view: StatementView, status: number, html: string, nonce: string, headers?: Record<string, string>) =>
  htmlResult(status, html, nonce, { imgOrigin: imageOrigin(view.logoUrl), headers });

/** In a Stripe stage, what the Payment Element needs for this location; undefined on the sandbox. */
const stripeFormOf = (data: StatementPageData, view: StatementView, clientSecret?: string): StripeFormOptions | undefined => {
  const account = chargeAccountFor(stageProcessor(), data.location.processor);
  const publishableKey = optionalEnv(ENV.stripePublishableKey, '');
  if (!account) return undefined;
  const ways = [view.contact.phone?.display, view.contact.email].filter(Boolean);
  return { publishableKey, account, clientSecret, contactText: `contact ${view.businessName}${ways.length ? ` (${ways.join(', ')})` : ''} to pay.` };
};

/** The statement page; with `form` the card form is open. */
export const statementResponse = (
  ctx: PageContext,
  options: { status?: number; notice?: Notice; form?: Partial<PayForm> | true; clientSecret?: string } = {},
): HttpResult => {
  const nonce = newNonce();
  const view = viewOf(ctx.data);
  const paymentsUnavailable = cardPaymentsFor(stageProcessor(), ctx.data.location.processor).available ? undefined : paymentsUnavailableText(view);
  const stripe = options.form === undefined ? undefined : stripeFormOf(ctx.data, view, options.clientSecret);
  const form =
    options.form === undefined
      ? undefined
      : { idempotencyKey: newFormKey(), amount: view.balanceInput, ...(options.form === true ? {} : options.form) };
  const html = renderStatementPage({ view, links: pageLinks(ctx.baseUrl, ctx.token), nonce, notice: options.notice, form, paymentsUnavailable, stripe });
  return htmlResult(options.status ?? 200, html, nonce, { imgOrigin: imageOrigin(view.logoUrl), stripe: stripe ? STRIPE_CSP : undefined });
};

/** The submitted form again, with what was wrong; the card number and CVV are never echoed. */
export const invalidFormResponse = (
  ctx: PageContext,
  submitted: { idempotencyKey?: string; amount?: string; nameOnCard?: string; expiry?: string },
  errors: FieldProblem[],
): HttpResult =>
  statementResponse(ctx, {
    status: 400,
    notice: {
      tone: 'error',
      text: errors.length ? 'Please check the highlighted fields. You have not been charged.' : 'Something went wrong with the form. Please try again. You have not been charged.',
    },
    form: { ...submitted, idempotencyKey: submitted.idempotencyKey || newFormKey(), errors },
  });

/** Renders what a pay submission ended as, from the statement as it is now. */
export const attemptResponse = (ctx: PageContext, result: AttemptResult, submitted: { amount?: string; nameOnCard?: string; expiry?: string; statementVersion: number }): HttpResult => {
  const view = viewOf(ctx.data);
  const links = pageLinks(ctx.baseUrl, ctx.token);
  const keep = { amount: submitted.amount, nameOnCard: submitted.nameOnCard, expiry: submitted.expiry };
  const notCharged = 'You have not been charged.';
  switch (result.kind) {
    case 'paid': {
      const nonce = newNonce();
      return page(view, 200, renderReceipt({ view, payment: result.payment, links, nonce, timeZone: ctx.data.location.timeZone }), nonce);
    }
    case 'declined':
      return statementResponse(ctx, { status: 402, notice: { tone: 'error', text: `${DECLINE_MESSAGES[result.code]} ${notCharged}` }, form: keep });
    case 'amount_over_balance':
      return statementResponse(ctx, {
        status: 400,
        notice: { tone: 'error', text: `Please check the highlighted fields. ${notCharged}` },
        form: { ...keep, errors: [{ path: 'amount', message: `The most you can pay is ${formatMoney({ amountMinor: result.remainingMinor, currency: view.currency })}.` }] },
      });
    case 'replaced':
    case 'balance_changed':
    case 'nothing_due': {
      const replaced = view.version !== submitted.statementVersion;
      const text = replaced
        ? `${view.businessName} updated this statement while you were on the page. ${notCharged} Please review the new statement below.`
        : view.remainingMinor > 0
          ? `Another payment was made on this statement while you were paying. ${notCharged} The balance is now ${view.balance}.`
          : `There is nothing left to pay on this statement. ${notCharged}`;
      return statementResponse(ctx, { status: 409, notice: { tone: 'info', text } });
    }
    case 'form_reused':
      return statementResponse(ctx, {
        status: 409,
        notice: { tone: 'info', text: 'This payment form was already submitted. Please check the balance below before paying again.' },
      });
    case 'processing': {
      const nonce = newNonce();
      return page(view, 202, renderProcessing({ view, links, nonce }), nonce);
    }
    case 'payments_unavailable':
      // The page shows whom to contact instead of the form (statementResponse).
      return statementResponse(ctx, { status: 409 });
    case 'requires_action':
      // The Stripe form takes the authentication step (3-D Secure) in the page, then posts again with the intent.
      return statementResponse(ctx, { status: 200, notice: { tone: 'info', text: 'Your bank asks you to confirm this payment. Please follow its steps.' }, form: keep, clientSecret: result.clientSecret });
    case 'not_found':
      throw new NotFoundError('Statement link');
  }
};

/**
 * The receipt of one payment of this customer, to print or keep (`download`: saved as an HTML file).
 * A payment of another customer or location is the plain 404 page.
 */
export const receiptResponse = (ctx: PageContext, payment: PaymentRecord | undefined, download: boolean): HttpResult => {
  const { statement } = ctx.data;
  if (!payment || payment.customerId !== statement.customerId || payment.locationId !== statement.locationId) throw new NotFoundError('Statement link');
  const view = viewOf(ctx.data);
  const nonce = newNonce();
  const html = renderReceipt({ view, payment, links: pageLinks(ctx.baseUrl, ctx.token), nonce, timeZone: ctx.data.location.timeZone, printable: true });
  return page(view, 200, html, nonce, download ? { 'Content-Disposition': `attachment; filename="receipt-${payment.paymentId}.html"` } : undefined);
};
