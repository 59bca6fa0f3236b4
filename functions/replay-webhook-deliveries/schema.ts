import * as z from '../domain/zod';
import { defineSchema } from '../domain/zod';

/** Either one parked delivery by id or every parked delivery of the caller's location. */
export const ReplayRequest = z.union([
  z.strictObject({ deliveryId: z.string().check(z.regex(/^dlv_[0-9A-HJKMNP-TV-Z]{26}$/, 'A delivery id such as dlv_01J…')) }),
  z.strictObject({ all: z.literal(true) }),
]);

export const input = z.object({ body: ReplayRequest });

export const response = /* @__PURE__ */ defineSchema(() =>
  z.object({
    replayed: z.array(z.string()).check(z.meta({ description: 'Ids of the deliveries queued again, each with a fresh retry schedule.' })),
  }),
);
