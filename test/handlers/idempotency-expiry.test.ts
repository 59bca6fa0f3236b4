import type { APIGatewayProxyEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { lambdaContext } from '../../bin/local/lambda-context';
import { MERCHANT_IDEMPOTENCY_SECONDS } from '../../functions/shared/adapters/idempotency';
import { merchantWithLocation, type Merchant } from '../support/api';
import { createCustomer, statementBody } from '../support/fixtures';
import { addSeconds, testNow } from '../support/clock';

/**
 * Idempotency records expire after a day. Powertools reads `Date.now()` itself, so this test moves
 * the process's Date with Jest's fake timers (timers and the event loop keep real time) and calls
 * the setStatement handler in process, as API Gateway would.
 */
let handler: typeof import('../../functions/set-statement/handler').handler;
let merchant: Merchant;

const setStatementEvent = (locationId: string, body: unknown, idempotencyKey: string): APIGatewayProxyEvent =>
  ({
    resource: '/setStatement',
    path: '/setStatement',
    httpMethod: 'POST',
    headers: { 'content-type': 'application/json', 'Idempotency-Key': idempotencyKey },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: randomUUID(), stage: 'local', domainName: 'localhost', authorizer: { locationId } } as never,
  }) as APIGatewayProxyEvent;

const versionOf = (result: { body: string }) => (JSON.parse(result.body) as { version: number }).version;

beforeAll(async () => {
  ({ handler } = jest.requireActual<typeof import('../../functions/set-statement/handler')>('../../functions/set-statement/handler'));
  merchant = await merchantWithLocation();
});

afterEach(() => jest.useRealTimers());

describe('Idempotency-Key expiry on setStatement', () => {
  it('replays a retry within a day, and runs it again once the record has expired', async () => {
    const customerId = await createCustomer(merchant);
    const event = () => setStatementEvent(merchant.locationId, statementBody(customerId, { balanceDue: '12.34' }), `retry-${randomUUID()}`);
    const first = event();
    const start = testNow();
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });

    const original = await handler(first, lambdaContext('set-statement'));
    jest.setSystemTime(addSeconds(start, MERCHANT_IDEMPOTENCY_SECONDS - 60));
    const withinADay = await handler({ ...first }, lambdaContext('set-statement'));
    jest.setSystemTime(addSeconds(start, MERCHANT_IDEMPOTENCY_SECONDS + 60));
    const afterExpiry = await handler({ ...first }, lambdaContext('set-statement'));

    expect(withinADay.body).toBe(original.body);
    expect(versionOf(afterExpiry)).toBe(versionOf(original) + 1);
  });
});
