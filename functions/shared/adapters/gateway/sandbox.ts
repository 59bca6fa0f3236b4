import { randomBytes } from 'node:crypto';
import type { Authorization, AuthorizeRequest, DeclineCode, PaymentGateway, RefundRequest, RefundResult } from '../../../domain/payments';
import { summariseCard } from '../../../domain/card';
import { nowIso } from '../clock';

/**
 * Documented sandbox cards (docs/payments.md). Any other card number is declined, as a real
 * processor's test mode refuses live cards.
 */
export const SANDBOX_CARDS: Record<string, { outcome: 'approve' } | { outcome: 'decline'; code: DeclineCode }> = {
  '4111111111111111': { outcome: 'approve' },
  '5555555555554444': { outcome: 'approve' },
  '378282246310005': { outcome: 'approve' },
  '4000000000000002': { outcome: 'decline', code: 'card_declined' },
  '4000000000009995': { outcome: 'decline', code: 'insufficient_funds' },
  '4000000000000119': { outcome: 'decline', code: 'processing_error' },
  '4000000000000069': { outcome: 'decline', code: 'expired_card' },
  '4000000000000127': { outcome: 'decline', code: 'incorrect_cvc' },
};

/** What the sandbox remembers about an authorization: no card number, no CVV. */
export interface SandboxAuthorization {
  idempotencyKey: string;
  reference: string;
  amountMinor: number;
  currency: string;
  authorization: Authorization;
  state: 'authorized' | 'captured' | 'voided' | 'declined';
  /** Refunded of the captured amount so far. */
  refundedMinor: number;
}

/** One refund the sandbox made. */
export interface SandboxRefund {
  idempotencyKey: string;
  reference: string;
  authorization: string;
  amountMinor: number;
}

export interface SandboxOptions {
  /** Simulated network and processor time per call. @default 300 */
  latencyMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A payment processor stand-in that behaves like one: latency, declines by test card, and
 * idempotent authorize/capture/void (a retried authorize with the same idempotency key returns the
 * first answer, as Stripe's and Adyen's idempotency keys do). State is per process, so the ledger
 * is what tests read to count charges.
 */
export const sandboxGateway = (options: SandboxOptions = {}) => {
  const latencyMs = options.latencyMs ?? 300;
  const byKey = new Map<string, Promise<SandboxAuthorization>>();
  const byReference = new Map<string, SandboxAuthorization>();

  const authorizeOnce = async (request: AuthorizeRequest): Promise<SandboxAuthorization> => {
    await sleep(latencyMs);
    // The sandbox takes only its own form's cards; a processor's token means nothing to it.
    const card = request.source.kind === 'card' ? request.source.card : undefined;
    const rule = (card && SANDBOX_CARDS[card.number]) || { outcome: 'decline', code: card ? 'card_declined' : 'processing_error' };
    const reference = `sbx_${randomBytes(12).toString('hex')}`;
    const authorization: Authorization =
      rule.outcome === 'approve' && card
        ? { status: 'approved', reference, authorizedAt: nowIso(), card: summariseCard(card) }
        : { status: 'declined', code: rule.outcome === 'decline' ? rule.code : 'card_declined' };
    const entry: SandboxAuthorization = {
      idempotencyKey: request.idempotencyKey,
      reference,
      amountMinor: request.amountMinor,
      currency: request.currency,
      authorization,
      state: authorization.status === 'approved' ? 'authorized' : 'declined',
      refundedMinor: 0,
    };
    byReference.set(reference, entry);
    return entry;
  };

  const settle = async (reference: string, to: 'captured' | 'voided') => {
    await sleep(latencyMs / 3);
    const entry = byReference.get(reference);
    // The sandbox keeps state per process: a rerun on another Lambda instance finishing an earlier
    // instance's hold finds no entry, which a real processor never would. Accept it as settled.
    if (!entry) return;
    if (entry.state === 'declined') throw new Error(`sandbox: authorization ${reference} was declined`);
    if (entry.state === to) return;
    if (entry.state !== 'authorized') throw new Error(`sandbox: authorization ${reference} is already ${entry.state}`);
    entry.state = to;
  };

  const refundsByKey = new Map<string, Promise<RefundResult>>();
  const refunds: SandboxRefund[] = [];

  /** Refuses, as a processor does, to return more than was captured in total. */
  const refundOnce = async (request: RefundRequest): Promise<RefundResult> => {
    await sleep(latencyMs / 3);
    const entry = byReference.get(request.reference);
    if (entry && entry.state !== 'captured') return { status: 'refused', refusal: 'not_captured' };
    if (entry && entry.refundedMinor + request.amountMinor > entry.amountMinor) return { status: 'refused', refusal: 'exceeds_captured' };
    // Without an entry the hold was placed by another process (see `settle`): trust the ledger's check.
    if (entry) entry.refundedMinor += request.amountMinor;
    const refund = { idempotencyKey: request.idempotencyKey, reference: `sbr_${randomBytes(12).toString('hex')}`, authorization: request.reference, amountMinor: request.amountMinor };
    refunds.push(refund);
    return { status: 'refunded', reference: refund.reference };
  };

  const gateway: PaymentGateway & { ledger(): SandboxAuthorization[]; refunds(): SandboxRefund[] } = {
    name: 'sandbox',
    async authorize(request) {
      let pending = byKey.get(request.idempotencyKey);
      if (!pending) {
        pending = authorizeOnce(request);
        byKey.set(request.idempotencyKey, pending);
        pending.catch(() => byKey.delete(request.idempotencyKey));
      }
      return (await pending).authorization;
    },
    capture: (reference) => settle(reference, 'captured'),
    void: (reference) => settle(reference, 'voided'),
    async refund(request) {
      let pending = refundsByKey.get(request.idempotencyKey);
      if (!pending) {
        pending = refundOnce(request);
        refundsByKey.set(request.idempotencyKey, pending);
        pending.catch(() => refundsByKey.delete(request.idempotencyKey));
      }
      return pending;
    },
    /** Every refund so far, for tests. */
    refunds: () => refunds.map((refund) => ({ ...refund })),
    /** Every authorization so far, for tests and the local runtime. */
    ledger: () => [...byReference.values()].map((entry) => ({ ...entry })),
  };
  return gateway;
};

export type SandboxGateway = ReturnType<typeof sandboxGateway>;
