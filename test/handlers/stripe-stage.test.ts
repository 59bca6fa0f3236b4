import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { merchantWithLocation, type Merchant } from '../support/api';
import { testClients } from '../support/clients';
import { stackInfo } from '../support/stack-info';
import { context, pageEvent, payEvent } from '../support/page-events';
import { customerWithStatement, openPayForm } from '../support/payments';
import { cardExpiry } from '../support/clock';

// These handlers run in process as a Stripe stage's Lambdas would; the local stack's own (sandbox)
// functions serve the merchant API calls that prepare the data.
process.env.PAYMENT_GATEWAY = 'stripe';

const { handler: statementPage } = require('../../functions/statement-page/handler') as typeof import('../../functions/statement-page/handler');
const { handler: payStatement } = require('../../functions/pay-statement/handler') as typeof import('../../functions/pay-statement/handler');
const { handler: getServiceLocation } = require('../../functions/get-service-location/handler') as typeof import('../../functions/get-service-location/handler');
const { locationsRepo } = require('../../functions/shared/repos/locations') as typeof import('../../functions/shared/repos/locations');

const page = (token: string, query?: Record<string, string>) =>
  statementPage(pageEvent({ method: 'GET', resource: '/s/{token}', path: `/s/${token}`, pathParameters: { token }, query }), context('statement-page')) as Promise<APIGatewayProxyResult>;

/** getServiceLocation as API Gateway calls it after the authorizer let the key through. */
const serviceLocation = async (merchant: Merchant) => {
  const event = {
    resource: '/getServiceLocation', path: '/getServiceLocation', httpMethod: 'GET', headers: {}, multiValueHeaders: {}, queryStringParameters: null,
    multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false,
    requestContext: { requestId: randomUUID(), stage: 'local', authorizer: { locationId: merchant.locationId } },
  } as unknown as APIGatewayProxyEvent;
  const result = (await getServiceLocation(event, context('get-service-location'))) as APIGatewayProxyResult;
  return JSON.parse(result.body);
};

const repo = () => locationsRepo(stackInfo().names.table, testClients().documents);

describe('a Stripe stage', () => {
  afterAll(() => {
    delete process.env.PAYMENT_GATEWAY;
  });

  it('shows a location without a connected account its statement with whom to contact, and no card form', async () => {
    // Prepare
    const merchant = await merchantWithLocation({ name: 'Lakeside Clinic', contactPhone: '+15125550123', contactEmail: 'billing@lakeside.example' });
    const { token } = await customerWithStatement(merchant);

    // Act
    const statement = await page(token);
    const form = await page(token, { pay: '1' });

    // Assess
    for (const response of [statement, form]) {
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('Statement');
      expect(response.body).toContain('Online payment is not available for this statement. Please contact Lakeside Clinic ((512) 555-0123, billing@lakeside.example) to pay.');
      expect(response.body).not.toContain('PAY NOW');
      expect(response.body).not.toContain('name="cardNumber"');
    }
    expect(await serviceLocation(merchant)).toMatchObject({ name: 'Lakeside Clinic', cardPayments: { available: false, processor: 'stripe' } });
  });

  it('refuses a posted payment for such a location without calling any processor (409, nothing recorded)', async () => {
    // Prepare: a form rendered while the stage was still on the sandbox
    const merchant = await merchantWithLocation({ name: 'Hillside Vets' });
    const { token, statementUrl, customerId } = await customerWithStatement(merchant);
    delete process.env.PAYMENT_GATEWAY;
    const hidden = await openPayForm(statementUrl);
    process.env.PAYMENT_GATEWAY = 'stripe';

    // Act
    const response = (await payStatement(
      payEvent(token, { ...hidden, amount: '10.00', nameOnCard: 'Jane Doe', cardNumber: '4111 1111 1111 1111', expiry: cardExpiry(4).text, cvv: '123' }),
      context('pay-statement'),
    )) as APIGatewayProxyResult;

    // Assess
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('Online payment is not available');
    const { Items } = await testClients().documents.send(
      new QueryCommand({ TableName: stackInfo().names.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}` } }),
    );
    expect((Items ?? []).filter((item) => item.type === 'PAYMENT')).toEqual([]);
  });

  it('says a location with a connected account takes cards, and offers PAY NOW again', async () => {
    // Prepare
    const merchant = await merchantWithLocation({ name: 'Riverside Dental' });
    const { token } = await customerWithStatement(merchant);

    // Act
    await repo().setProcessor(merchant.locationId, { processor: 'stripe', accountId: 'acct_1RiversideDental', connectedAt: new Date().toISOString() });

    // Assess
    expect(await serviceLocation(merchant)).toMatchObject({ cardPayments: { available: true, processor: 'stripe' } });
    const statement = await page(token);
    expect(statement.body).toContain('PAY NOW');
    expect(statement.body).not.toContain('Online payment is not available');
  });
});
