import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DomainError } from '../../domain/errors';
import { dynamoDb } from './clients/dynamodb';
import { requireEnv } from './env';
import { ENV, IDEMPOTENCY_TABLE, type RouteSpec } from '../manifest';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const HEADER = IDEMPOTENCY_HEADER.toLowerCase();
const SCOPED_KEY = 'scopedIdempotencyKey';

/** Merchants retry for hours at most; a day keeps a late retry from writing twice. */
export const MERCHANT_IDEMPOTENCY_SECONDS = 24 * 60 * 60;

let persistenceStore: DynamoDBPersistenceLayer | undefined;
/** One Powertools persistence layer per cold start, on the idempotency table. */
export const idempotencyStore = () =>
  (persistenceStore ??= new DynamoDBPersistenceLayer({
    tableName: requireEnv(ENV.idempotencyTable),
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

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<unknown>;

/** Powertools' two answers to a repeated key, in this service's terms (shared/http/chain.ts maps kinds to statuses). */
const asDomainError = (error: unknown): unknown => {
  if (error instanceof IdempotencyValidationError) {
    return new DomainError('idempotency_key_reused', 'unprocessable', `This ${IDEMPOTENCY_HEADER} was already used with a different request body.`, undefined, { cause: error });
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return new DomainError('request_in_progress', 'conflict', `A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry shortly.`, undefined, { cause: error });
  }
  return error;
};

/**
 * Powertools idempotency for a merchant route: a retry with the same `Idempotency-Key` and body gets
 * the first response; the same key with another body is `idempotency_key_reused` (422); a
 * duplicate arriving while the first runs is `request_in_progress` (409). Routes pass this to
 * `httpHandler` as `idempotent`, so only their bundles carry Powertools idempotency.
 *
 * The key is scoped to the caller's location and the route, so two tenants (or two endpoints) never
 * share a record. Without the header Powertools skips entirely: no extra DynamoDB call.
 *
 * This wraps the function with `makeIdempotent` rather than using the middy middleware: with the
 * middleware, a request rejected in `before` (in progress, or another body) runs its `onError`, which
 * deletes the *first* request's record, and the next retry would execute again.
 */
export const idempotentRoute = (route: RouteSpec, handler: Handler, expiresAfterSeconds = MERCHANT_IDEMPOTENCY_SECONDS): Handler => {
  const idempotent = makeIdempotent(handler, {
    persistenceStore: idempotencyStore(),
    config: new IdempotencyConfig({
      eventKeyJmesPath: SCOPED_KEY,
      payloadValidationJmesPath: 'body',
      throwOnNoIdempotencyKey: false,
      expiresAfterSeconds,
    }),
  });
  return async (event, context) => {
    const key = headerValue(event);
    if (key !== undefined) {
      const locationId = String(event.requestContext?.authorizer?.locationId ?? 'anonymous');
      (event as unknown as Record<string, unknown>)[SCOPED_KEY] = `${locationId}|${route.path}|${key}`;
    }
    try {
      return await idempotent(event, context);
    } catch (error) {
      throw asDomainError(error);
    }
  };
};
