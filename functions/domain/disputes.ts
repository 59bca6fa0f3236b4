import { toMajorString } from './money';
import type { CustomerRecord, MoneyView } from './webhook-event';

/**
 * A dispute (chargeback) the customer's bank opened on a payment, as Stripe reported it
 * (`charge.dispute.created`). We record it and tell the merchant; the statement's balance is not
 * changed, because only the merchant knows whether the customer owes again (docs/payments.md).
 * One item per Stripe dispute id, next to its payment; its INSERT sends `payment.disputed`.
 */
export interface DisputeRecord {
  /** Stripe's dispute id (`du_…`): the key, so a replayed event finds the record. */
  disputeId: string;
  paymentId: string;
  locationId: string;
  customerId: string;
  statementId: string;
  amountMinor: number;
  currency: string;
  /** Stripe's reason (`fraudulent`, `product_not_received`, …) as given. */
  reason: string;
  /** Stripe's status when recorded (`needs_response`, `warning_needs_response`, …). */
  status: string;
  paymentAmountMinor: number;
  /** Stripe's deadline for the merchant's evidence, when it gave one. */
  evidenceDueBy: string | null;
  /** When Stripe opened the dispute (the event's object, so a replay records the same time). */
  openedAt: string;
}

/** The dispute fields the payment item carries, shown by listPayments. */
export interface PaymentDispute {
  disputeId: string;
  disputeStatus: string;
  disputedMinor: number;
  disputeReason: string;
}

/** One Stripe dispute is one event and one delivery, whatever the number of deliveries Stripe makes. */
export const disputeEventIdFor = (disputeId: string) => `evt_${disputeId}`;
export const disputeDeliveryIdFor = (disputeId: string) => `dlv_${disputeId}`;

export const PAYMENT_DISPUTED = { type: 'payment.disputed', version: 1 } as const;

export interface PaymentDisputedEvent {
  id: string;
  type: typeof PAYMENT_DISPUTED.type;
  version: typeof PAYMENT_DISPUTED.version;
  timestamp: string;
  locationId: string;
  data: {
    disputeId: string;
    paymentId: string;
    customer: { id: string; externalId: string | null };
    statement: { id: string };
    /** What the bank took back (held) from the merchant's account. */
    amount: MoneyView;
    paymentAmount: MoneyView;
    reason: string;
    status: string;
    evidenceDueBy: string | null;
    openedAt: string;
  };
}

const money = (amountMinor: number, currency: string): MoneyView => ({ amountMinor, amount: toMajorString(amountMinor), currency });

/** Builds the `payment.disputed` v1 event from the stored dispute and its customer. */
export const buildPaymentDisputedEvent = (dispute: DisputeRecord, customer: CustomerRecord): PaymentDisputedEvent => ({
  id: disputeEventIdFor(dispute.disputeId),
  type: PAYMENT_DISPUTED.type,
  version: PAYMENT_DISPUTED.version,
  timestamp: dispute.openedAt,
  locationId: dispute.locationId,
  data: {
    disputeId: dispute.disputeId,
    paymentId: dispute.paymentId,
    customer: { id: dispute.customerId, externalId: customer.externalId ?? null },
    statement: { id: dispute.statementId },
    amount: money(dispute.amountMinor, dispute.currency),
    paymentAmount: money(dispute.paymentAmountMinor, dispute.currency),
    reason: dispute.reason,
    status: dispute.status,
    evidenceDueBy: dispute.evidenceDueBy,
    openedAt: dispute.openedAt,
  },
});
