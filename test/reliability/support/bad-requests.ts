import fc from 'fast-check';
import { toJSONSchema } from 'zod/v4/core';
import * as z from '../../../functions/domain/zod';
import { loadRouteSchemas } from '../../../scripts/openapi/document';
import { AUTHORIZER, LIMITS, type RouteName, type RouteSpec } from '../../../functions/shared/manifest';
import { IDEMPOTENCY_HEADER } from '../../../functions/shared/adapters/idempotency';

/**
 * Bad requests for every route, generated from the zod schema the route's handler validates with
 * (its `schema.ts`, found the way the OpenAPI generator finds it). The schema is read as JSON
 * Schema (zod's own `toJSONSchema`, input side) to learn each part's fields, types, patterns and
 * limits; a generated request is then checked against the zod schema itself, so one that happens
 * to be valid is never sent as "bad" (it could write). Hand-written here: fast-check has no zod v4
 * bridge that reads zod/mini schemas.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
};

export type Part = 'body' | 'query' | 'path' | 'headers';

/** One request as sent over HTTP, with what the handler would parse when it is well-formed. */
export interface BadRequest {
  route: RouteName;
  method: 'GET' | 'POST';
  /** Path and query exactly as sent (may hold malformed percent-encoding). */
  target: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** What makes it bad: `field`, `unknown-key`, `whole-body`, `media-type`, `forged-id`, ... */
  kind: string;
  /**
   * `{ body, query, path }` as the route would parse it, when the request is well-formed enough to
   * reach the schema; the generator drops a request that the schema accepts, unless it is forged.
   */
  parsed?: { body?: unknown; query: Record<string, string>; path: Record<string, string> };
  /** A well-formed request naming ids nobody has: the schema may accept it, the answer must be 404 (or an empty read). */
  forged?: boolean;
  /**
   * Garbage only where the route documents that it ignores it (query parameters of a page whose
   * query is not strict: messaging apps append their own): it may succeed, it must still write nothing.
   */
  tolerated?: boolean;
}

/** What the fuzzer knows about one route. */
export interface FuzzTarget {
  name: RouteName;
  route: RouteSpec;
  input: z.ZodMiniObject;
  parts: Partial<Record<Part, JsonSchema>>;
}

export const fuzzTarget = (name: RouteName, route: RouteSpec): FuzzTarget => {
  const { input } = loadRouteSchemas(route);
  const json = toJSONSchema(input as never, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return { name, route, input, parts: (json.properties ?? {}) as Partial<Record<Part, JsonSchema>> };
};

// ---------------------------------------------------------------------------------------------
// Values

const branches = (schema: JsonSchema): JsonSchema[] => schema.anyOf ?? schema.oneOf ?? [schema];

/** The properties of an object schema, merged over its union branches. */
export const fieldsOf = (schema: JsonSchema | undefined): Record<string, JsonSchema> =>
  Object.assign({}, ...branches(schema ?? {}).map((b) => b.properties ?? {}));

const requiredOf = (schema: JsonSchema | undefined): string[] => branches(schema ?? {})[0]?.required ?? [];

const typesOf = (schema: JsonSchema): string[] => branches(schema).flatMap((b) => (Array.isArray(b.type) ? b.type : b.type ? [b.type] : []));

const safeRegex = (pattern: string) => {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
};

/** fast-check's generator for a regex, or undefined for syntax it does not support (lookarounds, back-references). */
const stringMatching = (regex: RegExp) => {
  try {
    return fc.stringMatching(regex);
  } catch {
    return undefined;
  }
};

/** A value the schema accepts, as far as JSON Schema can say (transforms may still refuse it). */
export const validValue = (schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> => {
  if (schema.anyOf || schema.oneOf) return fc.oneof(...branches(schema).map((b) => validValue(b, depth)));
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      const regex = schema.pattern && schema.format !== 'email' ? safeRegex(schema.pattern) : undefined;
      const matching = regex && stringMatching(regex);
      if (matching) return matching.filter((s) => s.length <= (schema.maxLength ?? Infinity));
      if (schema.format === 'email') return fc.emailAddress();
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }).filter((s) => s.trim().length >= (schema.minLength ?? 0));
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(validValue(schema.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object':
      return depth > 3 ? fc.constant({}) : objectOf(schema, depth + 1);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
};

const objectOf = (schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> => {
  const props = schema.properties ?? {};
  const required = schema.required ?? [];
  return fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, validValue(v, depth)])), { requiredKeys: required.filter((k) => k in props) });
};

