import * as z from '../domain/zod';
import { defineSchema } from '../domain/zod';
import { CustomerId } from '../domain/customer';

export const input = z.object({ query: z.strictObject({ customerId: CustomerId }) });

/** One notification as the merchant sees it: destinations masked, never message bodies. */
export const NotificationView = /* @__PURE__ */ defineSchema(() =>
  z.object({
    id: z.string(),
    kind: z.enum(['statement', 'receipt', 'refund', 'reminder']),
    status: z
      .enum([
        'scheduled', 'queued', 'sending', 'sent', 'undeliverable', 'failed', 'retrying', 'parked', 'unknown', 'superseded', 'skipped', 'cancelled',
        'delivered', 'bounced', 'complained', 'opted_out',
      ])
      .check(
        z.meta({
          description:
            '`scheduled`: waiting for its time (`notBefore`: the end of quiet hours, or a reminder\'s day); `queued`: released to be sent; ' +
            '`skipped` / `cancelled`: a reminder with nothing left to remind of (paid, replaced, excluded, opted out; see `reason`).',
        }),
      ),
    channel: z.optional(z.enum(['sms', 'email'])),
    destination: z.optional(z.string()),
    providerMessageId: z.optional(z.string()),
    reason: z.optional(z.string()),
    lastError: z.optional(z.string()),
    attempts: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    sentAt: z.optional(z.string()),
    notBefore: z.optional(z.string()).check(z.meta({ description: 'When a held or planned message goes out (ISO 8601).' })),
  }),
);

export const output = /* @__PURE__ */ defineSchema(() =>
  z.object({ customerId: z.string(), items: z.array(NotificationView) }),
);
