import { existsSync } from 'node:fs';
import { schemaFile } from '../../lib/source-paths';
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as mini from '../../functions/domain/zod';
import { toClassic } from './classic';
import { ERROR_CODES } from '../../functions/domain/error-codes';
import { IDEMPOTENCY_HEADER } from '../../functions/shared/adapters/idempotency';
import { AUTHORIZER, LIMITS, ROUTES, type RouteName, type RouteSpec } from '../../functions/shared/manifest';

const SECURITY_SCHEME = 'CxApiKey';

/** A route's zod/mini schemas, as its schema.ts exports them (the handler validates with the same ones). */
export interface RouteSchemas {
  /** `z.object({ body?, query?, path?, headers? })`. */
  input: mini.ZodMiniObject;
  /** The 2xx JSON body, when the route's schema.ts exports one (`response`, or `output`). */
  response?: mini.ZodMiniType;
  /** Headers the 2xx answer may carry (`responseHeaders`), e.g. `Location`; optional fields are sent only sometimes. */
  responseHeaders?: mini.ZodMiniObject;
}

/**
 * Loads `functions/<fn>/schema.ts`. A route without one, or with an `input` that is not a zod
 * object, stops the generator: the API description must cover every route.
 */
export const loadRouteSchemas = (route: RouteSpec): RouteSchemas => {
  const where = `${route.method} ${route.path}: functions/${route.fn}/schema.ts`;
  const file = schemaFile(route.fn);
  if (!existsSync(file)) throw new Error(`${where} is missing; it must export \`input\` (and may export \`response\`).`);
  const loaded = require(file) as { input?: unknown; response?: unknown; output?: unknown; responseHeaders?: unknown };
  if (!(loaded.input instanceof mini.ZodMiniObject)) throw new Error(`${where} must export \`input\` as z.object({ body?, query?, path?, headers? }).`);
  const response = loaded.response ?? loaded.output;
  if (response !== undefined && !(response instanceof mini.ZodMiniType)) throw new Error(`${where} exports a \`response\` that is not a zod schema.`);
  if (loaded.responseHeaders !== undefined && !(loaded.responseHeaders instanceof mini.ZodMiniObject)) {
    throw new Error(`${where} exports \`responseHeaders\` that is not a z.object.`);
  }
  return { input: loaded.input, response: response as mini.ZodMiniType | undefined, responseHeaders: loaded.responseHeaders };
};

/** A schema from `input.shape`, unwrapped from `.optional()` so that its fields become parameters. */
const part = (input: z.ZodObject, key: 'body' | 'query' | 'path' | 'headers'): z.ZodType | undefined => {
  let schema = input.shape[key] as z.ZodType | undefined;
  while (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
  return schema;
};

const objectPart = (route: RouteSpec, input: z.ZodObject, key: 'query' | 'path' | 'headers'): z.ZodObject | undefined => {
  const schema = part(input, key);
  if (schema === undefined || schema instanceof z.ZodObject) return schema;
  throw new Error(`functions/${route.fn}/schema.ts: \`input.${key}\` must be a z.object so its fields can be documented.`);
};

const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...Array<keyof typeof ERROR_CODES>]),
      message: z.string().meta({ description: 'For people; may change. Branch on `code`.' }),
      fields: z
        .array(z.object({ path: z.string().meta({ description: 'Dotted path of the field, e.g. address.postalCode' }), message: z.string() }))
        .optional()
        .meta({ description: 'Present on validation errors: one entry per bad field.' }),
    }),
    requestId: z.string().optional().meta({ description: 'Quote it when asking for support.' }),
  })
  .meta({ id: 'ErrorResponse', description: 'The one error body of every 4xx/5xx JSON answer.' });

const codesFor = (status: number) =>
  Object.entries(ERROR_CODES)
    .filter(([, spec]) => spec.status === status)
    .map(([code]) => `\`${code}\``)
    .join(', ');

const jsonError = (status: number, what: string) => ({
  description: `${what}. Codes: ${codesFor(status) || 'see ErrorResponse'}.`,
  content: { 'application/json': { schema: ErrorResponse } },
});

const htmlPage = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