/** Numbers at the edges: the ones parsers, money code and JSON disagree about. */
const EDGE_NUMBERS = [0, -0, -1, 1, 0.1, 0.005, 1e-7, 1e21, 1e308, -1e308, 5e-324, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 99999999999.99, 100.001];

/** Strings that have broken parsers before: unicode look-alikes, controls, bidi, surrogates, injections. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Egnp.exe',
  '１２３',
  '١٢٣٫٤٥',
  '𝟏𝟎𝟎.𝟎𝟎',
  '💳💸',
  'Ω≈ç√∫',
  'e\u0301',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '../../etc/passwd',
  '%00',
  '%zz',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e400',
  '-0',
  '0x10',
  ' 1 ',
  '1,000.00',
  '100.001',
  '2020-02-30',
  '0000-00-00',
  '9999-99-99',
  '+99999999999999999999',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
];

/** Ids of every kind, well-formed or nearly: a forged id must read as unknown, never as someone's. */
const ID_LIKE = fc.oneof(
  fc.stringMatching(/^(cus|stm|pay|dlv|rfd|loc)_[0-9A-HJKMNP-TV-Z]{26}$/),
  fc.stringMatching(/^(cus|pay|dlv)_[0-9a-z]{26}$/),
  fc.stringMatching(/^(cus|pay|dlv)_[0-9A-Z]{25,27}$/),
);

const deepNesting = fc.integer({ min: 50, max: 3000 }).chain((depth) =>
  fc.constantFrom('array', 'object').map((shape) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = shape === 'array' ? [value] : { a: value };
    return value;
  }),
);

/** An object with own `__proto__` / `constructor` keys (as JSON.parse makes them). */
const prototypeKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', 'toString', 'valueOf').map((key) => {
  const polluted: Record<string, unknown> = {};
  Object.defineProperty(polluted, key, { value: { polluted: true, prototype: { polluted: true } }, enumerable: true, writable: true, configurable: true });
  return polluted;
});

/** A value of the wrong kind for `schema`, or of the right kind just outside its limits. */
export const badValue = (schema: JsonSchema): fc.Arbitrary<unknown> => {
  const types = typesOf(schema);
  const options: fc.Arbitrary<unknown>[] = [
    fc.constantFrom<unknown>(null, true, false, [], {}, [1, 2], { nested: { deeper: [] } }),
    fc.constantFrom(...EDGE_NUMBERS),
    fc.double(),
    fc.constantFrom(...NASTY_STRINGS),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    ID_LIKE,
    deepNesting,
    prototypeKeys,
  ];
  const maxLength = branches(schema).map((b) => b.maxLength).find((m) => m !== undefined);
  // Just over the limit (long limits once only: a 5 MB attachment is the size test's job).
  if (maxLength !== undefined && maxLength <= 5000) options.push(fc.integer({ min: maxLength + 1, max: maxLength + 50 }).map((n) => 'x'.repeat(n)));
  if (types.includes('integer') || types.includes('number')) {
    const { minimum, maximum } = branches(schema).find((b) => b.minimum !== undefined || b.maximum !== undefined) ?? {};
    if (minimum !== undefined) options.push(fc.constant(minimum - 1), fc.constant(String(minimum - 1)));
    if (maximum !== undefined) options.push(fc.constant(maximum + 1), fc.constant(String(maximum + 1)));
  }
  return fc.oneof(...options);
};

/** A query or form value: always text on the wire. */
/**
 * A query or form value: always text on the wire, and at most 2 KB (API Gateway refuses request
 * lines over 10 KB before any function runs; deep nesting is the JSON bodies' test).
 */
