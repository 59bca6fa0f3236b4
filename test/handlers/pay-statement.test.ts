import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { merchantWithLocation, type Merchant } from '../support/api';
import { testClients } from '../support/clients';
import { stackInfo } from '../support/stack-info';
import { context, payEvent } from '../support/page-events';
import { customerWithStatement, openPayForm } from '../support/payments';
import { cardCodeFieldContext } from '../support/card-fields';
import { cardExpiry } from '../support/clock';

// Some gateway latency keeps the races real: every duplicate arrives while the first is in flight.
process.env.SANDBOX_GATEWAY_LATENCY_MS = '150';
// Log everything the code could log, so the card-data scan below sees the most output.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';

const { handler } = require('../../functions/pay-statement/handler') as typeof import('../../functions/pay-statement/handler');
const { sandboxInstance } = require('../../functions/shared/adapters/gateway') as typeof import('../../functions/shared/adapters/gateway');
const { attemptIdFor } = require('../../functions/domain/payments') as typeof import('../../functions/domain/payments');

const pay = (token: string, form: Record<string, string>) =>
  handler(payEvent(token, form), context('pay-statement')) as Promise<APIGatewayProxyResult>;

const card = { nameOnCard: 'Jane Doe', cardNumber: '4111 1111 1111 1111', expiry: cardExpiry(4).text, cvv: '123' };

const statementOf = async (customerId: string) => {
  const { Items } = await testClients().documents.send(
    new ScanCommand({ TableName: stackInfo().names.table, FilterExpression: 'customerId = :c', ExpressionAttributeValues: { ':c': customerId } }),
  );
  return {
    statement: Items!.find((i) => i.type === 'STATEMENT')!,
    payments: Items!.filter((i) => i.type === 'PAYMENT'),
  };
};

const paymentIdIn = (html: string) => /pay_[0-9A-Z]{26}/.exec(html)?.[0];

describe('pay-statement handler', () => {
  let merchant: Merchant;
  beforeAll(async () => {
    merchant = await merchantWithLocation();
  });

  it('charges once and records one payment for 20 concurrent submissions of the same form, all showing the same receipt', async () => {
    const { token, statementUrl, customerId } = await customerWithStatement(merchant);
    const form = { ...card, ...(await openPayForm(statementUrl)), amount: '100.00' };

    const responses = await Promise.all(Array.from({ length: 20 }, () => pay(token, form)));

    const { statement, payments } = await statementOf(customerId);
    const attempt = attemptIdFor(token, form.idempotencyKey);
    const charges = sandboxInstance().ledger().filter((a) => a.idempotencyKey === attempt);
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(new Set(responses.map((r) => paymentIdIn(r.body))).size).toBe(1);
    expect(paymentIdIn(responses[0].body)).toBe(payments[0]?.paymentId);
    expect(payments).toHaveLength(1);
    expect(charges).toHaveLength(1);
    expect(charges[0].state).toBe('captured');
    expect(statement).toMatchObject({ paidMinor: 10000, remainingMinor: 0 });
  });

  it('never takes the balance below zero when several tabs pay more than the balance at once', async () => {
    const { token, statementUrl, customerId } = await customerWithStatement(merchant);
    const forms = await Promise.all(Array.from({ length: 6 }, async () => ({ ...card, ...(await openPayForm(statementUrl)), amount: '30.00' })));

    const responses = await Promise.all(forms.map((form) => pay(token, form)));

    const { statement, payments } = await statementOf(customerId);
    const attempts = new Set(forms.map((f) => attemptIdFor(token, f.idempotencyKey)));
    const ledger = sandboxInstance().ledger().filter((a) => attempts.has(a.idempotencyKey));
    expect(payments).toHaveLength(3);
    expect(statement).toMatchObject({ paidMinor: 9000, remainingMinor: 1000 });
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(3);
    expect(responses.filter((r) => r.statusCode !== 200).every((r) => r.body.includes('You have not been charged'))).toBe(true);
    // Every hold that did not become a recorded payment was released: captured == recorded.
    expect(ledger.filter((a) => a.state === 'captured')).toHaveLength(3);
    expect(ledger.filter((a) => a.state === 'authorized')).toHaveLength(0);
  });

  it('lets two tabs pay 60 each on 100: one is paid, the other is refused without a charge', async () => {
    const { token, statementUrl, customerId } = await customerWithStatement(merchant);
    const [tabA, tabB] = [
      { ...card, ...(await openPayForm(statementUrl)), amount: '60.00' },
      { ...card, ...(await openPayForm(statementUrl)), amount: '60.00' },
    ];

    const [a, b] = await Promise.all([pay(token, tabA), pay(token, tabB)]);

    const { statement, payments } = await statementOf(customerId);
    expect([a, b].filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect([a, b].find((r) => r.statusCode !== 200)!.body).toContain('You have not been charged');
    expect(payments).toHaveLength(1);
    expect(statement.remainingMinor).toBe(4000);
  });
});

describe('a duplicate submission while the first is still at the gateway', () => {
  it('waits for the first and then shows "processing", never an error that invites paying again', async () => {
    const merchant = await merchantWithLocation();
    const { token, statementUrl, customerId } = await customerWithStatement(merchant);
    const form = { ...card, ...(await openPayForm(statementUrl)), amount: '100.00' };
    const gateway = sandboxInstance();
    const authorize = gateway.authorize.bind(gateway);
    // A processor that takes longer than the duplicate is willing to wait (8 s).
    const slow = jest.spyOn(gateway, 'authorize').mockImplementation(async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 9_000));
      return authorize(request);
    });

    try {
      const first = pay(token, form);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const duplicate = await pay(token, form);
      const firstResult = await first;
      const replay = await pay(token, form);

      const { payments } = await statementOf(customerId);
      expect(duplicate.statusCode).toBe(202);
      expect(duplicate.body).toContain('Please do not pay again');
      expect(duplicate.body).not.toContain('name="cardNumber"');
      expect(firstResult.statusCode).toBe(200);
      expect(replay.statusCode).toBe(200);
      expect(paymentIdIn(replay.body)).toBe(paymentIdIn(firstResult.body));
      expect(payments).toHaveLength(1);
    } finally {
      slow.mockRestore();
    }
  }, 30_000);
});

