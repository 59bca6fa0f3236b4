import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from '../../domain/zod';
import { DomainError, type DomainErrorKind } from '../../domain/errors';
import type { ErrorCode } from '../../domain/error-codes';
import { LIMITS, type RouteSpec } from '../manifest';
import { logger, withLogScope } from '../adapters/powertools';
import { traced } from '../adapters/tracing';
import type { idempotentRoute } from '../adapters/idempotency';
import { publicBaseUrl } from './public-url';

export type HttpResult = APIGatewayProxyResult & { headers?: Record<string, string> };

/** Who is calling: set by the API key authorizer for `auth: 'apiKey'` routes. */
export interface Caller {
  locationId: string;
}

export interface HttpRequestContext {
  caller: Caller;
  requestId: string;
  /** Where this API is reachable, e.g. `https://abc.execute-api.us-east-1.amazonaws.com/prod`. */
  baseUrl: string;
  event: APIGatewayProxyEvent;
}

/** What the route's input schema is asked to parse. Header names are lower-cased. */
export interface RawHttpInput {
  body: unknown;
  query: Record<string, string>;
  path: Record<string, string>;
  headers: Record<string, string>;
}

export interface FieldProblem {
  path: string;
  message: string;
}

/** An HTTP-level failure (bad JSON, too large) raised before any domain code runs. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldProblem[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify(body),
});
export const ok = (body: unknown, headers?: Record<string, string>) => json(200, body, headers);
export const created = (body: unknown, headers?: Record<string, string>) => json(201, body, headers);

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

type Issue = z.core.$ZodIssue;

/**
 * Turns zod issues into one problem per bad field; body fields are named without a `body.` prefix.
 * For a union it reports the branch the input came closest to, never one of another type.
 */
export const fieldProblems = (error: z.ZodError): FieldProblem[] => problemsOf(error.issues, []);

const problemsOf = (issues: readonly Issue[], prefix: PropertyKey[]): FieldProblem[] =>
  issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path].map(String);
    const name = (parts: string[]) => (parts[0] === 'body' ? parts.slice(1) : parts).join('.') || 'body';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: name([...base, key]), message: 'Unknown field.' }));
    }
    if (issue.code === 'invalid_union' && issue.errors.length) {
      // A branch of another type (a string where an object came) is the farthest of all.
      const distance = (branch: readonly Issue[]) => branch.length + (branch.some((i) => i.code === 'invalid_type' && !i.path.length) ? 1e3 : 0);
      const closest = [...issue.errors].sort((a, b) => distance(a) - distance(b))[0];
      return problemsOf(closest, [...prefix, ...issue.path]);
    }
    // zod's own words for a field left out are "Invalid input: expected string, received undefined".
    if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) return [{ path: name(base), message: `Required (${issue.expected}).` }];
    return [{ path: name(base), message: issue.message }];
  });

interface ErrorView {
  statusCode: number;
  code: ErrorCode;
  message: string;
  fields?: FieldProblem[];
  details?: Record<string, unknown>;
}

/** The only place that maps errors to HTTP statuses. 5xx never carries internal messages. */
export const describeError = (error: unknown): ErrorView => {
  if (error instanceof z.ZodError) {
    return { statusCode: 400, code: 'validation_failed', message: 'The request has invalid fields.', fields: fieldProblems(error) };
  }
  if (error instanceof HttpError) {
    return { statusCode: error.statusCode, code: error.code, message: error.message, fields: error.fields };
  }
  if (error instanceof DomainError) {
    const { fields, ...details } = (error.details ?? {}) as { fields?: FieldProblem[] };
    return { statusCode: STATUS_BY_KIND[error.kind], code: error.code, message: error.message, fields, details };
  }
  return { statusCode: 500, code: 'internal_error', message: 'Something went wrong on our side. Please retry.' };
};

export const errorBody = (view: ErrorView, requestId: string) => ({
  error: {
    code: view.code,
    message: view.message,
    ...(view.fields?.length ? { fields: view.fields } : {}),
    ...view.details,
  },
  requestId,
});

export type ErrorRenderer = (view: ErrorView, requestId: string) => HttpResult;

const jsonErrorRenderer: ErrorRenderer = (view, requestId) =>
  json(view.statusCode, errorBody(view, requestId), view.statusCode === 409 && view.code === 'request_in_progress' ? { 'Retry-After': '1' } : {});

const errorMapper = (render: ErrorRenderer): middy.MiddlewareObj<APIGatewayProxyEvent, HttpResult> => ({
  onError: async (request) => {
    const view = describeError(request.error);
    if (view.statusCode >= 500) logger.error('request failed', { error: request.error as Error });
    request.response = render(view, request.context.awsRequestId);
  },
});

const lowerCaseHeaders = (headers: APIGatewayProxyEvent['headers']): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k.toLowerCase(), v]])));

const decodeBody = (event: APIGatewayProxyEvent): string | undefined => {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > LIMITS.maxBodyBytes) {
    throw new HttpError(413, 'payload_too_large', `The request body is larger than ${LIMITS.maxBodyBytes} bytes.`);
  }
  return text;
};

const MEDIA_TYPES = { json: 'application/json', form: 'application/x-www-form-urlencoded' } as const;

