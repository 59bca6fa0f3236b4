import * as z from '../../domain/zod';
import { defineSchema } from '../../domain/zod';
import { statementLinks } from '../../domain/links';
import type { Statement } from '../../domain/statement';

/**
 * `Location-As-Navigable-Url: true` (the guide's tip): the statement routes answer with the
 * customer's links in their headers. The one place that names the header, reads it and writes the
 * answer's `Location` and `Link`, for setStatement and getStatement alike.
 */
export const NAVIGABLE_URL_HEADER = 'location-as-navigable-url';

/** The request headers part of a statement route's input schema. */
export const NavigableUrlRequestHeaders = z.looseObject({
  [NAVIGABLE_URL_HEADER]: z.optional(
    z.pipe(
      z.pipe(z.string().check(z.trim(), z.toLowerCase()), z.enum(['true', 'false'], 'Use true or false.')),
      z.transform((value: 'true' | 'false') => value === 'true'),
    ),
  ),
});

/** Sent only when the request has `Location-As-Navigable-Url: true`. */
export const NavigableUrlResponseHeaders = /* @__PURE__ */ defineSchema(() =>
  z.object({
    Location: z.optional(z.url()).check(z.meta({ description: "The customer's statement link (with Location-As-Navigable-Url: true)." })),
    Link: z.optional(z.string()).check(z.meta({ description: 'The tiny link as `<https://…/t/…>; rel="shortlink"` (with Location-As-Navigable-Url: true).' })),
  }),
);

/** The statement link in `Location`, the tiny link as a shortlink, when the merchant asked for them. */
export const navigableUrlHeaders = (wanted: boolean | undefined, baseUrl: string, statement: Statement): Record<string, string> => {
  if (!wanted) return {};
  const { statementUrl, tinyUrl } = statementLinks(baseUrl, statement);
  return { Location: statementUrl, Link: `<${tinyUrl}>; rel="shortlink"` };
};