const badText = (schema: JsonSchema): fc.Arbitrary<string> =>
  badValue(schema).map((value) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value) ?? '').slice(0, 2000));

const setOwn = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

// ---------------------------------------------------------------------------------------------
// Requests

/** A body, query or form object with one to three changes that should make the schema refuse it. */
const mutatedObject = (schema: JsonSchema | undefined, text: boolean): fc.Arbitrary<{ value: unknown; change: string }> => {
  const fields = fieldsOf(schema);
  const names = Object.keys(fields);
  const required = requiredOf(schema);
  const base = validValue(schema ?? { type: 'object' }).map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as object) } : {}) as Record<string, unknown>);
  const change = fc.oneof(
    ...(names.length
      ? [
          fc
            .constantFrom(...names)
            .chain((name) => (text ? badText(fields[name]) : badValue(fields[name])).map((value) => ({ change: 'field', apply: (o: Record<string, unknown>) => setOwn(o, name, value) }))),
        ]
      : []),
    fc
      .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'extra', 'Id', 'ID', 'locationId', 'é', '\u0000'), text ? fc.string() : fc.jsonValue({ maxDepth: 2 }))
      .map(([key, value]) => ({ change: 'unknown-key', apply: (o: Record<string, unknown>) => setOwn(o, key, value) })),
    ...(required.length ? [fc.constantFrom(...required).map((name) => ({ change: 'missing-field', apply: (o: Record<string, unknown>) => delete o[name] }))] : []),
  );
  const whole = text ? fc.constant(undefined) : badValue({}).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || Object.keys(v as object).length > 0);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(base, fc.array(change, { minLength: 1, maxLength: 3 })).map(([o, changes]) => {
      changes.forEach((c) => c.apply(o));
      return { value: o, change: changes.map((c) => c.change).join('+') };
    }) },
    { weight: text ? 0 : 1, arbitrary: whole.map((value) => ({ value, change: 'whole-body' })) },
  );
};

/** encodeURIComponent, except that a lone surrogate goes out as its (invalid) UTF-8 bytes instead of throwing. */
const encodePart = (text: string) => text.replace(/[\s\S]/gu, (char) => (char.length === 1 && /[\uD800-\uDFFF]/.test(char) ? '%ED%A0%80' : encodeURIComponent(char)));

const fillPath = (route: RouteSpec, values: Record<string, string>) => route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodePart(values[name] ?? ''));

const queryString = (query: Record<string, string>) => {
  const params = new URLSearchParams();
  Object.entries(query).forEach(([k, v]) => params.append(k, v));
  const text = params.toString();
  return text ? `?${text}` : '';
};

