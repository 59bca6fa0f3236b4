import { toMajorString } from './money';
import type { CustomerRecord, MoneyView } from './webhook-event';

/**
 * A card payment that failed after the page closed (`payment_intent.payment_failed`, e.g. 3-D
 * Secure failed or was abandoned) and was never recorded as a payment: nothing was charged and the
 * customer still owes. Not money: one item per PaymentIntent, kept so the merchant is told once
 * (its INSERT sends `payment.failed`).
 */
export interface PaymentFailureRecord {
  /** The PaymentIntent id (`pi_…`): the key, so a replayed event finds the record. */
  intentId: string;
  attemptId: string;
  locationId: string;
  customerId: string;
  statementVersion: number;
  amountMinor: number;
  currency: string;
  /** Stripe's decline or error code (`authentication_required`, `card_declined`, …), else `payment_failed`. */
  code: string;
  /** When Stripe reported the failure (the event's `created`, so a replay records the same time). */
  failedAt: string;
}

export const failureEventIdFor = (intentId: string) => `evt_${intentId}`;
export const failureDeliveryIdFor = (intentId: string) => `dlv_${intentId}`;

export const PAYMENT_FAILED = { type: 'payment.failed', version: 1 } as const;

export interface PaymentFailedEvent {
  id: string;
  type: typeof PAYMENT_FAILED.type;
  version: typeof PAYMENT_FAILED.version;
  timestamp: string;
  locationId: string;
  data: {
    customer: { id: string; externalId: string | null };
    statement: { version: number };
    /** What the customer tried to pay; nothing was charged. */
    amount: MoneyView;
    code: string;
    gatewayReference: string;
    failedAt: string;
  };
}

/** Builds the `payment.failed` v1 event from the stored failure and its customer. */
export const buildPaymentFailedEvent = (failure: PaymentFailureRecord, customer: CustomerRecord): PaymentFailedEvent => ({
  id: failureEventIdFor(failure.intentId),
  type: PAYMENT_FAILED.type,
  version: PAYMENT_FAILED.version,
  timestamp: failure.failedAt,
  locationId: failure.locationId,
  data: {
    customer: { id: failure.customerId, externalId: customer.externalId ?? null },
    statement: { version: failure.statementVersion },
    amount: { amountMinor: failure.amountMinor, amount: toMajorString(failure.amountMinor), currency: failure.currency },
    code: failure.code,
    gatewayReference: failure.intentId,
    failedAt: failure.failedAt,
  },
});
