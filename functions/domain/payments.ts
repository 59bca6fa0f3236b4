import { createHash } from 'node:crypto';
import * as z from './zod';
import { defineSchema } from './zod';
import type { CardDetails, CardSummary, FieldProblem } from './card';
import { MajorUnitsString, MinorUnits, parseMajorUnits, toMajorString } from './money';

/** Smallest payment a customer may make, in minor units (1.00). */
export const MIN_PAYMENT_MINOR = 100;

/** Why a gateway refused a card; stable codes shown to nobody but mapped to customer wording. */
export type DeclineCode = 'card_declined' | 'insufficient_funds' | 'processing_error' | 'expired_card' | 'incorrect_cvc';

export type Authorization =
  /** A hold; `card` is what may be kept of the card (from the form, or from the processor's answer). */
  | { status: 'approved'; reference: string; authorizedAt: string; card: CardSummary }
  | { status: 'declined'; code: DeclineCode }
  /**
   * The card asks for an authentication step (3-D Secure) that only the customer's browser can
   * take: the page hands `clientSecret` to the processor's script, then posts again with
   * `{ kind: 'after_action', reference }`. Nothing is held or recorded yet.
   */
  | { status: 'requires_action'; reference: string; clientSecret: string };

/** What the customer paid with. */
export type PaymentSource =
  /** Typed into our own form (sandbox only: a real processor's page never sends us a card number). */
  | { kind: 'card'; card: CardDetails }
  /** A Stripe confirmation token (`ctoken_…`) that the Payment Element made in the browser. */
  | { kind: 'confirmation_token'; token: string }
  /** The page finished the authentication step of the intent this same attempt created. */
  | { kind: 'after_action'; reference: string };

export interface AuthorizeRequest {
  /** The processor's own idempotency key: a retry of the same attempt returns the same answer. */
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  source: PaymentSource;
  description: string;
  /** Whose attempt this is: the processor keeps it with the payment (Stripe metadata) for its later events. */
  attempt?: { customerId: string; locationId: string; statementVersion: number };
}

export interface RefundRequest {
  /** The processor's idempotency key: a retried refund request returns the first refund. */
  idempotencyKey: string;
  /** The captured authorization being refunded (the payment's `gatewayReference`). */
  reference: string;
  amountMinor: number;
  currency: string;
  reason: 'requested_by_customer' | 'duplicate' | 'fraudulent';
}

export type RefundResult =
  | { status: 'refunded'; reference: string }
  /** The processor refused: it would return more than was captured, or nothing was captured. */
  | { status: 'refused'; refusal: 'exceeds_captured' | 'not_captured' };

/**
 * The payment gateway port. Adapters: the sandbox (`shared/adapters/gateway/sandbox.ts`) now; a real
 * processor later (see docs/payments.md). `authorize` places a hold; `capture` settles it;
 * `void` releases it so the customer is never charged; `refund` returns part or all of a captured
 * payment, never more than it took in total. All four are idempotent.
 */
export interface PaymentGateway {
  readonly name: string;
  authorize(request: AuthorizeRequest): Promise<Authorization>;
  /** `idempotencyKey`: derived from the attempt, so a rerun of one attempt sends the same key. */
  capture(reference: string, idempotencyKey: string): Promise<void>;
  void(reference: string, idempotencyKey: string): Promise<void>;
  refund(request: RefundRequest): Promise<RefundResult>;
}

/** A completed payment as stored (see the data contract in docs/data-model.md). */
export interface PaymentRecord {
  paymentId: string;
  locationId: string;
  customerId: string;
  statementId: string;
  statementVersion: number;
  amountMinor: number;
  currency: string;
  remainingBeforeMinor: number;
  remainingAfterMinor: number;
  cardBrand: string;
  cardLast4: string;
  cardExpMonth: number;
  cardExpYear: number;
  gatewayReference: string;
  /** The processor account that holds the money (a Stripe connected account); absent on the sandbox. */
  gatewayAccount?: string;
  completedAt: string;
  status: 'completed';
  /** Refunded of this payment so far (absent until the first refund). */
  refundedMinor?: number;
  /** Set by the first dispute Stripe reports on the payment (`charge.dispute.created`); see domain/disputes.ts. */
  disputeId?: string;
  disputeStatus?: string;
  disputedMinor?: number;
  disputeReason?: string;
}

