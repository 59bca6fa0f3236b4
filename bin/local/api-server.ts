import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, APIGatewayAuthorizerResult } from 'aws-lambda';
import { AUTHORIZER, ROUTES, UNAUTHORIZED_BODY, type RouteSpec } from '../../functions/shared/manifest';
import { lambdaContext } from './lambda-context';
import { loadHandler } from './handlers';
import type { ErrorCode } from '../../functions/domain/error-codes';

export type LocalRoute = (request: IncomingMessage, response: ServerResponse, body: Buffer) => Promise<void> | void;

export interface ApiServerOptions {
  port: number;
  /** Extra routes of the local runtime only (`/health`, `/_local/...`), matched by exact path. */
  localRoutes: Record<string, LocalRoute>;
  log: (message: string) => void;
}

const STAGE = 'local';

interface Match {
  route: RouteSpec;
  pathParameters: Record<string, string> | null;
}

const compiled = Object.values(ROUTES).map((route: RouteSpec) => {
  const names: string[] = [];
  const pattern = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, names, regex: new RegExp(`^${pattern}$`) };
});

/** A path segment decoded, or undefined when its percent-encoding is malformed (`%zz`, a lone `%`). */
const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

const matchRoute = (method: string, pathname: string): Match | 'method_not_allowed' | undefined => {
  let pathMatched = false;
  for (const { route, names, regex } of compiled) {
    const found = regex.exec(pathname);
    if (!found) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const params: Record<string, string> = {};
    for (const [i, name] of names.entries()) {
      const decoded = decodeSegment(found[i + 1]);
      // A customer page validates its link itself and answers a malformed one with the same 404 page
      // as an unknown one, so it gets the segment as sent; any other route has no such path.
      if (decoded === undefined && route.auth !== 'none') return undefined;
      params[name] = decoded ?? found[i + 1];
    }
    return { route, pathParameters: names.length ? params : null };
  }
  return pathMatched ? 'method_not_allowed' : undefined;
};

/** API Gateway refuses bodies over 10 MB before any function runs (413). */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
/**
 * A body over the limit is still read (and dropped) to its end, so the client that is still sending
 * gets the 413 instead of a reset connection; past this much the connection is cut instead.
 */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

const TOO_LARGE = Symbol('too large');

const contentLength = (request: IncomingMessage) => Number(request.headers['content-length'] ?? 0);

/** The whole body, or TOO_LARGE once it has been read past the gateway limit to its end. */
const readBody = (request: IncomingMessage): Promise<Buffer | typeof TOO_LARGE> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= GATEWAY_MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
      if (size > MAX_DRAIN_BYTES) request.destroy(new Error(`request body over ${MAX_DRAIN_BYTES} bytes: connection closed`));
    });
    request.on('end', () => resolve(size > GATEWAY_MAX_BODY_BYTES ? TOO_LARGE : Buffer.concat(chunks)));
    request.on('error', reject);
  });

const singleHeaders = (request: IncomingMessage): Record<string, string> =>
  Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));

const toEvent = (request: IncomingMessage, url: URL, match: Match, body: Buffer, port: number): APIGatewayProxyEvent => {
  const query = Object.fromEntries(url.searchParams);
  return {
    resource: match.route.path,
    path: url.pathname,
    httpMethod: match.route.method,
    headers: singleHeaders(request),
    multiValueHeaders: {},
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters: match.pathParameters,
    stageVariables: null,
    body: body.length ? body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: match.route.method,
      identity: { sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: request.headers['user-agent'] ?? null } as never,
      path: url.pathname,
      stage: STAGE,
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: match.route.path,
      domainName: `localhost:${port}`,
    },
  };
};

const sendJson = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
};

/**
 * Errors of the local API Gateway itself, in the API's one error shape (as the stack's Gateway
 * Responses in lib/constructs/api.ts answer them, with `$context.requestId`).
 */
const sendGatewayError = (response: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}) =>
  sendJson(response, status, { error: { code, message }, requestId: randomUUID() }, headers);

const sendTooLarge = (response: ServerResponse, headers: Record<string, string> = {}) =>
  sendGatewayError(response, 413, 'payload_too_large', 'The request body is too large.', headers);

