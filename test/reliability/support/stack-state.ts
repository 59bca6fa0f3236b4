import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Merchant } from '../../support/api';
import { testClients } from '../../support/clients';
import { stackInfo } from '../../support/stack-info';

/** Items in each table, counted with a paginated Scan (Select COUNT). */
export const tableCounts = async () => {
  const count = async (TableName: string) => {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await testClients().documents.send(new ScanCommand({ TableName, Select: 'COUNT', ExclusiveStartKey: start }));
      total += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return total;
  };
  const { table, idempotencyTable } = stackInfo().names;
  return { table: await count(table), idempotency: await count(idempotencyTable) };
};

/** Everything a merchant can read through the list and get routes, as one comparable value. */
export const merchantView = async (merchant: Merchant) => {
  const read = async (path: string, query: Record<string, string> = {}) => {
    const response = await merchant.call('GET', path, { query });
    // An error body carries this request's own id; the rest is what the merchant can see.
    const { requestId: _requestId, ...body } = (response.body ?? {}) as Record<string, unknown>;
    return { status: response.status, body };
  };
  const customers = await read('/listCustomers', { limit: '100' });
  const ids = ((customers.body?.items ?? []) as Array<{ id: string }>).map((c) => c.id);
  const perCustomer = [];
  for (const id of ids) {
    perCustomer.push({
      customer: await read('/getCustomer', { id }),
      statement: await read('/getStatement', { customerId: id }),
      notifications: await read('/listNotifications', { customerId: id }),
      payments: await read('/listPayments', { customerId: id }),
    });
  }
  return {
    location: await read('/getServiceLocation'),
    customers,
    perCustomer,
    payments: await read('/listPayments', { limit: '100' }),
    deliveries: await read('/listWebhookDeliveries', { limit: '100' }),
  };
};

/**
 * Waits until the stack has finished what earlier requests started (stream → queue → workers),
 * i.e. the table counts stay the same over `quietMs`.
 */
export const settled = async (quietMs = 1500, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  let last = JSON.stringify(await tableCounts());
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = JSON.stringify(await tableCounts());
    if (now === last) return JSON.parse(now) as Awaited<ReturnType<typeof tableCounts>>;
    if (Date.now() > deadline) throw new Error(`the stack did not settle in ${timeoutMs} ms`);
    last = now;
  }
};
