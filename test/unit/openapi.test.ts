import { readFileSync } from 'node:fs';
import { ERROR_CODES } from '../../functions/domain/error-codes';
import { AUTHORIZER, ROUTES, type RouteName } from '../../functions/shared/manifest';
import { OPENAPI_FILE, renderOpenApi } from '../../scripts/openapi';
import { loadRouteSchemas } from '../../scripts/openapi/document';

const routeNames = Object.keys(ROUTES) as RouteName[];

describe('docs/openapi.json', () => {
  let generated: string;
  let document: any;

  beforeAll(() => {
    // Prepare
    generated = renderOpenApi();
    document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
  });

  it('is up to date with ROUTES and the handlers\' schemas (run `npm run openapi` when this fails)', () => {
    // Act
    const committed = readFileSync(OPENAPI_FILE, 'utf8');

    // Assess
    expect(committed === generated ? 'up to date' : 'stale: run `npm run openapi` and commit docs/openapi.json').toBe('up to date');
  });

  it('is OpenAPI 3.1', () => {
    // Assess
    expect(document.openapi).toBe('3.1.0');
  });

  it.each(routeNames)('describes the route %s', (name) => {
    // Act
    const route = ROUTES[name];
    const operation = document.paths[route.path]?.[route.method.toLowerCase()];

    // Assess
    expect(operation).toMatchObject({ operationId: name, summary: route.summary });
    expect(operation.security).toEqual(route.auth === 'apiKey' ? [{ CxApiKey: [] }] : []);
    expect(Object.keys(operation.responses).some((status) => status.startsWith('2') || status.startsWith('3'))).toBe(true);
  });

  it('documents the CX-API-Key security scheme', () => {
    // Assess
    expect(document.components.securitySchemes.CxApiKey).toMatchObject({ type: 'apiKey', in: 'header', name: AUTHORIZER.header });
  });

  it('documents the one error shape with every stable error code', () => {
    // Act
    const schema = document.components.schemas.ErrorResponse;

    // Assess
    expect(schema.properties.error.properties.code.enum).toEqual(Object.keys(ERROR_CODES));
    expect(Object.keys(schema.properties.error.properties)).toEqual(['code', 'message', 'fields']);
    expect(schema.properties).toHaveProperty('requestId');
    for (const code of Object.keys(ERROR_CODES)) expect(document.info.description).toContain(`\`${code}\``);
  });

  it('documents Idempotency-Key on the three set routes', () => {
    // Assess
    for (const name of ['setServiceLocation', 'setCustomer', 'setStatement'] as const) {
      const parameters = document.paths[ROUTES[name].path].post.parameters as Array<{ name: string; in: string }>;
      expect(parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    }
  });

  it.each(routeNames.filter((name) => ROUTES[name].auth === 'apiKey'))('documents the 2xx JSON body of %s with its own schema', (name) => {
    // Act
    const route = ROUTES[name];
    const operation = document.paths[route.path][route.method.toLowerCase()];

    // Assess
    expect(loadRouteSchemas(route).response).toBeDefined();
    expect(operation.responses[200].content['application/json'].schema.description).not.toBe('See the route description.');
  });

  it('documents the Location and Link headers of setStatement and getStatement', () => {
    // Assess
    for (const name of ['setStatement', 'getStatement'] as const) {
      const route = ROUTES[name];
      const headers = document.paths[route.path][route.method.toLowerCase()].responses[200].headers;
      expect(Object.keys(headers)).toEqual(['Location', 'Link']);
      expect(headers.Location.required).toBe(false);
    }
  });

  it('describes the customer pages as HTML or redirects, never JSON', () => {
    // Assess
    // Customer pages have no key and answer HTML; Stripe's webhook route has no key either but answers Stripe in JSON.
    for (const name of routeNames.filter((n) => ROUTES[n].auth === 'none' && ROUTES[n].responds !== 'json')) {
      const route = ROUTES[name];
      const responses = document.paths[route.path][route.method.toLowerCase()].responses as Record<string, { content?: object }>;
      for (const response of Object.values(responses)) expect(Object.keys(response.content ?? {})).not.toContain('application/json');
    }
  });

  it('refuses to generate when a route has no schema.ts', () => {
    // Act / Assess
    expect(() => loadRouteSchemas({ method: 'GET', path: '/nothing', fn: 'no-such-function', auth: 'apiKey', summary: 'x', responds: 'json', access: { table: 'RO' } })).toThrow(
      'GET /nothing: functions/no-such-function/schema.ts is missing',
    );
  });
});
