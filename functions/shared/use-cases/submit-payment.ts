import { readCard, type FieldProblem } from '../../domain/card';
import { clock } from '../adapters/clock';
import { attemptIdFor, readAmount } from '../../domain/payments';
import type { LinkTarget } from '../repos/links';
import type { HttpResult } from '../http/chain';
import { settleAttempt } from './settle-attempt';
import { openStatement } from './open-statement';
import { attemptResponse, invalidFormResponse } from '../pages/responses';

export interface PayFormBody {
  idempotencyKey?: string;
  statementVersion?: string;
  amount?: string;
  nameOnCard?: string;
  cardNumber?: string;
  expiry?: string;
  cvv?: string;
  /** Stripe form: the Payment Element's confirmation token (`ctoken_…`). */
  confirmationToken?: string;
  /** Stripe form, after an authentication step: the intent this form's attempt created (`pi_…`). */
  paymentIntent?: string;
}

const CONFIRMATION_TOKEN = /^ctoken_[A-Za-z0-9_]{1,200}$/;
const PAYMENT_INTENT = /^pi_[A-Za-z0-9_]{1,200}$/;

const FORM_KEY = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Handles one submission of the pay form: validate (nothing is charged for a bad form), settle
 * exactly once per form key, then render the outcome from the statement as it now is.
 */
export const submitPayment = async (token: string, link: LinkTarget, baseUrl: string, body: PayFormBody): Promise<HttpResult> => {
  const submitted = { idempotencyKey: body.idempotencyKey, amount: body.amount, nameOnCard: body.nameOnCard, expiry: body.expiry };
  if (body.confirmationToken || body.paymentIntent) return submitProcessorPayment(token, link, baseUrl, body);
  const card = readCard(body, clock.now());
  const amount = readAmount(body.amount);
  const version = Number(body.statementVersion);
  const problems: FieldProblem[] = [...(amount.ok ? [] : [amount.field]), ...(card.ok ? [] : card.fields)];
  const formIntact = FORM_KEY.test(body.idempotencyKey ?? '') && Number.isInteger(version) && version > 0;
  if (!card.ok || !amount.ok || !formIntact) {
    const ctx = await openStatement(token, baseUrl, link);
    // A form for a statement that has since been replaced: show the new one rather than field errors.
    if (formIntact && ctx.data.statement.version !== version) return attemptResponse(ctx, { kind: 'replaced' }, { ...submitted, statementVersion: version });
    return invalidFormResponse(ctx, formIntact ? submitted : { ...submitted, idempotencyKey: undefined }, problems);
  }
  const result = await settleAttempt({ kind: 'card', card: card.card }, {
    attemptId: attemptIdFor(token, body.idempotencyKey!),
    customerId: link.customerId,
    locationId: link.locationId,
    statementVersion: version,
    amountMinor: amount.amountMinor,
  });
  return attemptResponse(await openStatement(token, baseUrl, link), result, { ...submitted, statementVersion: version });
};

/**
 * The Stripe form's post: no card data, only the Payment Element's confirmation token (or, after an
 * authentication step, the intent). The same exactly-once path as the card form; the post after the
 * authentication step is its own idempotent submission (`phase`), on the same attempt.
 */
const submitProcessorPayment = async (token: string, link: LinkTarget, baseUrl: string, body: PayFormBody): Promise<HttpResult> => {
  const amount = readAmount(body.amount);
  const version = Number(body.statementVersion);
  const submitted = { idempotencyKey: body.idempotencyKey, amount: body.amount, statementVersion: version };
  const source = body.paymentIntent && PAYMENT_INTENT.test(body.paymentIntent)
    ? ({ kind: 'after_action', reference: body.paymentIntent } as const)
    : body.confirmationToken && CONFIRMATION_TOKEN.test(body.confirmationToken) ? ({ kind: 'confirmation_token', token: body.confirmationToken } as const) : undefined;
  if (!source || !amount.ok || !FORM_KEY.test(body.idempotencyKey ?? '') || !Number.isInteger(version) || version <= 0) {
    const ctx = await openStatement(token, baseUrl, link);
    return invalidFormResponse(ctx, { ...submitted, idempotencyKey: undefined }, amount.ok ? [] : [amount.field]);
  }
  const result = await settleAttempt(source, {
    attemptId: attemptIdFor(token, body.idempotencyKey!),
    customerId: link.customerId,
    locationId: link.locationId,
    statementVersion: version,
    amountMinor: amount.amountMinor,
    phase: source.kind === 'after_action' ? 'after_action' : 'submit',
  });
  return attemptResponse(await openStatement(token, baseUrl, link), result, submitted);
};
