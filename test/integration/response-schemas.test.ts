import type * as z from '../../functions/domain/zod';
import { ROUTES, type RouteName } from '../../functions/shared/manifest';
import { loadRouteSchemas } from '../../scripts/openapi/document';
import { merchantWithLocation, type ApiResponse, type Merchant } from '../support/api';
import { createCustomer, statementBody, tinyPdf } from '../support/fixtures';
import { openPayForm, postPayForm } from '../support/payments';

/**
 * Every JSON route's 2xx body against the `response` schema its schema.ts exports (the one
 * docs/openapi.json documents). The shared views are strict objects, so a field the handler
 * returns but the schema does not document fails here.
 */
const jsonRoutes = (Object.keys(ROUTES) as RouteName[]).filter((name) => ROUTES[name].auth === 'apiKey');

const responseSchema = (name: RouteName): z.ZodMiniType => {
  const { response } = loadRouteSchemas(ROUTES[name]);
  if (!response) throw new Error(`functions/${ROUTES[name].fn}/schema.ts exports no \`response\``);
  return response;
};

const call = (merchant: Merchant, name: RouteName, options: Parameters<Merchant['call']>[2] = {}) =>
  merchant.call(ROUTES[name].method, ROUTES[name].path, options);

describe('response schemas', () => {
  const answers = new Map<RouteName, ApiResponse>();

  beforeAll(async () => {
    // Prepare: one merchant walks every happy path, optional fields filled so they are checked too.
    const merchant = await merchantWithLocation();
    answers.set('setServiceLocation', await call(merchant, 'setServiceLocation', {
      body: {
        name: 'Sunrise Dental',
        contactPhone: '(512) 555-0123',
        contactEmail: 'front@sunrise.example',
        address: { line1: '1 Main St', line2: null, city: 'Austin', country: 'US' },
        branding: { displayName: 'Sunrise', accentColor: '#0A7C66' },
      },
    }));
    answers.set('getServiceLocation', await call(merchant, 'getServiceLocation'));

    const customerId = await createCustomer(merchant, {
      primaryEmail: 'john@example.com',
      externalId: `ext-${Date.now()}`,
      address: { line1: '2 Oak Ave', city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' },
    });
    answers.set('setCustomer', await call(merchant, 'setCustomer', { body: { id: customerId, lastName: 'Smyth' } }));
    answers.set('getCustomer', await call(merchant, 'getCustomer', { query: { id: customerId } }));
    answers.set('listCustomers', await call(merchant, 'listCustomers'));

    const navigable = { 'Location-As-Navigable-Url': 'true' };
    const statement = statementBody(customerId, {
      dueDate: '2020-03-10',
      memo: 'Cleaning',
      attachment: { fileName: 'statement.pdf', content: tinyPdf().toString('base64') },
    });
    answers.set('setStatement', await call(merchant, 'setStatement', { body: statement, headers: navigable }));

    const other = await createCustomer(merchant);
    answers.set('setStatements', await call(merchant, 'setStatements', { body: { statements: [statementBody(other), { customerId: other }] }, headers: navigable }));

    const statementUrl = answers.get('setStatement')!.headers.get('location')!;
    const paid = await postPayForm(statementUrl, { ...(await openPayForm(statementUrl)), amount: '40.00' });
    if (paid.status !== 200) throw new Error(`payment failed: ${paid.status}`);
    answers.set('getStatement', await call(merchant, 'getStatement', { query: { customerId }, headers: navigable }));
    const [payment] = (await call(merchant, 'listPayments', { query: { customerId } })).body.items;
    answers.set('refundPayment', await call(merchant, 'refundPayment', { body: { paymentId: payment.id, amount: '5.00', reason: 'requested_by_customer' } }));
    answers.set('listPayments', await call(merchant, 'listPayments', { query: { customerId } }));

    answers.set('listNotifications', await call(merchant, 'listNotifications', { query: { customerId } }));
    answers.set('listWebhookDeliveries', await call(merchant, 'listWebhookDeliveries'));
    answers.set('replayWebhookDeliveries', await call(merchant, 'replayWebhookDeliveries', { body: { all: true } }));
  });

  it.each(jsonRoutes)('%s answers 2xx with a body its response schema accepts', (name) => {
    // Act
    const answer = answers.get(name);
    const parsed = answer && responseSchema(name).safeParse(answer.body);

    // Assess
    expect(answer?.status).toBeGreaterThanOrEqual(200);
    expect(answer?.status).toBeLessThan(300);
    expect(parsed?.error?.issues ?? []).toEqual([]);
  });

  it('fills the optional fields the schemas describe, so they are checked too', () => {
    // Assess
    expect(answers.get('getServiceLocation')!.body).toMatchObject({ contactPhone: '+15125550123', address: { line2: null }, branding: { displayName: 'Sunrise' } });
    expect(answers.get('getCustomer')!.body).toMatchObject({ primaryEmail: 'john@example.com', externalId: expect.any(String), address: { region: 'TX' } });
    expect(answers.get('getStatement')!.body).toMatchObject({ dueDate: '2020-03-10', memo: 'Cleaning', attachment: { fileName: 'statement.pdf' }, amountPaid: '40.00' });
    expect(answers.get('listPayments')!.body.items).toHaveLength(1);
  });

  it('sends Location and Link on setStatement and getStatement when asked for navigable URLs', () => {
    // Assess
    for (const name of ['setStatement', 'getStatement'] as const) {
      const { headers } = answers.get(name)!;
      expect(headers.get('location')).toMatch(/^https?:\/\/.+\/s\//);
      expect(headers.get('link')).toMatch(/^<https?:\/\/.+\/t\/[^>]+>; rel="shortlink"$/);
      expect(Object.keys(loadRouteSchemas(ROUTES[name]).responseHeaders?.shape ?? {})).toEqual(['Location', 'Link']);
    }
  });

  it('rejects a field the schema does not document', () => {
    // Act
    const withExtra = { ...answers.get('getCustomer')!.body, internalNote: 'x' };

    // Assess
    expect(responseSchema('getCustomer').safeParse(withExtra).success).toBe(false);
  });
});