/**
 * API Gateway caches an authorizer's Allow per identity source (the CX-API-Key value) for
 * AUTHORIZER.cacheTtlSeconds; so does the local runtime. `LOCAL_AUTHORIZER_CACHE_TTL_SECONDS=0`
 * (the tests) runs the authorizer on every request.
 */
const cacheTtlMs = () => 1000 * Number(process.env.LOCAL_AUTHORIZER_CACHE_TTL_SECONDS ?? AUTHORIZER.cacheTtlSeconds);
const authorizerCache = new Map<string, { context: Record<string, unknown>; expiresAt: number }>();

const authorize = async (event: APIGatewayProxyEvent): Promise<Record<string, unknown> | undefined> => {
  const identity = Object.entries(event.headers).find(([name]) => name.toLowerCase() === AUTHORIZER.header.toLowerCase())?.[1];
  // Without the identity source API Gateway answers 401 without invoking the authorizer.
  if (!identity) return undefined;
  const cached = authorizerCache.get(identity);
  if (cached && cached.expiresAt > Date.now()) return cached.context;
  const context = await runAuthorizer(event);
  const ttl = cacheTtlMs();
  if (context && ttl > 0) authorizerCache.set(identity, { context, expiresAt: Date.now() + ttl });
  return context;
};

/** Runs the same REQUEST authorizer the stack attaches. */
const runAuthorizer = async (event: APIGatewayProxyEvent): Promise<Record<string, unknown> | undefined> => {
  const authorizer = (await loadHandler(AUTHORIZER.fn)) as (e: unknown) => Promise<APIGatewayAuthorizerResult>;
  try {
    const result = await authorizer({
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:us-east-1:000000000000:local/${STAGE}/${event.httpMethod}${event.resource}`,
      headers: event.headers,
      resource: event.resource,
      path: event.path,
      httpMethod: event.httpMethod,
      requestContext: event.requestContext,
    });
    const allowed = result.policyDocument.Statement.some((s) => s.Effect === 'Allow');
    return allowed ? { ...result.context, principalId: result.principalId } : undefined;
  } catch {
    return undefined;
  }
};

/** The local API Gateway: same routes, same authorizer, same handlers as the stack. */
export const startApiServer = async (options: ApiServerOptions): Promise<{ server: Server; port: number; stop(): Promise<void> }> => {
  let boundPort = options.port;
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const local = options.localRoutes[url.pathname];
      if (local) {
        const body = await readBody(request);
        return body === TOO_LARGE ? sendTooLarge(response) : await local(request, response, body);
      }
      const match = matchRoute(request.method ?? 'GET', url.pathname);
      if (match === undefined) return sendGatewayError(response, 404, 'route_not_found', 'No such route.');
      if (match === 'method_not_allowed') {
        return sendGatewayError(response, 405, 'method_not_allowed', `This route does not answer ${request.method}.`);
      }
      const body = await readBody(request);
      if (body === TOO_LARGE) return sendTooLarge(response);
      const event = toEvent(request, url, match, body, boundPort);
      if (match.route.auth === 'apiKey') {
        const context = await authorize(event);
        if (!context) return sendJson(response, 401, { ...UNAUTHORIZED_BODY, requestId: event.requestContext.requestId });
        event.requestContext.authorizer = context;
      }
      const handler = await loadHandler(match.route.fn);
      const result = (await handler(event, lambdaContext(match.route.fn, match.route.timeoutSeconds))) as APIGatewayProxyResult;
      response.writeHead(result.statusCode, (result.headers ?? {}) as Record<string, string>);
      response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    } catch (error) {
      options.log(`request failed: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) sendGatewayError(response, 502, 'bad_gateway', 'Internal server error');
      else response.end();
    }
  });
  // A client that waits for `100 Continue` before a body over the limit gets the 413 at once and
  // never sends it; the connection closes, since its unsent body cannot be told from the next request.
  server.on('checkContinue', (request, response) => {
    if (contentLength(request) > GATEWAY_MAX_BODY_BYTES) return sendTooLarge(response, { Connection: 'close' });
    response.writeContinue();
    server.emit('request', request, response);
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const address = server.address();
  boundPort = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    port: boundPort,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
