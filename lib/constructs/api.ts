import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AUTHORIZER, ENV, ROUTES, UNAUTHORIZED_BODY, type RouteName, type RouteSpec, type Stage } from '../../functions/shared/manifest';
import { AppFunction, pascalCase, type Access } from './app-function';
import { acknowledge } from './nag';

export interface ApiProps {
  readonly stage: Stage;
  readonly table: ITable;
  readonly idempotencyTable: ITable;
  readonly attachments: IBucket;
  /** Replaying parked webhook deliveries puts jobs back on this queue. */
  readonly webhookQueue: IQueue;
  /** Steady-state requests per second for the whole stage. @default 50 */
  readonly throttlingRateLimit?: number;
  /** @default 100 */
  readonly throttlingBurstLimit?: number;
}

/** What one route's function may touch; anything not listed is not granted. */
interface RouteNeeds {
  readonly table: Access;
  /** Powertools idempotency records (the three `set` routes and the payment). */
  readonly idempotency?: boolean;
  readonly attachments?: Access;
  readonly sendsWebhookJobs?: boolean;
  readonly timeout?: Duration;
}

/**
 * Least privilege per route. A route missing here gets read-only table access and nothing else,
 * which fails loudly (AccessDenied in tests against a deployed stack) rather than over-granting.
 */
const NEEDS: Partial<Record<RouteName, RouteNeeds>> = {
  setServiceLocation: { table: 'RW', idempotency: true },
  setCustomer: { table: 'RW', idempotency: true },
  // Stores a PDF of up to 4 MB in S3 before the one UpdateItem.
  setStatement: { table: 'RW', idempotency: true, attachments: 'RW', timeout: Duration.seconds(20) },
  replayWebhookDeliveries: { table: 'RW', sendsWebhookJobs: true },
  statementPage: { table: 'RO' },
  // The sandbox gateway adds realistic latency; a real processor can take seconds.
  payStatement: { table: 'RW', idempotency: true, timeout: Duration.seconds(29) },
  statementAttachment: { table: 'RO', attachments: 'RO' },
};
const DEFAULT_NEEDS: RouteNeeds = { table: 'RO' };

/** Gateway Responses in the API's one error shape, so API Gateway's own errors look like ours. */
const errorTemplate = (code: string, message: string) =>
  JSON.stringify({ error: { code, message }, requestId: '$context.requestId' });

const GATEWAY_RESPONSES: Array<{ id: string; type: apigw.ResponseType; statusCode?: string; template: string }> = [
  // Missing header: API Gateway answers without calling the authorizer. Unknown or revoked key:
  // the authorizer throws `Unauthorized`. A Deny policy would be ACCESS_DENIED (403): also 401 here.
  { id: 'Unauthorized', type: apigw.ResponseType.UNAUTHORIZED, statusCode: '401', template: JSON.stringify({ ...UNAUTHORIZED_BODY, requestId: '$context.requestId' }) },
  { id: 'AccessDenied', type: apigw.ResponseType.ACCESS_DENIED, statusCode: '401', template: JSON.stringify({ ...UNAUTHORIZED_BODY, requestId: '$context.requestId' }) },
  // REST APIs answer an unknown path with "Missing Authentication Token" (403); the local runtime says 404.
  { id: 'RouteNotFound', type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, statusCode: '404', template: errorTemplate('route_not_found', 'No such route.') },
  { id: 'PayloadTooLarge', type: apigw.ResponseType.REQUEST_TOO_LARGE, statusCode: '413', template: errorTemplate('payload_too_large', 'The request body is too large.') },
  { id: 'Throttled', type: apigw.ResponseType.THROTTLED, statusCode: '429', template: errorTemplate('throttled', 'Too many requests; retry with backoff.') },
  // The defaults keep API Gateway's own status; only the body changes to our shape.
  { id: 'Default4xx', type: apigw.ResponseType.DEFAULT_4XX, template: errorTemplate('bad_request', 'The request was rejected.') },
  { id: 'Default5xx', type: apigw.ResponseType.DEFAULT_5XX, template: errorTemplate('internal_error', 'Something went wrong on our side. Please retry.') },
];

