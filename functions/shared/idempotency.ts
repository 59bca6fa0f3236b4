import type middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { dynamoDb } from './clients';
import { lazyEnv } from './env';
import { ENV, IDEMPOTENCY_TABLE, type RouteSpec } from './manifest';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const HEADER = IDEMPOTENCY_HEADER.toLowerCase();
const SCOPED_KEY = 'scopedIdempotencyKey';

/** Merchants retry for hours at most; a day keeps a late retry from writing twice. */
export const MERCHANT_IDEMPOTENCY_SECONDS = 24 * 60 * 60;

const idempotencyTable = lazyEnv(ENV.idempotencyTable);
let persistenceStore: DynamoDBPersistenceLayer | undefined;
const store = () =>
  (persistenceStore ??= new DynamoDBPersistenceLayer({
    tableName: idempotencyTable(),
    keyAttr: IDEMPOTENCY_TABLE.pk,
    expiryAttr: IDEMPOTENCY_TABLE.ttl,
    awsSdkV3Client: dynamoDb,
  }));

const headerValue = (event: APIGatewayProxyEvent): string | undefined => {
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === HEADER && value) return value;
  }
  return undefined;
};

/**
 * Scopes the merchant's `Idempotency-Key` to its location and route, so two tenants (or two
 * endpoints) can never share a record. Without the header the Powertools middleware skips entirely:
 * no extra DynamoDB call.
 */
const scopeKey = (route: RouteSpec): middy.MiddlewareObj<APIGatewayProxyEvent> => ({
  before: async (request) => {
    const key = headerValue(request.event);
    if (key === undefined) return;
    const locationId = String(request.event.requestContext?.authorizer?.locationId ?? 'anonymous');
    (request.event as unknown as Record<string, unknown>)[SCOPED_KEY] = `${locationId}|${route.path}|${key}`;
  },
});

/**
 * Powertools idempotency for an HTTP route: a retry with the same key and body gets the first
 * response; the same key with another body raises `IdempotencyValidationError` (mapped to 422).
 */
export const idempotencyMiddleware = (route: RouteSpec, expiresAfterSeconds = MERCHANT_IDEMPOTENCY_SECONDS) => {
  const idempotent = makeHandlerIdempotent({
    persistenceStore: store(),
    config: new IdempotencyConfig({
      eventKeyJmesPath: SCOPED_KEY,
      payloadValidationJmesPath: 'body',
      throwOnNoIdempotencyKey: false,
      expiresAfterSeconds,
    }),
  });
  return [scopeKey(route), idempotent];
};
