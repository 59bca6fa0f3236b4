import { z } from 'zod';
import { CustomerId } from '../domain/customer';

export const input = z.object({ query: z.strictObject({ customerId: CustomerId }) });

/** One notification as the merchant sees it: destinations masked, never message bodies. */
export const NotificationView = z.object({
  id: z.string(),
  kind: z.enum(['statement', 'receipt']),
  status: z.enum(['sending', 'sent', 'undeliverable', 'failed', 'retrying', 'parked', 'unknown', 'superseded']),
  channel: z.enum(['sms', 'email']).optional(),
  destination: z.string().optional(),
  providerMessageId: z.string().optional(),
  reason: z.string().optional(),
  lastError: z.string().optional(),
  attempts: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.string().optional(),
});

export const output = z.object({ customerId: z.string(), items: z.array(NotificationView) });
