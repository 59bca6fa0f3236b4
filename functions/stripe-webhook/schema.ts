import * as z from '../domain/zod';

/** The event itself is read from the raw body once its signature checks out; here only its envelope. */
export const input = z.object({
  body: z.object({ id: z.string(), type: z.string() }),
  headers: z.object({ 'stripe-signature': z.string().check(z.minLength(1), z.maxLength(4096)) }),
});

export const response = z.strictObject({
  received: z.literal(true),
  eventId: z.string(),
  outcome: z.enum(['recorded', 'not_recorded', 'nothing_new', 'ignored']),
  detail: z.optional(z.string()),
  reason: z.optional(z.string()),
});
