import published from '../fixtures/stripe/openapi.json';
import { startRecorder, type RecordedRequest } from '../support/stripe-recorder';
import { stripeGateway } from '../../functions/shared/adapters/gateway/stripe';

/**
 * The requests the Stripe adapter makes, checked against Stripe's published OpenAPI description
 * (request schemas of the operations it calls, extracted from github.com/stripe/openapi by
 * scripts/stripe-openapi.ts; the commit is in the fixture's `source`). No emulator serves capture,
 * cancel-after-hold or refunds on PaymentIntents, so these are checked on the wire instead of
 * against invented answers. The validator below is hand-written: it covers the schema keywords
 * these four request bodies use (object, properties, additionalProperties, enum, string, integer,
 * boolean, array, anyOf) with form-encoded values, where every scalar arrives as a string.
 */

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  items?: Schema;
  maxLength?: number;
  required?: string[];
};

const problemsOf = (value: unknown, schema: Schema, at: string): string[] => {
  if (schema.anyOf) {
    const branches = schema.anyOf.map((branch) => problemsOf(value, branch, at));
    return branches.some((p) => p.length === 0) ? [] : [`${at}: matches no anyOf branch (${branches.flat().join('; ')})`];
  }
  if (schema.enum && !schema.enum.map(String).includes(String(value))) return [`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`];
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`];
      const record = value as Record<string, unknown>;
      const missing = (schema.required ?? []).filter((key) => !(key in record)).map((key) => `${at}.${key}: required`);
      return [
        ...missing,
        ...Object.entries(record).flatMap(([key, inner]) => {
          const property = schema.properties?.[key];
          if (property) return problemsOf(inner, property, `${at}.${key}`);
          if (schema.additionalProperties === true || schema.additionalProperties === undefined && !schema.properties) return [];
          if (typeof schema.additionalProperties === 'object') return problemsOf(inner, schema.additionalProperties, `${at}.${key}`);
          return [`${at}.${key}: not in the published schema`];
        }),
      ];
    }
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, i) => problemsOf(item, schema.items ?? {}, `${at}[${i}]`)) : [`${at}: not an array`];
    case 'integer':
      return /^-?\d+$/.test(String(value)) ? [] : [`${at}: not an integer`];
    case 'boolean':
      return value === 'true' || value === 'false' ? [] : [`${at}: not a boolean`];
    case 'string':
      return typeof value === 'string' && (schema.maxLength === undefined || value.length <= schema.maxLength) ? [] : [`${at}: not a string within its length`];
    default:
      return [];
  }
};

const operations = published.operations as Record<string, Schema>;

/** The operation a request is, in the spec's path template (`/v1/payment_intents/{intent}/capture`). */
const operationOf = (request: RecordedRequest) =>
  `${request.method} ${request.path.replace(/^\/v1\/payment_intents\/[^/]+/, '/v1/payment_intents/{intent}')}`;

/**
 * Parameters the SDK's generated types (stripe 23.1.0, OpenAPI v2596) have that the newest spec3.json
 * in the stored snapshot (API 2020-08-27) does not: they are checked by the compiler instead.
 */
const NEWER_THAN_SPEC: Record<string, string[]> = {
  'POST /v1/payment_intents': ['confirmation_token', 'automatic_payment_methods.allow_redirects'],
};

const withoutNewer = (operation: string, body: Record<string, unknown>) => {
  const copy = structuredClone(body);
  for (const dotted of NEWER_THAN_SPEC[operation] ?? []) {
    const parts = dotted.split('.');
    const parent = parts.slice(0, -1).reduce<Record<string, unknown> | undefined>((node, part) => node?.[part] as Record<string, unknown> | undefined, copy);
    if (parent) delete parent[parts.at(-1)!];
  }
  return copy;
};

describe('the Stripe adapter on the wire, against Stripe\'s published OpenAPI description', () => {
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  const account = 'acct_1TestLocation00';

  beforeEach(async () => {
    recorder = await startRecorder();
  });
  afterEach(() => recorder.close());

  const gateway = () => stripeGateway({ stripe: async () => recorder.stripe, account });

  const expectPublished = (request: RecordedRequest) => {
    const operation = operationOf(request);
    const schema = operations[operation];
    expect(schema).toBeDefined();
    expect(problemsOf(withoutNewer(operation, request.body), schema, 'body')).toEqual([]);
  };

  it('creates and confirms a manual-capture PaymentIntent with the confirmation token, on the connected account, under the attempt\'s key', async () => {
    // Act
    await gateway().authorize({
      idempotencyKey: 'attempt_1', amountMinor: 4250, currency: 'USD', source: { kind: 'confirmation_token', token: 'ctoken_1Abc' }, description: 'Statement stm_1',
      attempt: { customerId: 'cus_1', locationId: 'loc_1', statementVersion: 3 },
    });

    // Assess
    const [request] = recorder.requests;
    expect(operationOf(request)).toBe('POST /v1/payment_intents');
    expect(request.headers['stripe-account']).toBe(account);
    expect(request.headers['idempotency-key']).toBe('attempt_1');
    expect(request.body).toMatchObject({
      amount: '4250', currency: 'usd', capture_method: 'manual', confirm: 'true', confirmation_token: 'ctoken_1Abc',
      metadata: { attempt: 'attempt_1', customer: 'cus_1', location: 'loc_1', statementVersion: '3' },
      automatic_payment_methods: { enabled: 'true', allow_redirects: 'never' },
    });
    expectPublished(request);
  });

  it('captures, and cancels a lost race\'s hold, with keys derived from the attempt', async () => {
    // Act
    await gateway().capture('pi_123', 'attempt_1:capture');
    await gateway().void('pi_456', 'attempt_2:void');

    // Assess
    const [capture, cancel] = recorder.requests;
    expect([capture.path, cancel.path]).toEqual(['/v1/payment_intents/pi_123/capture', '/v1/payment_intents/pi_456/cancel']);
    expect([capture.headers['idempotency-key'], cancel.headers['idempotency-key']]).toEqual(['attempt_1:capture', 'attempt_2:void']);
    expect([capture.headers['stripe-account'], cancel.headers['stripe-account']]).toEqual([account, account]);
    expect(cancel.body).toEqual({ cancellation_reason: 'abandoned' });
    expectPublished(capture);
    expectPublished(cancel);
  });

  it('refunds part of a PaymentIntent with the refund request\'s key and reads the refund id from Stripe\'s answer', async () => {
    // Act
    const result = await gateway().refund({ idempotencyKey: 'refund_r1', reference: 'pi_123', amountMinor: 500, currency: 'USD', reason: 'requested_by_customer' });

    // Assess
    const [request] = recorder.requests;
    expect(operationOf(request)).toBe('POST /v1/refunds');
    expect(request.headers['idempotency-key']).toBe('refund_r1');
    expect(request.headers['stripe-account']).toBe(account);
    expect(request.body).toEqual({ payment_intent: 'pi_123', amount: '500', reason: 'requested_by_customer', metadata: { request: 'refund_r1' } });
    expectPublished(request);
    expect(result).toEqual({ status: 'refunded', reference: published.fixtures.refund.id });
  });

  it('never sends a typed card number to Stripe', async () => {
    // Act
    const answer = await gateway().authorize({
      idempotencyKey: 'a', amountMinor: 100, currency: 'USD', description: 'x',
      source: { kind: 'card', card: { number: '4111111111111111', cvv: '123', nameOnCard: 'A', brand: 'visa', expMonth: 1, expYear: 2099 } },
    });

    // Assess
    expect(answer).toEqual({ status: 'declined', code: 'processing_error' });
    expect(recorder.requests).toEqual([]);
  });

  it('the validator refuses what the published schema does not have (so the checks above can fail)', () => {
    // Act / Assess
    expect(problemsOf({ cancellation_reason: 'changed_mind' }, operations['POST /v1/payment_intents/{intent}/cancel'], 'body')).not.toEqual([]);
    expect(problemsOf({ amount_to_refund: '5' }, operations['POST /v1/refunds'], 'body')).not.toEqual([]);
    expect(problemsOf({ amount: 'ten' }, operations['POST /v1/refunds'], 'body')).not.toEqual([]);
  });
});