const MALFORMED_ESCAPES = ['%', '%z', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF%FE', '%25%', '%%32%65', '..%2F..%2F', '%u0041'];

export interface FuzzContext {
  /** The key of the fuzzing merchant (its own location): bad requests reach the schema with it. */
  key: string;
  /** Path parameter values that exist (the merchant's statement token, tiny code). */
  realPath: Record<string, string>;
}

/** Every kind of bad request for one route. */
export const badRequests = (target: FuzzTarget, ctx: FuzzContext): fc.Arbitrary<BadRequest> => {
  const { route, name, parts } = target;
  const form = route.body === 'form';
  const auth: Record<string, string> = route.auth === 'apiKey' ? { [AUTHORIZER.header]: ctx.key } : {};
  const pathNames = Object.keys(fieldsOf(parts.path));
  const mediaType = form ? 'application/x-www-form-urlencoded' : 'application/json';

  const pathValue = (param: string) =>
    fc.oneof(
      ...(ctx.realPath[param] ? [fc.constant({ value: ctx.realPath[param], forged: false })] : []),
      validValue(fieldsOf(parts.path)[param]).map((v) => ({ value: String(v), forged: true })),
      badText(fieldsOf(parts.path)[param]).filter((s) => s.length > 0).map((value) => ({ value, forged: false })),
    );
  const pathArb = pathNames.length
    ? fc.tuple(...pathNames.map(pathValue)).map((values) => ({
        path: Object.fromEntries(pathNames.map((n, i) => [n, values[i].value])),
        forged: values.some((v) => v.forged),
      }))
    : fc.constant({ path: {} as Record<string, string>, forged: false });

  const extraHeaders = fc.record(
    {
      [IDEMPOTENCY_HEADER]: fc.oneof(fc.uuid(), fc.string({ maxLength: 300 }).map((s) => s.replace(/[^\x20-\x7E]/g, 'x'))),
      'Location-As-Navigable-Url': fc.constantFrom('true', 'false', 'TRUE', '1', '', 'yes'),
      'X-Correlation-Id': fc.string({ maxLength: 120 }).map((s) => s.replace(/[^\x20-\x7E]/g, '_')),
    },
    { requiredKeys: [] },
  );

  const encodeBody = (value: unknown) => (form ? new URLSearchParams(Object.entries(value as Record<string, string>)).toString() : JSON.stringify(value));
  const parseSent = (value: unknown) => (form ? Object.fromEntries(new URLSearchParams(encodeBody(value))) : JSON.parse(JSON.stringify(value)));

  /** Field-level changes to the body, query or path that the schema should refuse. */
  const schemaLevel = fc
    .tuple(
      pathArb,
      parts.query ? mutatedObject(parts.query, true) : fc.constant(undefined),
      parts.body ? mutatedObject(parts.body, form) : fc.constant(undefined),
      fc.constantFrom('query', 'body', 'path'),
      extraHeaders,
    )
    .map(([path, query, body, focus, headers]): BadRequest => {
      const q = (focus === 'query' || !parts.body) && query ? (query.value as Record<string, string>) : {};
      const sentBody = parts.body ? (focus === 'body' || !parts.query ? body?.value : parseSent(body?.value ?? {})) : undefined;
      const queryValues = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)]));
      return {
        route: name,
        method: route.method,
        target: fillPath(route, path.path) + queryString(queryValues),
        headers: { ...auth, ...headers, ...(sentBody !== undefined ? { 'Content-Type': mediaType } : {}) },
        body: sentBody !== undefined ? encodeBody(sentBody) : undefined,
        kind: path.forged ? 'forged-id' : (focus === 'body' || !parts.query ? body?.change : query?.change) ?? 'path',
        parsed: { body: sentBody === undefined ? undefined : parseSent(sentBody), query: queryValues, path: path.path },
        forged: path.forged,
      };
    });

  /** Well-formed requests whose ids are forged: the answer must be the unknown-id answer. */
  const idFields = (schema: JsonSchema | undefined) => Object.entries(fieldsOf(schema)).filter(([, s]) => branches(s).some((b) => /^\^[a-z]{3}_/.test(b.pattern ?? '')));
  const forgedArb = (where: 'query' | 'body') => {
    const ids = idFields(parts[where]);
    if (!ids.length) return [];
    return [
      fc.tuple(validValue(parts[where]!), fc.constantFrom(...ids), pathArb).chain(([base, [field, schema], path]) =>
        validValue(schema).map((id): BadRequest => {
          const values = { ...(base as Record<string, unknown>), [field]: id };
          const query = where === 'query' ? Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])) : {};
          return {
            route: name,
            method: route.method,
            target: fillPath(route, path.path) + queryString(query),
            headers: { ...auth, ...(where === 'body' ? { 'Content-Type': mediaType } : {}) },
            body: where === 'body' ? encodeBody(values) : undefined,
            kind: 'forged-id',
            parsed: { body: where === 'body' ? parseSent(values) : undefined, query, path: path.path },
            forged: true,
          };
        }),
      ),
    ];
  };

  /** Bad at the HTTP level: media types, encodings, malformed JSON, percent-encoding, keys. */
  const transport: fc.Arbitrary<BadRequest>[] = [];
  if (route.body) {
    transport.push(
      fc
        .tuple(fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', form ? 'application/json' : 'application/x-www-form-urlencoded', 'application/jsonp', 'json'), pathArb)
        .map(([type, path]) => ({ route: name, method: route.method, target: fillPath(route, path.path), headers: { ...auth, 'Content-Type': type }, body: form ? '{"amount":"1"}' : 'amount=1', kind: 'media-type' })),
      fc
        .tuple(
          fc.constantFrom<string | Uint8Array>(
            '{',
            '{"a":}',
            "{'a':1}",
            '{"a":1,}',
            'NaN',
            '\uFEFF{}',
            '{"a":"\\ud800"}',
            '{"a":1}{"b":2}',
            '[' .repeat(10000),
            Uint8Array.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
            Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
            Buffer.from('{"firstName":"x"}', 'utf16le'),
          ),
          pathArb,
        )
        .map(([body, path]) => ({ route: name, method: route.method, target: fillPath(route, path.path), headers: { ...auth, 'Content-Type': mediaType }, body, kind: 'encoding' })),
    );
  }
  const queryIsLoose = !parts.query || branches(parts.query).some((b) => b.additionalProperties !== false);
  const freeText = (field: string | undefined) => field !== undefined && branches(fieldsOf(parts.query)[field]).every((b) => b.type === 'string' && !b.pattern && !b.enum);
  transport.push(
    fc
      .tuple(fc.constantFrom(...MALFORMED_ESCAPES), fc.constantFrom('path', 'query-value', 'query-key'), pathArb)
      .map(([escape, where, path]) => {
        const firstField = Object.keys(fieldsOf(parts.query))[0];
        const tolerated = (where === 'query-key' && queryIsLoose) || (where === 'query-value' && (!parts.query || freeText(firstField)));
        const filled = fillPath(route, path.path);
        const target =
          where === 'path' && pathNames.length ? route.path.replace(/\{(\w+)\}/g, () => `ab${escape}cd`) : where === 'query-key' ? `${filled}?${escape}=1` : `${filled}?${firstField ?? 'x'}=${escape}`;
        return { route: name, method: route.method, target, headers: { ...auth }, kind: 'percent-encoding', tolerated } as BadRequest;
      }),
  );
  if (route.auth === 'apiKey') {
    transport.push(
      fc
        .oneof(fc.constant(''), fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\x21-\x7E]/g, 'x')), fc.stringMatching(/^cx_[A-Za-z0-9_-]{20,60}$/), fc.constant(`${ctx.key}x`), fc.constant(ctx.key.toUpperCase()))
        .map((key): BadRequest => ({ route: name, method: route.method, target: route.path.replace(/\{(\w+)\}/g, 'x'), headers: key ? { [AUTHORIZER.header]: key } : ({} as Record<string, string>), kind: 'forged-key' })),
    );
  }
  return fc.oneof(
    { weight: 6, arbitrary: schemaLevel },
    ...[...forgedArb('query'), ...forgedArb('body')].map((arbitrary) => ({ weight: 2, arbitrary })),
    ...transport.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
};

/** Just over the body limit (bigger than any field limit, so only the size matters): sent once per POST route. */
export const tooLargeRequest = (target: FuzzTarget, ctx: FuzzContext): BadRequest => ({
  route: target.name,
  method: target.route.method,
  target: fillPath(target.route, ctx.realPath),
  headers: { ...(target.route.auth === 'apiKey' ? { [AUTHORIZER.header]: ctx.key } : ({} as Record<string, string>)), 'Content-Type': target.route.body === 'form' ? 'application/x-www-form-urlencoded' : 'application/json' },
  body: `{"x":"${'a'.repeat(LIMITS.maxBodyBytes)}"}`,
  kind: 'too-large',
});

/**
 * Whether the route's own schema accepts what the server would parse from this request. A request
 * that is fine by the schema and names nobody's ids could write, so the fuzzer does not send it.
 */
export const schemaAccepts = (target: FuzzTarget, request: BadRequest): boolean => {
  if (!request.parsed) return false;
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return target.input.safeParse({ ...request.parsed, headers }).success;
};