describe('card data', () => {
  it('never reaches the table, the idempotency records, the queues or the logs', async () => {
    const merchant = await merchantWithLocation();
    // Amex cards: their 4-digit CVVs cannot be confused with timestamps in the scanned data.
    const approved = { nameOnCard: 'Jane Doe', cardNumber: '3782 822463 10005', expiry: cardExpiry(5).text, cvv: '8642' };
    const declined = { nameOnCard: 'Jane Doe', cardNumber: '3714 496353 98431', expiry: cardExpiry(6).text, cvv: '5297' };
    const secrets = ['378282246310005', '3782 822463 10005', '8642', '371449635398431', '3714 496353 98431', '5297'];
    const logs: string[] = [];
    const capture = (stream: NodeJS.WriteStream) => {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        logs.push(String(chunk));
        return original(chunk as never, ...(rest as []));
      }) as typeof stream.write;
      return () => (stream.write = original);
    };
    const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
    const originals = consoleMethods.map((m) => console[m]);
    consoleMethods.forEach((m) => (console[m] = (...args: unknown[]) => logs.push(args.map(String).join(' '))));
    const restoreOut = capture(process.stdout);
    const restoreErr = capture(process.stderr);
    let results: APIGatewayProxyResult[];
    let customerId: string;
    try {
      const links = await customerWithStatement(merchant);
      customerId = links.customerId;
      const form = await openPayForm(links.statementUrl);
      results = [
        await pay(links.token, { ...declined, ...(await openPayForm(links.statementUrl)), amount: '20.00' }),
        await pay(links.token, { ...approved, ...form, amount: '20.00' }),
        await pay(links.token, { ...approved, ...form, amount: '20.00' }),
        await pay(links.token, { ...approved, ...(await openPayForm(links.statementUrl)), amount: '0.50' }),
      ];
    } finally {
      restoreOut();
      restoreErr();
      consoleMethods.forEach((m, i) => (console[m] = originals[i]));
    }
    const { documents, sqs } = testClients();
    const { names } = stackInfo();
    const tableItems = (await documents.send(new ScanCommand({ TableName: names.table }))).Items ?? [];
    const idempotencyItems = (await documents.send(new ScanCommand({ TableName: names.idempotencyTable }))).Items ?? [];
    const messages: string[] = [];
    for (const queue of Object.values(names.queues)) {
      for (const url of [queue.url, queue.dlqUrl]) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
        messages.push(...(Messages ?? []).map((m) => m.Body ?? ''));
      }
    }
    const outbox = await (await fetch(new URL('/_local/outbox.json', stackInfo().url))).text();

    expect(results.map((r) => r.statusCode)).toEqual([402, 200, 200, 400]);
    expect(tableItems.some((i) => i.customerId === customerId && i.type === 'PAYMENT' && i.cardLast4 === '0005')).toBe(true);
    expect(logs.join('').length).toBeGreaterThan(0);
    const haystacks = {
      table: JSON.stringify(tableItems),
      idempotency: JSON.stringify(idempotencyItems),
      queues: JSON.stringify(messages),
      outbox,
      logs: logs.join('\n'),
      pages: results.map((r) => r.body).join('\n'),
    };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of secrets) {
        const found = new RegExp(`(^|[^0-9A-Za-z])${secret}([^0-9A-Za-z]|$)`).test(text);
        expect({ where, secret, found }).toEqual({ where, secret, found: false });
      }
      // The page has a form field named cvv; stored data and logs must not even have the key.
      if (where !== 'pages') expect({ where, cvvField: cardCodeFieldContext(text) }).toEqual({ where, cvvField: undefined });
    }
  });
});
