import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { lambdaContext } from '../../bin/local/lambda-context';

/** An API Gateway proxy event for a customer page route, as the stack would deliver it. */
export const pageEvent = (o: {
  method: 'GET' | 'POST';
  resource: string;
  path: string;
  pathParameters: Record<string, string>;
  query?: Record<string, string>;
  form?: Record<string, string>;
}): APIGatewayProxyEvent =>
  ({
    resource: o.resource,
    path: o.path,
    httpMethod: o.method,
    headers: o.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    multiValueHeaders: {},
    queryStringParameters: o.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: o.pathParameters,
    stageVariables: null,
    body: o.form ? new URLSearchParams(o.form).toString() : null,
    isBase64Encoded: false,
    requestContext: { requestId: randomUUID(), stage: 'local', authorizer: null } as never,
  }) as APIGatewayProxyEvent;

export const payEvent = (token: string, form: Record<string, string>) =>
  pageEvent({ method: 'POST', resource: '/s/{token}/pay', path: `/s/${token}/pay`, pathParameters: { token }, form });

export const context = (fn: string): Context => lambdaContext(fn);
