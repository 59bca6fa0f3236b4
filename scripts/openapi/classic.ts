import * as classic from 'zod';
import type * as mini from 'zod/mini';

type Schema = mini.core.$ZodType;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && '_zod' in value && typeof (value as Schema)._zod.constr === 'function';

const twins = new WeakMap<Schema, classic.ZodType>();

/**
 * The functions define their schemas in zod/mini (small bundles); zod-to-openapi reads classic zod
 * (`.meta()`, `.unwrap()`, `.minLength`…). Both are built on zod's core from the same `def`, so
 * each mini schema is rebuilt as the classic schema of the same name (`ZodMiniObject` →
 * `ZodObject`) from its def, with nested schemas rebuilt likewise and its metadata. Checks
 * (regexes, lengths, refinements) are core objects and are shared as they are.
 */
export const toClassic = <T extends Schema>(schema: T): classic.ZodType => {
  const known = twins.get(schema);
  if (known) return known;
  const name = schema._zod.constr.name.replace(/^ZodMini/, 'Zod');
  const Twin = (classic as unknown as Record<string, new (def: unknown) => classic.ZodType>)[name];
  if (typeof Twin !== 'function') throw new Error(`No classic zod schema matches ${schema._zod.constr.name}`);
  const def = Object.fromEntries(Object.entries(schema._zod.def).map(([key, value]) => [key, key === 'checks' ? value : rebuild(value)]));
  const meta = classic.globalRegistry.get(schema);
  // `.meta()` as the classic code would have called it: zod-to-openapi takes `id` as the component
  // name only from such a clone (one with a parent schema).
  const twin = meta ? new Twin(def).meta(meta) : new Twin(def);
  twins.set(schema, twin);
  return twin;
};

/** Schemas sit in a def directly (innerType, in, out, element), in arrays (options) or in a shape. */
const rebuild = (value: unknown): unknown => {
  if (isSchema(value)) return toClassic(value);
  if (Array.isArray(value)) return value.map(rebuild);
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, rebuild(inner)]));
  }
  return value;
};
