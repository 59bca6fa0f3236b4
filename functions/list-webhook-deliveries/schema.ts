import * as z from '../domain/zod';
import { defineSchema } from '../domain/zod';
import { PageQuery } from '../shared/http/pagination';
import { DELIVERY_STATUSES } from '../domain/webhook-delivery';

export const input = z.object({
  query: z.strictObject({ ...PageQuery, status: z.optional(z.enum(DELIVERY_STATUSES)) }),
});

const Attempt = /* @__PURE__ */ defineSchema(() =>
  z.object({
    at: z.iso.datetime(),
    url: z.string(),
    statusCode: z.optional(z.int()).check(z.meta({ description: "The receiver's HTTP status, when it answered." })),
    error: z.optional(z.string()).check(z.meta({ description: 'Why there is no status: timeout, connection refused, destination not allowed…' })),
    latencyMs: z.int(),
    responseExcerpt: z.optional(z.string().check(z.maxLength(200))).check(z.meta({ description: 'The first 200 characters of the response body.' })),
  }),
);

const Delivery = /* @__PURE__ */ defineSchema(() =>
  z
    .object({
      id: z.string().check(z.meta({ example: 'dlv_01JD3Z8Q6N2V4X7B9C1E5F3G7H' })),
      eventId: z.string().check(z.meta({ description: 'Also the `webhook-id` header, the same on every attempt.' })),
      eventType: z.enum(['payment.completed', 'payment.refunded', 'payment.disputed', 'payment.failed', 'notification.failed']),
      paymentId: z.optional(z.string()).check(z.meta({ description: 'For payment deliveries.' })),
      customerId: z.string(),
      status: z.enum(DELIVERY_STATUSES),
      attemptCount: z.int(),
      attempts: z.array(Attempt),
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
      nextAttemptAt: z.optional(z.iso.datetime()).check(z.meta({ description: 'When status is retrying.' })),
      deliveredAt: z.optional(z.iso.datetime()),
      parkedAt: z.optional(z.iso.datetime()),
      parkReason: z.optional(z.string()),
      event: z.looseObject({}).check(z.meta({ description: 'The event as sent (see docs/webhooks.md).' })),
    })
    .check(z.meta({ id: 'WebhookDelivery' })),
);

export const response = /* @__PURE__ */ defineSchema(() =>
  z.object({
    items: z.array(Delivery).check(z.meta({ description: 'Newest first. With a status filter a page may be short while nextCursor is present: follow it.' })),
    nextCursor: z.optional(z.string()),
  }),
);