/** Reads the body as the route's media type (`route.body`); any other media type is a 415. */
const parseBody = (text: string | undefined, contentType: string | undefined, kind: 'json' | 'form' = 'json'): unknown => {
  if (text === undefined) return undefined;
  const type = (contentType ?? MEDIA_TYPES[kind]).split(';')[0].trim().toLowerCase();
  if (type !== MEDIA_TYPES[kind]) {
    throw new HttpError(415, 'unsupported_media_type', `Send the request body as ${MEDIA_TYPES[kind]}.`);
  }
  if (kind === 'form') return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
};

/** Builds the raw input a route schema parses: JSON or form body, query, path parameters, headers. */
export const readRawInput = (event: APIGatewayProxyEvent, route?: Pick<RouteSpec, 'body'>): RawHttpInput => {
  const headers = lowerCaseHeaders(event.headers);
  return {
    body: parseBody(decodeBody(event), headers['content-type'], route?.body),
    query: Object.fromEntries(Object.entries(event.queryStringParameters ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, v]]))),
    path: Object.fromEntries(Object.entries(event.pathParameters ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, v]]))),
    headers,
  };
};

const callerOf = (event: APIGatewayProxyEvent, route: RouteSpec): Caller => {
  const locationId = event.requestContext?.authorizer?.locationId;
  if (route.auth === 'apiKey' && typeof locationId !== 'string') {
    // API Gateway never invokes an apiKey route without the authorizer's context.
    throw new Error('authorizer context missing');
  }
  return { locationId: typeof locationId === 'string' ? locationId : '' };
};

/** A caller may send its own correlation id (e.g. its job id); otherwise the API Gateway request id is it. */
export const CORRELATION_HEADER = 'X-Correlation-Id';
const CORRELATION_ID = /^[A-Za-z0-9._:-]{8,100}$/;

const correlationIdOf = (event: APIGatewayProxyEvent, context: Context): string => {
  const presented = lowerCaseHeaders(event.headers)[CORRELATION_HEADER.toLowerCase()];
  if (presented && CORRELATION_ID.test(presented)) return presented;
  return event.requestContext?.requestId || context.awsRequestId;
};

export interface HttpHandlerOptions<S extends z.ZodMiniType> {
  /** The route's facts: `idempotency: 'header'` honours the `Idempotency-Key` header, `creates` allows a 201. */
  route: RouteSpec;
  /** Parses `{ body, query, path, headers }`; unknown body fields should be rejected by the schema. */
  input: S;
  /**
   * The `Idempotency-Key` wrapper, `idempotentRoute` from shared/adapters/idempotency.ts, required exactly when
   * the route says `idempotency: 'header'`. Passed in rather than imported here, so that Powertools
   * idempotency (about 40 KB) stays out of the bundles of routes without the header.
   */
  idempotent?: typeof idempotentRoute;
  /**
   * Parses the raw input instead of `input.parse`, for a route whose rules the schema alone cannot
   * apply (a branch told by a field, a check that reads the table); `input` still documents it.
   */
  parse?: (raw: RawHttpInput, caller: Caller) => Promise<z.infer<S>>;
  /** Renders errors of page routes (`responds: 'html' | 'redirect'`) as HTML; JSON routes use the JSON body. */
  renderError?: ErrorRenderer;
}

export type Main<S extends z.ZodMiniType> = (input: z.infer<S>, context: HttpRequestContext) => Promise<HttpResult>;

/**
 * The one middy chain every HTTP handler uses: error mapping outermost, then (optionally)
 * Powertools idempotency around input parsing, validation and the route's `main`.
 */
export const httpHandler = <S extends z.ZodMiniType>(main: Main<S>, options: HttpHandlerOptions<S>) => {
  const { route } = options;
  if ((route.responds === 'json') === Boolean(options.renderError)) {
    throw new Error(`${route.fn}: a route that responds ${route.responds} ${route.responds === 'json' ? 'renders JSON errors' : 'needs a page error renderer'}.`);
  }
  if ((route.idempotency === 'header') !== Boolean(options.idempotent)) {
    throw new Error(`${route.fn}: pass \`idempotent: idempotentRoute\` exactly when the route takes the Idempotency-Key header.`);
  }
  const core = async (event: APIGatewayProxyEvent, context: Context): Promise<HttpResult> => {
    const caller = callerOf(event, route);
    const raw = readRawInput(event, route);
    const input = options.parse ? await options.parse(raw, caller) : options.input.parse(raw);
    const result = await main(input, { caller, requestId: context.awsRequestId, baseUrl: publicBaseUrl(event), event });
    if (result.statusCode === 201 && !route.creates) throw new Error(`${route.fn} answered 201 but its route does not create.`);
    return result;
  };
  const guarded = options.idempotent ? (options.idempotent(route, core) as typeof core) : core;
  const chain = middy<APIGatewayProxyEvent, HttpResult>().use(errorMapper(options.renderError ?? jsonErrorRenderer)).handler(guarded);
  return async (event: APIGatewayProxyEvent, context: Context): Promise<HttpResult> => {
    logger.addContext(context);
    const locationId = event.requestContext?.authorizer?.locationId;
    const scope = {
      correlationId: correlationIdOf(event, context),
      route: route.fn,
      locationId: typeof locationId === 'string' ? locationId : undefined,
      invocation: { functionName: context.functionName, awsRequestId: context.awsRequestId },
    };
    return withLogScope(scope, async () => {
      const result = await traced(route.fn, { route: route.fn, locationId: scope.locationId }, () => chain(event, context));
      logger.info('request finished', { statusCode: result.statusCode });
      return { ...result, headers: { ...result.headers, [CORRELATION_HEADER]: scope.correlationId } };
    });
  };
};