/** The statement facts a payment decision needs. */
export interface PayableStatement {
  customerId: string;
  locationId: string;
  statementId?: string;
  version: number;
  remainingMinor: number;
  currency: string;
  /** The location's processor account (Stripe Connect), when it has one. */
  processorAccount?: string;
}

/** What a payment attempt ended as. Plain data: the idempotency layer stores it and replays it. */
export type PaymentOutcome =
  | { kind: 'paid'; payment: PaymentRecord }
  | { kind: 'declined'; code: DeclineCode }
  /** The merchant replaced the statement after the form was shown: nothing was charged. */
  | { kind: 'replaced' }
  /** Another payment got there first (e.g. a second tab): nothing was charged. */
  | { kind: 'balance_changed' }
  | { kind: 'nothing_due' }
  | { kind: 'amount_over_balance'; remainingMinor: number }
  /** The card needs the customer's authentication step on the page; nothing is held or recorded. */
  | { kind: 'requires_action'; reference: string; clientSecret: string }
  /** The location cannot take card payments in this stage (no processor account connected). */
  | { kind: 'payments_unavailable' }
  | { kind: 'not_found' };

/**
 * What a submission of the pay form ends as: a settlement outcome (stored and replayed by the
 * idempotency layer), or one of two answers about the submission itself.
 */
export type AttemptResult = PaymentOutcome | { kind: 'processing' } | { kind: 'form_reused' };

/** Customer wording for each decline code: clear, and never blaming the customer for our errors. */
export const DECLINE_MESSAGES: Record<DeclineCode, string> = {
  card_declined: 'Your card was declined. Please use another card or contact your bank.',
  insufficient_funds: 'Your card was declined because of insufficient funds. Please use another card.',
  processing_error: 'We could not process your card because of a processing error. Please try again in a moment.',
  expired_card: 'Your card has expired. Please use another card.',
  incorrect_cvc: 'The security code (CVV) is not correct. Please check it and try again.',
};

/**
 * Reads the amount field: decimal major units, at least 1.00. Whether it exceeds the balance is
 * decided against the stored statement, inside the transaction.
 */
export const readAmount = (text: string | undefined): { ok: true; amountMinor: number } | { ok: false; field: FieldProblem } => {
  const trimmed = (text ?? '').trim().replace(/^\$/, '').replace(/,/g, '');
  if (!trimmed) return { ok: false, field: { path: 'amount', message: 'Enter the amount to pay.' } };
  const amountMinor = parseMajorUnits(trimmed);
  if (amountMinor === undefined) return { ok: false, field: { path: 'amount', message: 'Enter an amount such as 25.00.' } };
  if (amountMinor < MIN_PAYMENT_MINOR) return { ok: false, field: { path: 'amount', message: 'The smallest payment is 1.00.' } };
  return { ok: true, amountMinor };
};

/**
 * One payment attempt: the page's idempotency key scoped to the statement link, hashed so the
 * stored guard item and the gateway never see the raw form values.
 */
export const attemptIdFor = (token: string, idempotencyKey: string): string =>
  createHash('sha256').update(`${token}|${idempotencyKey}`).digest('base64url').slice(0, 32);

/** Decides, before any money moves, whether this payment may be attempted at all. */
export const precheck = (statement: PayableStatement | undefined, expectedVersion: number, amountMinor: number): PaymentOutcome | undefined => {
  if (!statement) return { kind: 'not_found' };
  if (statement.version !== expectedVersion) return { kind: 'replaced' };
  if (statement.remainingMinor <= 0) return { kind: 'nothing_due' };
  if (amountMinor > statement.remainingMinor) return { kind: 'amount_over_balance', remainingMinor: statement.remainingMinor };
  return undefined;
};

