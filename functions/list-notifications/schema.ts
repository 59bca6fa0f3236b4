import * as z from '../domain/zod';
import { defineSchema } from '../domain/zod';
import { CustomerId } from '../domain/customer';

export const input = z.object({ query: z.strictObject({ customerId: CustomerId }) });

/** One notification as the merchant sees it: destinations masked, never message bodies. */
export const NotificationView = /* @__PURE__ */ defineSchema(() =>
  z.object({
    id: z.string(),
    kind: z.enum(['statement', 'receipt', 'refund']),
    status: z.enum(['sending', 'sent', 'undeliverable', 'failed', 'retrying', 'parked', 'unknown', 'superseded']),
    channel: z.optional(z.enum(['sms', 'email'])),
    destination: z.optional(z.string()),
    providerMessageId: z.optional(z.string()),
    reason: z.optional(z.string()),
    lastError: z.optional(z.string()),
    attempts: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    sentAt: z.optional(z.string()),
  }),
);

export const output = /* @__PURE__ */ defineSchema(() =>
  z.object({ customerId: z.string(), items: z.array(NotificationView) }),
);
