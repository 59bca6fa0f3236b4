import * as z from '../domain/zod';
import { LinkToken } from '../shared/pages/params';

const text = (max: number) => z.optional(z.string().check(z.maxLength(max)));

/** The card form, posted as application/x-www-form-urlencoded. Field rules live in domain/card.ts. */
export const input = z.object({
  path: z.object({ token: LinkToken }),
  body: z.object({
    idempotencyKey: text(64),
    statementVersion: text(12),
    amount: text(32),
    nameOnCard: text(200),
    cardNumber: text(40),
    expiry: text(16),
    cvv: text(8),
    confirmationToken: text(255),
    paymentIntent: text(255),
  }),
});
