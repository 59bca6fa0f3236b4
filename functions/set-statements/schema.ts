import * as z from '../domain/zod';
import { defineSchema } from '../domain/zod';
import { MerchantStatementView, SetStatementInput } from '../domain/statement';
import { LIMITS } from '../shared/manifest';
import { NavigableUrlRequestHeaders } from '../shared/http/statement-links';

/**
 * The envelope only: an object with 1 to 100 `statements`. Each item is parsed on its own with
 * `SetStatementInput` (the handler does), so one bad item is that item's 400 and never the request's.
 */
export const Envelope = z.strictObject({
  statements: z.array(z.unknown()).check(z.minLength(1), z.maxLength(LIMITS.maxStatementsPerBatch)),
});

/** What the API description shows: the same envelope with each item's fields (those of setStatement). */
export const input = /* @__PURE__ */ defineSchema(() =>
  z.object({
    body: z.strictObject({
      statements: z
        .array(SetStatementInput)
        .check(
          z.minLength(1),
          z.maxLength(LIMITS.maxStatementsPerBatch),
          z.meta({ description: `1 to ${LIMITS.maxStatementsPerBatch} statements, each as the body of setStatement; the whole body at most ${LIMITS.maxBodyBytes} bytes.` }),
        ),
    }),
    headers: NavigableUrlRequestHeaders,
  }),
);

/** One item's error: the `error` object of the usual error body (`fields` names each bad field of that item). */
export const ItemError = /* @__PURE__ */ defineSchema(() =>
  z.object({
    code: z.string().check(z.meta({ description: 'A stable error code, as in ErrorResponse.' })),
    message: z.string(),
    fields: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
);

export const ItemResult = /* @__PURE__ */ defineSchema(() =>
  z.object({
    index: z.int().check(z.minimum(0), z.meta({ description: 'Position of the item in the request.' })),
    status: z.int().check(z.meta({ description: 'What setStatement would have answered for this item alone: 201, 200, 400, 404, 500…' })),
    statement: z.optional(MerchantStatementView),
    links: z.optional(
      z.object({ statementUrl: z.url(), tinyUrl: z.url() }).check(z.meta({ description: 'With Location-As-Navigable-Url: true, what setStatement puts in Location and Link.' })),
    ),
    error: z.optional(ItemError),
  }),
);

export const response = /* @__PURE__ */ defineSchema(() =>
  z.object({
    results: z.array(ItemResult).check(z.meta({ description: 'One result per item, in request order.' })),
    summary: z.object({ created: z.int(), updated: z.int(), failed: z.int() }),
  }),
);
