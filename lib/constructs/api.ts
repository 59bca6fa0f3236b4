import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AUTHORIZER, ENV, QUEUES, ROUTES, UNAUTHORIZED_BODY, type JobQueueName, type RouteName, type RouteSpec, type Stage } from '../../functions/shared/manifest';
import { AppFunction, pascalCase } from './app-function';
import { acknowledge } from './nag';
import type { ErrorCode } from '../../functions/domain/error-codes';
import type { PaymentConfig } from '../config';
import { STRIPE_SDK_MODULE, StripeSdkLayer } from './stripe-layer';

export interface ApiProps {
  readonly stage: Stage;
  /** The card processor of the routes with `access.paymentGateway`. @default - the sandbox */
  readonly payments?: PaymentConfig;
  readonly table: ITable;
  readonly idempotencyTable: ITable;
  readonly attachments: IBucket;
  /** The queues a route may send to (`access.sendsTo`), e.g. replaying parked webhook deliveries. */
  readonly queues: Readonly<Record<JobQueueName, IQueue>>;
  /**
   * Base URL of the customer links the routes build (Location and Link headers, the statement page's
   * own links), when a custom domain serves them. @default - taken from each request's host and stage
   */
  readonly publicBaseUrl?: string;
  /** Steady-state requests per second for the whole stage. @default 50 */
  readonly throttlingRateLimit?: number;
  /** @default 100 */
  readonly throttlingBurstLimit?: number;
}

/** Gateway Responses in the API's one error shape, so API Gateway's own errors look like ours. */
const errorTemplate = (code: ErrorCode, message: string) =>
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
  /** The Stripe secret (by name), when the stage uses Stripe; read only by the functions that call Stripe. */
  private stripeSecret?: secretsmanager.ISecret;
  private stripeSdk?: StripeSdkLayer;

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
      const fn = this.routeFunction(route, props);
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

  /** One function per route, granted exactly the route's `access` (least privilege, from the manifest). */
  private routeFunction(route: RouteSpec, props: ApiProps): AppFunction {
    const timeout = route.timeoutSeconds === undefined ? undefined : Duration.seconds(route.timeoutSeconds);
    const { access } = route;
    // The Stripe SDK is never in a gateway function's bundle: a Stripe stage gives it as a layer (stripe-layer.ts).
    const externalModules = access.paymentGateway ? [STRIPE_SDK_MODULE] : undefined;
    const fn = new AppFunction(this, `${pascalCase(route.fn)}Function`, { fn: route.fn, stage: props.stage, timeout, externalModules });
    fn.bindTable(props.table, access.table);
    if (route.idempotency) fn.bindIdempotencyTable(props.idempotencyTable);
    if (access.attachments) fn.bindBucket(props.attachments, access.attachments);
    for (const queue of access.sendsTo ?? []) fn.bindQueueSender(props.queues[queue], QUEUES[queue].urlEnv);
    if (access.paymentGateway) this.bindPaymentGateway(fn, props.payments ?? { gateway: 'sandbox' });
    else if (access.processorName) fn.setEnv(ENV.paymentGateway, (props.payments ?? { gateway: 'sandbox' }).gateway);
    const payments = props.payments;
    if (access.publishableKey && payments?.gateway === 'stripe' && payments.stripePublishableKey) fn.setEnv(ENV.stripePublishableKey, payments.stripePublishableKey);
    // On a custom domain the request's host has no stage in its path, which the request-derived
    // base URL (shared/http/public-url.ts) would add back; the configured one is right on every host.
    if (props.publicBaseUrl) fn.setEnv(ENV.publicBaseUrl, props.publicBaseUrl);
    return fn;
  }

  /** The gateway's name, and for Stripe read access to its one secret (never its value in the template). */
  private bindPaymentGateway(fn: AppFunction, payments: PaymentConfig): void {
    fn.setEnv(ENV.paymentGateway, payments.gateway);
    if (payments.gateway !== 'stripe') return;
    this.stripeSecret ??= secretsmanager.Secret.fromSecretNameV2(this, 'StripeSecret', payments.stripeSecretName);
    this.stripeSecret.grantRead(fn);
    fn.setEnv(ENV.stripeSecretName, payments.stripeSecretName);
    this.stripeSdk ??= new StripeSdkLayer(this, 'StripeSdk');
    fn.addLayers(this.stripeSdk.layer);
  }
}
