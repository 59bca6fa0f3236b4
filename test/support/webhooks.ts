import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { ITEM_TYPES, paymentKey, paymentListIndexKey } from '../../functions/shared/table/keys';
import { TABLE } from '../../functions/shared/manifest';
import type { PaymentRecord } from '../../functions/domain/webhook-event';
import type { WebhookAdminTarget } from '../../scripts/admin/webhooks';
import { stackInfo } from './stack-info';
import { testClients } from './clients';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  at: number;
}

export type Respond = (attempt: number) => { status: number; delayMs?: number; body?: string };

/** A merchant's webhook endpoint on a random local port; `respond` decides each answer. */
export const startReceiver = async (respond: Respond = () => ({ status: 200 })) => {
  const received: ReceivedWebhook[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const answer = respond(received.length);
      const send = () => {
        if (response.destroyed) return;
        response.writeHead(answer.status, { 'content-type': 'text/plain' });
        response.end(answer.body ?? `answer ${answer.status}`);
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/hooks/payments`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** Polls `check` until it returns a value, as a test waits on asynchronous delivery. */
export const eventually = async <T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, intervalMs = 100): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

/**
 * Writes a completed PAYMENT item exactly as the data contract describes (the pay flow writes the
 * same shape), for tests that start at the webhook. The table stream turns it into a webhook job.
 * `{ quiet: true }` writes it pending first and completes it with an update, which the stream
 * router ignores (it reacts to completed INSERTs only): for tests that queue the job themselves.
 */
export const putPayment = async (
  locationId: string,
  customerId: string,
  overrides: Partial<PaymentRecord> = {},
  options: { quiet?: boolean } = {},
): Promise<PaymentRecord> => {
  const paymentId = `pay_${ulid()}`;
  const payment: PaymentRecord & Record<string, unknown> = {
    paymentId,
    locationId,
    customerId,
    statementId: `stm_${ulid()}`,
    statementVersion: 1,
    amountMinor: 4995,
    currency: 'USD',
    remainingBeforeMinor: 12000,
    remainingAfterMinor: 7005,
    cardBrand: 'visa',
    cardLast4: '4242',
    cardExpMonth: 12,
    cardExpYear: 2030,
    gatewayReference: `sbx_${ulid()}`,
    completedAt: new Date().toISOString(),
    status: 'completed',
    ...overrides,
  };
  const { documents } = clientsOnce();
  const TableName = stackInfo().names.table;
  await documents.send(
    new PutCommand({
      TableName,
      Item: { ...paymentKey(customerId, paymentId), ...paymentListIndexKey(locationId, paymentId), [TABLE.type]: ITEM_TYPES.payment, ...payment, ...(options.quiet ? { status: 'pending' } : {}) },
    }),
  );
  if (options.quiet) {
    await documents.send(
      new UpdateCommand({ TableName, Key: paymentKey(customerId, paymentId), UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'completed' } }),
    );
  }
  return payment;
};

let shared: ReturnType<typeof testClients> | undefined;
/** One set of clients for this file's helpers; `closeWebhookClients` in afterAll lets Jest exit. */
const clientsOnce = () => (shared ??= testClients());
export const closeWebhookClients = () => {
  shared?.sqs.destroy();
  shared?.dynamo.destroy();
  shared = undefined;
};

/** The admin commands' target: the test run's local stack. */
export const adminTarget = (overrides: Partial<WebhookAdminTarget> = {}): WebhookAdminTarget => {
  const clients = clientsOnce();
  return {
    tableName: stackInfo().names.table,
    documents: clients.documents,
    sqs: clients.sqs,
    webhookQueueUrl: stackInfo().names.queues.webhook.url,
    allowLoopback: true,
    ...overrides,
  };
};
