import { z } from 'zod';
import { PageQuery } from '../shared/pagination';
import { DELIVERY_STATUSES } from '../domain/webhook-delivery';

export const input = z.object({
  query: z.strictObject({ ...PageQuery, status: z.enum(DELIVERY_STATUSES).optional() }),
});

const Attempt = z.object({
  at: z.iso.datetime(),
  url: z.string(),
  statusCode: z.number().int().optional().meta({ description: "The receiver's HTTP status, when it answered." }),
  error: z.string().optional().meta({ description: 'Why there is no status: timeout, connection refused, destination not allowed…' }),
  latencyMs: z.number().int(),
  responseExcerpt: z.string().max(200).optional().meta({ description: 'The first 200 characters of the response body.' }),
});

const Delivery = z
  .object({
    id: z.string().meta({ example: 'dlv_01JD3Z8Q6N2V4X7B9C1E5F3G7H' }),
    eventId: z.string().meta({ description: 'Also the `webhook-id` header, the same on every attempt.' }),
    eventType: z.literal('payment.completed'),
    paymentId: z.string(),
    customerId: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attemptCount: z.number().int(),
    attempts: z.array(Attempt),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    nextAttemptAt: z.iso.datetime().optional().meta({ description: 'When status is retrying.' }),
    deliveredAt: z.iso.datetime().optional(),
    parkedAt: z.iso.datetime().optional(),
    parkReason: z.string().optional(),
    event: z.object({}).loose().meta({ description: 'The event as sent (see docs/webhooks.md).' }),
  })
  .meta({ id: 'WebhookDelivery' });

export const response = z.object({
  items: z.array(Delivery).meta({ description: 'Newest first. With a status filter a page may be short while nextCursor is present: follow it.' }),
  nextCursor: z.string().optional(),
});
