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
}

const FORM_KEY = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Handles one submission of the pay form: validate (nothing is charged for a bad form), settle
 * exactly once per form key, then render the outcome from the statement as it now is.
 */
export const submitPayment = async (token: string, link: LinkTarget, baseUrl: string, body: PayFormBody): Promise<HttpResult> => {
  const submitted = { idempotencyKey: body.idempotencyKey, amount: body.amount, nameOnCard: body.nameOnCard, expiry: body.expiry };
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