/**
 * The REST API: one function per `ROUTES` entry (entry `functions/<fn>/handler.ts`), the CX-API-Key
 * REQUEST authorizer on `auth: 'apiKey'` routes, throttling, and Gateway Responses in our error shape.
 */
export class Api extends Construct {
  readonly restApi: apigw.RestApi;
  readonly authorizerFunction: AppFunction;
  readonly functions: Record<RouteName, AppFunction>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.restApi = new apigw.RestApi(this, 'MerchantApi', {
      description: `Customer Statements API (${props.stage})`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Account-level CloudWatch role is shared by every API in the account; not ours to create.
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stage,
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
        tracingEnabled: true,
        metricsEnabled: true,
      },
    });

    acknowledge(this, {
      'AwsSolutions-APIG2': 'Every handler validates its whole request with its zod schema (one source, also documented in docs/openapi.json).',
      'AwsSolutions-APIG1': 'Each function logs its requests (Powertools, with the API request id) and X-Ray traces every call; API Gateway logging needs the account-wide CloudWatch role, which this stack does not own.',
      'AwsSolutions-APIG6': 'As APIG1: execution logging needs the account-wide CloudWatch role.',
      'AwsSolutions-APIG3': 'No WAF yet: stage throttling applies; a web ACL belongs to the account\'s edge setup.',
      'AwsSolutions-COG4': 'Merchants are machines authenticated by CX-API-Key (the REQUEST authorizer); customer pages are reached by unguessable links.',
    });

    for (const response of GATEWAY_RESPONSES) {
      this.restApi.addGatewayResponse(response.id, {
        type: response.type,
        statusCode: response.statusCode,
        responseHeaders: { 'Content-Type': "'application/json'" },
        templates: { 'application/json': response.template },
      });
    }

    this.authorizerFunction = new AppFunction(this, `${pascalCase(AUTHORIZER.fn)}Function`, { fn: AUTHORIZER.fn, stage: props.stage });
    this.authorizerFunction.bindTable(props.table, 'RO');
    const authorizer = new apigw.RequestAuthorizer(this, 'ApiKeyAuthorizer', {
      handler: this.authorizerFunction,
      identitySources: [apigw.IdentitySource.header(AUTHORIZER.header)],
      // A cached Allow is reused for every route (the policy covers the whole API), so a revoked key
      // keeps working for at most this long.
      resultsCacheTtl: Duration.seconds(AUTHORIZER.cacheTtlSeconds),
    });

    const functions = {} as Record<RouteName, AppFunction>;
    for (const [name, route] of Object.entries(ROUTES) as Array<[RouteName, RouteSpec]>) {
      const fn = this.routeFunction(route, NEEDS[name] ?? DEFAULT_NEEDS, props);
      const method = this.restApi.root.resourceForPath(route.path).addMethod(route.method, new apigw.LambdaIntegration(fn, { allowTestInvoke: false }), {
        operationName: name,
        ...(route.auth === 'apiKey' ? { authorizer, authorizationType: apigw.AuthorizationType.CUSTOM } : {}),
      });
      if (route.auth === 'none') {
        acknowledge(method, { 'AwsSolutions-APIG4': 'A customer page: the unguessable link token (128+ bits) in the path is the credential.' });
      }
      functions[name] = fn;
    }
    this.functions = functions;
  }

  get url(): string {
    return this.restApi.url;
  }

  private routeFunction(route: RouteSpec, needs: RouteNeeds, props: ApiProps): AppFunction {
    const fn = new AppFunction(this, `${pascalCase(route.fn)}Function`, { fn: route.fn, stage: props.stage, timeout: needs.timeout });
    fn.bindTable(props.table, needs.table);
    if (needs.idempotency) fn.bindIdempotencyTable(props.idempotencyTable);
    if (needs.attachments) fn.bindBucket(props.attachments, needs.attachments);
    if (needs.sendsWebhookJobs) fn.bindQueueSender(props.webhookQueue, ENV.webhookQueueUrl);
    if (route.fn === ROUTES.payStatement.fn) fn.setEnv(ENV.paymentGateway, 'sandbox');
    return fn;
  }
}
