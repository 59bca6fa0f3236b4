import * as z from './zod';
import { defineSchema } from './zod';
import { QuietHours, ReminderPlan } from './quiet-hours';

/**
 * What the notifier reads of each stored item, as typed views: the notifications repository
 * parses the items of one BatchGetItem with these (unknown attributes are dropped), so the plan
 * works on typed values and a malformed item fails loudly at the boundary instead of becoming
 * `"undefined"` in a text message.
 */

const text = () => z.string();
const minor = () => z.int();

export const CustomerContext = /* @__PURE__ */ defineSchema(() =>
  z.object({
    customerId: text(),
    locationId: text(),
    primaryPhone: z.optional(text()),
    primaryEmail: z.optional(text()),
    /** An address that hard-bounced or complained (see delivery feedback). */
    suppressedEmail: z.optional(text()),
    timeZone: z.optional(text()),
    /** `false`: excluded from reminders. */
    reminders: z.optional(z.boolean()),
  }),
);
export type CustomerContext = z.infer<typeof CustomerContext>;

export const StatementContext = /* @__PURE__ */ defineSchema(() =>
  z.object({
    /** 0 for the placeholder written with a new customer (no statement yet). */
    version: z._default(z.int(), 0),
    balanceDueMinor: z.optional(minor()),
    remainingMinor: z.optional(minor()),
    billingDate: z._default(text(), ''),
    dueDate: z.optional(text()),
    linkToken: text(),
    tinyCode: text(),
  }),
);
export type StatementContext = z.infer<typeof StatementContext>;

export const LocationContext = /* @__PURE__ */ defineSchema(() =>
  z.object({
    name: z.optional(text()),
    branding: z.optional(
      z.object({ displayName: z.nullish(text()), accentColor: z.nullish(text()), logoUrl: z.nullish(text()) }),
    ),
    currency: z.optional(text()),
    timeZone: z.optional(text()),
    quietHours: z.optional(QuietHours),
    reminders: z.optional(ReminderPlan),
  }),
);
export type LocationContext = z.infer<typeof LocationContext>;

export const PaymentContext = /* @__PURE__ */ defineSchema(() =>
  z.object({
    amountMinor: minor(),
    currency: z.optional(text()),
    remainingAfterMinor: z._default(minor(), 0),
    completedAt: z.optional(text()),
  }),
);
export type PaymentContext = z.infer<typeof PaymentContext>;

export const RefundContext = /* @__PURE__ */ defineSchema(() =>
  z.object({
    amountMinor: minor(),
    currency: z.optional(text()),
    refundedAt: z.optional(text()),
  }),
);
export type RefundContext = z.infer<typeof RefundContext>;

/** The items a job's messages are made from; absent where the item does not exist. */
export interface JobContext {
  customer?: CustomerContext;
  statement?: StatementContext;
  location?: LocationContext;
  payment?: PaymentContext;
  refund?: RefundContext;
}

export const CONTEXT_VIEWS = /* @__PURE__ */ defineSchema(() => ({
  customer: CustomerContext,
  statement: StatementContext,
  location: LocationContext,
  payment: PaymentContext,
  refund: RefundContext,
}) as const);

/** What the customer is asked to pay now: the remaining amount once payments exist, else the balance. */
export const amountDueNow = (statement: StatementContext): number => statement.remainingMinor ?? statement.balanceDueMinor ?? 0;