const errorResponses = (route: RouteSpec): RouteConfig['responses'] => {
  if (route.responds !== 'json') {
    return {
      400: htmlPage('The form or link was not valid; the page says what to fix.'),
      404: htmlPage('Unknown or revoked link: the same plain page for every case, revealing nothing.'),
      500: htmlPage('Something failed on our side.'),
    };
  }
  const responses: RouteConfig['responses'] = { 400: jsonError(400, 'Invalid request') };
  if (route.auth === 'apiKey') responses[401] = jsonError(401, `Missing, unknown or revoked ${AUTHORIZER.header}`);
  responses[404] = jsonError(404, 'Not found in the key\'s location (another location\'s data is never revealed)');
  if (route.method === 'POST') {
    responses[409] = jsonError(409, 'Conflict');
    responses[413] = jsonError(413, `Body over ${LIMITS.maxBodyBytes} bytes`);
    responses[415] = jsonError(415, 'Body is not JSON');
  }
  if (route.idempotency === 'header') responses[422] = jsonError(422, `${IDEMPOTENCY_HEADER} reused with a different body`);
  responses[429] = jsonError(429, 'Throttled');
  responses[500] = jsonError(500, 'Internal error');
  return responses;
};

const successResponses = (route: RouteSpec, schemas: ReturnType<typeof classicSchemas>): RouteConfig['responses'] => {
  if (route.responds === 'redirect') {
    return { 302: { description: 'Redirect to the target in `Location`.', headers: { Location: { schema: { type: 'string', format: 'uri' } } } } };
  }
  if (route.responds === 'html') return { 200: htmlPage('The page.') };
  const body = schemas.response ?? z.object({}).loose().meta({ description: 'See the route description.' });
  const headers = schemas.responseHeaders;
  const responses: RouteConfig['responses'] = {
    200: { description: route.creates ? 'Updated (for a retry with the same Idempotency-Key: the first response).' : 'OK.', headers, content: { 'application/json': { schema: body } } },
  };
  if (route.creates) responses[201] = { description: 'Created.', headers, content: { 'application/json': { schema: body } } };
  return responses;
};

/** The route's schemas rebuilt as classic zod, which zod-to-openapi reads. */
const classicSchemas = (route: RouteSpec) => {
  const { input, response, responseHeaders } = loadRouteSchemas(route);
  return {
    input: toClassic(input) as z.ZodObject,
    response: response && toClassic(response),
    responseHeaders: responseHeaders && (toClassic(responseHeaders) as z.ZodObject),
  };
};

const routeConfig = (name: RouteName, route: RouteSpec): RouteConfig => {
  const schemas = classicSchemas(route);
  const body = part(schemas.input, 'body');
  let headers = objectPart(route, schemas.input, 'headers');
  if (route.idempotency === 'header') {
    const key = z.string().min(1).max(255).optional().meta({
      description: 'Retries with the same key and body return the first response and write nothing new; the same key with another body is a 422. Kept 24 hours.',
    });
    headers = (headers ?? z.object({})).extend({ [IDEMPOTENCY_HEADER]: key });
  }
  return {
    method: route.method.toLowerCase() as 'get' | 'post',
    path: route.path,
    operationId: name,
    summary: route.summary,
    tags: [route.auth === 'apiKey' ? 'Merchant API' : 'Customer pages'],
    security: route.auth === 'apiKey' ? [{ [SECURITY_SCHEME]: [] }] : [],
    request: {
      query: objectPart(route, schemas.input, 'query'),
      params: objectPart(route, schemas.input, 'path'),
      headers,
      body: body && {
        required: true,
        content: { [route.body === 'form' ? 'application/x-www-form-urlencoded' : 'application/json']: { schema: body } },
      },
    },
    responses: { ...successResponses(route, schemas), ...errorResponses(route) },
  };
};

/** The OpenAPI 3.1 description of every route in `ROUTES`, from the handlers' own zod schemas. */
export const buildOpenApiDocument = () => {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', SECURITY_SCHEME, {
    type: 'apiKey',
    in: 'header',
    name: AUTHORIZER.header,
    description: 'Issued by `npm run admin -- create-key`; one key belongs to one Service Location.',
  });
  for (const [name, route] of Object.entries(ROUTES) as Array<[RouteName, RouteSpec]>) registry.registerPath(routeConfig(name, route));

  const codes = Object.entries(ERROR_CODES).map(([code, spec]) => `| \`${code}\` | ${spec.status} | ${spec.description} |`);
  return new OpenApiGeneratorV31(registry.definitions, { sortComponents: 'alphabetically' }).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Customer Statements',
      version: '1.0.0',
      description: [
        'Ask customers for money and get paid. Merchant routes take JSON and the `CX-API-Key` header; money is sent as decimal major units and stored as integer cents.',
        '',
        'Every error answers `{"error": {"code", "message", "fields?"}, "requestId"}`. Stable codes:',
        '',
        '| code | status | meaning |',
        '| --- | --- | --- |',
        ...codes,
      ].join('\n'),
    },
    servers: [{ url: 'http://localhost:3000', description: 'Local runtime (`npm start`)' }],
  });
};
