import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AUTHORIZER, ENV, ROUTES, UNAUTHORIZED_BODY, WORKERS, type RouteName } from '../../functions/shared/manifest';
import { ERROR_CODES } from '../../functions/domain/error-codes';
import { pascalCase, UNTRACED_FUNCTIONS } from '../../lib/constructs/app-function';
import { synthTemplate } from './synth';
import { apiPath, logicalId, ofType, referencedIds, resource, roleActions } from './template-helpers';

const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const routeFunctionId = (template: Template, name: RouteName) => logicalId(template, 'AWS::Lambda::Function', `Api${pascalCase(ROUTES[name].fn)}Function`);
const routeNames = Object.keys(ROUTES) as RouteName[];

describe('the API in the stack', () => {
  let template: Template;

  beforeAll(() => {
    // Prepare
    template = synthTemplate();
  });

  it('has one function per route, plus the authorizer and the three workers, and no others', () => {
    // Assess
    template.resourceCountIs('AWS::Lambda::Function', routeNames.length + 1 + Object.keys(WORKERS).length);
  });

  it.each(routeNames)('routes %s to its own function with the right method, path and auth', (name) => {
    // Act
    const route = ROUTES[name];
    const methods = ofType(template, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties!.OperationName === name);

    // Assess
    expect(methods).toHaveLength(1);
    const [, method] = methods[0];
    expect(method.Properties!.HttpMethod).toBe(route.method);
    expect(apiPath(template, method.Properties!.ResourceId)).toBe(route.path);
    expect(method.Properties!.AuthorizationType).toBe(route.auth === 'apiKey' ? 'CUSTOM' : 'NONE');
    expect(referencedIds(method.Properties!.Integration.Uri)).toContain(routeFunctionId(template, name));
  });

  it('gives every function the Lambda defaults: Node.js 24, arm64, tracing, its own log group, source maps', () => {
    // Act
    const functions = ofType(template, 'AWS::Lambda::Function');

    // Assess
    for (const [id, fn] of functions) {
      expect({ id, runtime: fn.Properties!.Runtime, arch: fn.Properties!.Architectures }).toEqual({ id, runtime: 'nodejs24.x', arch: ['arm64'] });
      expect(fn.Properties!.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties!.Environment.Variables).toMatchObject({ NODE_OPTIONS: '--enable-source-maps', [ENV.stage]: 'dev' });
      const [logGroupId] = referencedIds(fn.Properties!.LoggingConfig.LogGroup);
      expect(resource(template, logGroupId).Properties!.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('turns the Powertools Tracer off exactly in the functions built without it, and only there', () => {
    // Act
    const untraced = ofType(template, 'AWS::Lambda::Function')
      .filter(([, fn]) => fn.Properties!.Environment.Variables.POWERTOOLS_TRACE_ENABLED === 'false')
      .map(([id]) => id)
      .sort();

    // Assess
    const expected = routeNames.filter((name) => UNTRACED_FUNCTIONS.has(ROUTES[name].fn)).map((name) => routeFunctionId(template, name)).sort();
    expect(expected).toHaveLength(UNTRACED_FUNCTIONS.size);
    expect(untraced).toEqual(expected);
  });

  it.each(routeNames)('lets %s finish within API Gateway\'s 29 s integration timeout', (name) => {
    // Assess
    expect(resource(template, routeFunctionId(template, name)).Properties!.Timeout).toBeLessThanOrEqual(29);
  });

  it('protects apiKey routes with a REQUEST authorizer on the CX-API-Key header with a cached result', () => {
    // Assess
    template.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: `method.request.header.${AUTHORIZER.header}`,
      AuthorizerResultTtlInSeconds: AUTHORIZER.cacheTtlSeconds,
    });
  });

  it.each(['UNAUTHORIZED', 'ACCESS_DENIED'])('answers %s with a JSON 401 in the API error shape', (type) => {
    // Act
    const [, response] = ofType(template, 'AWS::ApiGateway::GatewayResponse').find(([, r]) => r.Properties!.ResponseType === type)!;

    // Assess
    expect(response.Properties!.StatusCode).toBe('401');
    expect(JSON.parse(response.Properties!.ResponseTemplates['application/json'])).toEqual({ ...UNAUTHORIZED_BODY, requestId: '$context.requestId' });
  });

  it('answers every API Gateway error in the API error shape with a stable code', () => {
    // Act
    const bodies = ofType(template, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => JSON.parse(r.Properties!.ResponseTemplates['application/json']));

    // Assess
    expect(bodies.length).toBeGreaterThanOrEqual(5);
    for (const body of bodies) {
      expect(Object.keys(ERROR_CODES)).toContain(body.error.code);
      expect(body.requestId).toBe('$context.requestId');
    }
  });

  it('throttles the stage', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
    });
  });

  it('lets only the writing routes write to the table, and only the set routes and the payment use idempotency records', () => {
    // Act
    const access = Object.fromEntries(
      routeNames.map((name) => {
        const actions = roleActions(template, routeFunctionId(template, name));
        const env = resource(template, routeFunctionId(template, name)).Properties!.Environment.Variables;
        return [name, { writes: WRITES.some((a) => actions.includes(a)), idempotency: ENV.idempotencyTable in env }];
      }),
    );

    // Assess
    const writers = ['setServiceLocation', 'setCustomer', 'setStatement', 'setStatements', 'payStatement', 'refundPayment', 'replayWebhookDeliveries', 'stripeWebhook'];
    for (const name of routeNames) {
      expect({ name, writes: access[name].writes }).toEqual({ name, writes: writers.includes(name) });
      expect({ name, idempotency: access[name].idempotency }).toEqual({ name, idempotency: ['setServiceLocation', 'setCustomer', 'setStatement', 'setStatements', 'payStatement', 'refundPayment'].includes(name) });
    }
    const authorizerActions = roleActions(template, logicalId(template, 'AWS::Lambda::Function', `Api${pascalCase(AUTHORIZER.fn)}Function`));
    expect(authorizerActions).toContain('dynamodb:GetItem');
    expect(WRITES.filter((a) => authorizerActions.includes(a))).toEqual([]);
  });

  it('lets only setStatement write attachments, and only the routes that serve them read', () => {
    // Act
    const s3Actions = (name: RouteName) => roleActions(template, routeFunctionId(template, name)).filter((a) => a.startsWith('s3:'));

    // Assess
    expect(s3Actions('setStatement')).toEqual(expect.arrayContaining(['s3:PutObject', 's3:GetObject*']));
    expect(s3Actions('statementAttachment')).toEqual(expect.arrayContaining(['s3:GetObject*']));
    expect(s3Actions('statementAttachment')).not.toContain('s3:PutObject');
    for (const name of ['getCustomer', 'listCustomers', 'payStatement', 'setCustomer', 'tinyLink'] as RouteName[]) {
      expect({ name, s3: s3Actions(name) }).toEqual({ name, s3: [] });
    }
  });
});
