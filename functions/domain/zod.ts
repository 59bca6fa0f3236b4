import { en } from 'zod/locales';
import { config, NEVER, type core } from 'zod/mini';

/**
 * zod/mini, configured with zod's English messages ("Invalid input: expected string, received
 * undefined"). Every schema imports zod from here (`import * as z from '…/domain/zod'`), so the
 * messages are set before anything parses.
 *
 * Why mini: classic zod's chained methods keep the whole library (and, bundled, its 40-odd
 * locales) in every bundle, about 440 KB minified; mini's functions tree-shake to the part a
 * function uses. Mini loads no locale by itself, hence `config(en())`: importing `en` alone keeps
 * the other locales out of the bundle. The OpenAPI generator rebuilds these schemas as classic zod
 * (scripts/openapi/classic.ts), so the two cannot drift.
 *
 * Re-exported with `export *` rather than as a namespace object, which would pull every export
 * (locales, JSON Schema, the compiler) into the bundle.
 */
config(en());

export * from 'zod/mini';
export { $ZodError as ZodError } from 'zod/v4/core';

/**
 * Reports a failure from inside a `z.transform` (mini's transforms get the parse payload, which has
 * no `addIssue`), the way classic zod's `ctx.addIssue({ code: 'custom', message })` does.
 */
export const transformIssue = (ctx: core.ParsePayload, message: string): never => {
  ctx.issues.push({ code: 'custom', message, input: ctx.value });
  return NEVER;
};

/**
 * Defines a top-level schema that some bundles never use: the response views, which only the API
 * description and the tests read, or one route's input in another route's bundle. Written
 * `/* @__PURE__ *\/ defineSchema(() => …)`, the annotation lets esbuild drop the definition where
 * it is unused (zod/mini's functions can be dropped already, but `.check()` is a method call,
 * which esbuild must otherwise keep).
 */
export const defineSchema = <T>(build: () => T): T => build();