export const buildPaymentRecord = (args: {
  paymentId: string;
  statement: PayableStatement & { statementId: string };
  amountMinor: number;
  card: CardSummary;
  gatewayReference: string;
  gatewayAccount?: string;
  completedAt: string;
}): PaymentRecord => ({
  paymentId: args.paymentId,
  locationId: args.statement.locationId,
  customerId: args.statement.customerId,
  statementId: args.statement.statementId,
  statementVersion: args.statement.version,
  amountMinor: args.amountMinor,
  currency: args.statement.currency,
  remainingBeforeMinor: args.statement.remainingMinor,
  remainingAfterMinor: args.statement.remainingMinor - args.amountMinor,
  cardBrand: args.card.brand,
  cardLast4: args.card.last4,
  cardExpMonth: args.card.expMonth,
  cardExpYear: args.card.expYear,
  gatewayReference: args.gatewayReference,
  ...(args.gatewayAccount ? { gatewayAccount: args.gatewayAccount } : {}),
  completedAt: args.completedAt,
  status: 'completed',
});

/** What the merchant API shows of a payment: cents and a decimal, card brand and last four, never the card. */
export const PaymentView = /* @__PURE__ */ defineSchema(() =>
  z
    .strictObject({
      id: z.string(),
      locationId: z.string(),
      customerId: z.string(),
      statementId: z.string(),
      statementVersion: z.int().check(z.meta({ description: 'The statement version the customer paid.' })),
      amount: MajorUnitsString,
      amountMinor: MinorUnits,
      currency: z.string(),
      remainingBeforeMinor: z.int(),
      remainingAfterMinor: z.int(),
      card: z.strictObject({ brand: z.string(), last4: z.string().check(z.regex(/^\d{4}$/)), expMonth: z.int(), expYear: z.int() }),
      gatewayReference: z.string(),
      status: z.literal('completed'),
      completedAt: z.iso.datetime(),
      refunded: MajorUnitsString,
      refundedMinor: z.int().check(z.meta({ description: 'Refunded of this payment so far (POST /refundPayment); 0 when none.' })),
      dispute: z.optional(
        z.strictObject({ id: z.string(), status: z.string(), reason: z.string(), amount: MajorUnitsString, amountMinor: MinorUnits }).check(
          z.meta({ description: "Present once the card's bank opened a dispute (Stripe's status and reason as given). The statement's balance is not changed by it (docs/payments.md)." }),
        ),
      ),
    })
    .check(z.meta({ id: 'Payment' })),
);
export type PaymentView = z.infer<typeof PaymentView>;

/** What the merchant API shows of a payment; its type is `PaymentView`'s, so the two cannot drift. */
export const toPaymentView = (p: PaymentRecord): PaymentView => ({
  id: p.paymentId,
  locationId: p.locationId,
  customerId: p.customerId,
  statementId: p.statementId,
  statementVersion: p.statementVersion,
  amount: toMajorString(p.amountMinor),
  amountMinor: p.amountMinor,
  currency: p.currency,
  remainingBeforeMinor: p.remainingBeforeMinor,
  remainingAfterMinor: p.remainingAfterMinor,
  card: { brand: p.cardBrand, last4: p.cardLast4, expMonth: p.cardExpMonth, expYear: p.cardExpYear },
  gatewayReference: p.gatewayReference,
  status: p.status,
  completedAt: p.completedAt,
  refunded: toMajorString(p.refundedMinor ?? 0),
  refundedMinor: p.refundedMinor ?? 0,
  ...(p.disputeId
    ? { dispute: { id: p.disputeId, status: p.disputeStatus ?? 'needs_response', reason: p.disputeReason ?? 'general', amount: toMajorString(p.disputedMinor ?? 0), amountMinor: p.disputedMinor ?? 0 } }
    : {}),
});
