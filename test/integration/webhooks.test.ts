import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { merchantWithLocation, type Merchant } from '../support/api';
import { createCustomer, statementBody } from '../support/fixtures';
import { openPayForm, postPayForm } from '../support/payments';
import { stackInfo } from '../support/stack-info';
import { adminTarget, closeWebhookClients, eventually, putPayment, startReceiver } from '../support/webhooks';
import { setWebhook } from '../../scripts/admin/webhooks';
import { testNow } from '../support/clock';
import { WEBHOOK_LANES_PER_LOCATION } from '../../functions/shared/manifest';

/**
 * End to end on the local stack: payment → table stream → stream router → webhook queue →
 * push-webhook (the local SQS poller) → a receiver that verifies signatures with the secret the
 * admin CLI printed. The stack runs the compressed retry schedule 0,1,1,1 (test/support/global-setup.ts).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

/** `npm run admin -- <args> --json` against this test run's stack. */
const admin = async (...args: string[]) => {
  const { stdout } = await run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/admin.ts', ...args, '--json'], {
    cwd: ROOT,
    env: { ...process.env, PORT: new URL(stackInfo().url).port },
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, any>;
};

const adminFails = async (...args: string[]) =>
  run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/admin.ts', ...args, '--json'], { cwd: ROOT, env: { ...process.env, PORT: new URL(stackInfo().url).port } }).then(
    () => undefined,
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );

/** Pays a customer's statement through the card form, as the customer's browser does. */
const payByCard = async (merchant: Merchant, externalId: string, amount: string) => {
  const customerId = await createCustomer(merchant, { externalId });
  const response = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '120.00' }), headers: { 'Location-As-Navigable-Url': 'true' } });
  const statementUrl = response.headers.get('location')!;
  const paid = await postPayForm(statementUrl, { ...(await openPayForm(statementUrl)), amount });
  if (paid.status !== 200) throw new Error(`payment failed: ${paid.status}`);
  return { customerId, statementId: response.body.id as string, statementVersion: response.body.version as number };
};

const deliveriesOf = async (merchant: Merchant, query: Record<string, string> = {}) => (await merchant.call('GET', '/listWebhookDeliveries', { query })).body.items as any[];
/** Waits until the merchant has deliveries with this status, and returns them. */
const deliveriesWhenAny = (merchant: Merchant, status: string) =>
  eventually(() => deliveriesOf(merchant, { status }).then((items) => (items.length ? items : undefined)));

afterAll(() => closeWebhookClients());

describe('payment webhooks', () => {
  it('pushes one signed payment.completed event that verifies with the secret from set-webhook', async () => {
    const receiver = await startReceiver();
    const merchant = await merchantWithLocation();
    const { secret } = await admin('set-webhook', '--location', merchant.locationId, '--url', receiver.url);

    const paid = await payByCard(merchant, 'ACCT-1001', '49.95');

    await eventually(() => receiver.received[0]);
    const [request] = receiver.received;
    expect(secret).toMatch(/^whsec_/);
    const event = new Webhook(secret).verify(request.body, request.headers) as any;
    expect(event).toMatchObject({
      id: request.headers['webhook-id'],
      type: 'payment.completed',
      version: 1,
      locationId: merchant.locationId,
      data: {
        customer: { id: paid.customerId, externalId: 'ACCT-1001' },
        statement: { id: paid.statementId, version: paid.statementVersion },
        amount: { amountMinor: 4995, amount: '49.95', currency: 'USD' },
        balanceBefore: { amountMinor: 12000, amount: '120.00', currency: 'USD' },
        remainingAfter: { amountMinor: 7005, amount: '70.05', currency: 'USD' },
        card: { brand: expect.any(String), last4: '1111' },
        gatewayReference: expect.any(String),
      },
    });
    expect(request.body).not.toContain('4111 1111 1111 1111');
    const [delivery] = await eventually(async () => {
      const items = await deliveriesOf(merchant);
      return items[0]?.status === 'delivered' ? items : undefined;
    });
    expect(delivery).toMatchObject({ eventId: event.id, paymentId: event.data.paymentId, attemptCount: 1, attempts: [{ statusCode: 200, latencyMs: expect.any(Number) }] });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.received).toHaveLength(1);
    const outbox = (await (await fetch(`${stackInfo().url}/_local/outbox.json`)).json()) as { webhooks: unknown[] };
    expect(outbox.webhooks).toEqual(expect.arrayContaining([expect.objectContaining({ deliveryId: delivery.id, statusCode: 200, webhookId: event.id })]));
    await receiver.close();
  });

  it('delivers on the 4th attempt after three failures, with the same webhook-id every time', async () => {
    const receiver = await startReceiver((n) => ({ status: n <= 3 ? 500 : 200, body: n <= 3 ? 'database is down' : 'ok' }));
    const merchant = await merchantWithLocation();
    const { secret } = await admin('set-webhook', '--location', merchant.locationId, '--url', receiver.url);

    await putPayment(merchant.locationId, `cus_${Date.now()}`);

    const [delivery] = await eventually(async () => {
      const items = await deliveriesOf(merchant);
      return items[0]?.status === 'delivered' ? items : undefined;
    });
    expect(receiver.received).toHaveLength(4);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery.eventId]));
    receiver.received.forEach((r) => expect(() => new Webhook(secret).verify(r.body, r.headers)).not.toThrow());
    expect(delivery.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 500, 200]);
    expect(delivery.attempts[0].responseExcerpt).toBe('database is down');
    await receiver.close();
  });

  it('parks a delivery when the receiver is down for the whole schedule; replay delivers it', async () => {
    let up = false;
    const receiver = await startReceiver(() => ({ status: up ? 204 : 503 }));
    const merchant = await merchantWithLocation();
    await admin('set-webhook', '--location', merchant.locationId, '--url', receiver.url);

    await putPayment(merchant.locationId, `cus_${Date.now()}`);

    const [parked] = await deliveriesWhenAny(merchant, 'parked');
    expect(parked).toMatchObject({ status: 'parked', attemptCount: 4, parkReason: expect.stringContaining('503') });
    expect(await deliveriesOf(merchant, { status: 'delivered' })).toEqual([]);

    up = true;
    const replay = await merchant.call('POST', '/replayWebhookDeliveries', { body: { all: true } });

    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ replayed: [parked.id] });
    const [delivered] = await deliveriesWhenAny(merchant, 'delivered');
    expect(delivered.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([503, 503, 503, 503, 204]);
    expect((await merchant.call('POST', '/replayWebhookDeliveries', { body: { deliveryId: parked.id } })).body.error.code).toBe('delivery_not_parked');
    await receiver.close();
  });

  it('replays one parked delivery with the admin CLI', async () => {
    let up = false;
    const receiver = await startReceiver(() => ({ status: up ? 200 : 500 }));
    const merchant = await merchantWithLocation();
    await admin('set-webhook', '--location', merchant.locationId, '--url', receiver.url);
    await putPayment(merchant.locationId, `cus_${Date.now()}`);
    const [parked] = await deliveriesWhenAny(merchant, 'parked');

    up = true;
    const result = await admin('replay-webhooks', '--location', merchant.locationId, '--delivery', parked.id);

    expect(result).toEqual({ replayed: [parked.id] });
    await deliveriesWhenAny(merchant, 'delivered');
    await receiver.close();
  });

  it('parks a replayable job in the webhook DLQ, so the generic admin redrive gives it one more attempt', async () => {
    let up = false;
    const receiver = await startReceiver(() => ({ status: up ? 200 : 500 }));
    const merchant = await merchantWithLocation();
    await admin('set-webhook', '--location', merchant.locationId, '--url', receiver.url);
    await putPayment(merchant.locationId, `cus_${Date.now()}`);
    const [parked] = await deliveriesWhenAny(merchant, 'parked');

    const listed = await eventually(async () =>
      ((await admin('list-parked', '--queue', 'webhook')).jobs as Array<Record<string, any>>).find((j) => j.job?.deliveryId === parked.id),
    );
    up = true;
    await admin('redrive', '--queue', 'webhook', '--message-id', listed.messageId);

    expect(listed.job).toMatchObject({ kind: 'webhook.replay', deliveryId: parked.id, locationId: merchant.locationId, reason: expect.any(String) });
    const [delivered] = await deliveriesWhenAny(merchant, 'delivered');
    expect(delivered.attemptCount).toBe(5);
    await receiver.close();
  });

  it("never shows or replays another location's deliveries", async () => {
    const receiver = await startReceiver(() => ({ status: 500 }));
    const owner = await merchantWithLocation();
    const other = await merchantWithLocation();
    await setWebhook(adminTarget(), { location: owner.locationId, url: receiver.url });
    await putPayment(owner.locationId, `cus_${Date.now()}`);
    const [parked] = await deliveriesWhenAny(owner, 'parked');

    const replayOne = await other.call('POST', '/replayWebhookDeliveries', { body: { deliveryId: parked.id } });
    const replayAll = await other.call('POST', '/replayWebhookDeliveries', { body: { all: true } });
    const listed = await deliveriesOf(other);
    const ownerCursor = (await owner.call('GET', '/listWebhookDeliveries', { query: { limit: '1' } })).body.nextCursor;

    expect(replayOne.status).toBe(404);
    expect(replayOne.body.error.code).toBe('webhook_delivery_not_found');
    expect(replayAll.body).toEqual({ replayed: [] });
    expect(listed).toEqual([]);
    expect(ownerCursor).toEqual(expect.any(String));
    expect((await other.call('GET', '/listWebhookDeliveries', { query: { cursor: ownerCursor } })).status).toBe(400);
    expect((await deliveriesOf(owner, { status: 'parked' }))[0].id).toBe(parked.id);
    await receiver.close();
  });

  it('names each bad field of the delivery endpoints', async () => {
    const merchant = await merchantWithLocation();

    const badReplay = await merchant.call('POST', '/replayWebhookDeliveries', { body: { deliveryId: 'nope', extra: 1 } });
    const emptyReplay = await merchant.call('POST', '/replayWebhookDeliveries', { body: {} });
    const badList = await merchant.call('GET', '/listWebhookDeliveries', { query: { status: 'lost', limit: '0' } });

    expect(badReplay.status).toBe(400);
    expect(emptyReplay.status).toBe(400);
    expect(badList.status).toBe(400);
    expect(badList.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['query.limit', 'query.status']);
  });

  it('signs with the old and the new secret after rotate-webhook-secret', async () => {
    const receiver = await startReceiver();
    const merchant = await merchantWithLocation();
    const { secret: oldSecret } = await admin('set-webhook', '--location', merchant.locationId, '--url', receiver.url);
    const rotated = await admin('rotate-webhook-secret', '--location', merchant.locationId);

    await putPayment(merchant.locationId, `cus_${Date.now()}`);

    await eventually(() => receiver.received[0]);
    const [request] = receiver.received;
    expect(rotated.secret).not.toBe(oldSecret);
    expect(Date.parse(rotated.previousSecretExpiresAt) - testNow().getTime()).toBeGreaterThan(23 * 3600 * 1000);
    expect(() => new Webhook(oldSecret).verify(request.body, request.headers)).not.toThrow();
    expect(() => new Webhook(rotated.secret).verify(request.body, request.headers)).not.toThrow();
    await receiver.close();
  });

  it('refuses internal URLs at set time, and http outside the local runtime', async () => {
    const metadata = await adminFails('set-webhook', '--location', 'loc_ssrf1', '--url', 'http://169.254.169.254/latest/meta-data/');
    const privateNet = await adminFails('set-webhook', '--location', 'loc_ssrf1', '--url', 'https://10.0.0.8/hook');

    expect(metadata).toMatchObject({ code: 1, stderr: expect.stringContaining('private, loopback, link-local or reserved') });
    expect(privateNet).toMatchObject({ code: 1 });
    await expect(setWebhook(adminTarget({ allowLoopback: false }), { location: 'loc_ssrf2', url: 'http://hooks.example.com/x' })).rejects.toThrow(/https/);
    await expect(setWebhook(adminTarget({ allowLoopback: false }), { location: 'loc_ssrf2', url: 'https://localhost/x' })).rejects.toThrow();
  });

  it('stops pushing after disable-webhook', async () => {
    const receiver = await startReceiver();
    const merchant = await merchantWithLocation();
    await admin('set-webhook', '--location', merchant.locationId, '--url', receiver.url);
    expect(await admin('disable-webhook', '--location', merchant.locationId)).toEqual({ locationId: merchant.locationId, enabled: false });

    await putPayment(merchant.locationId, `cus_${Date.now()}`);
    await new Promise((resolve) => setTimeout(resolve, 2500));

    expect(receiver.received).toHaveLength(0);
    await receiver.close();
  });

  it("does not let a slow receiver delay another location's delivery", async () => {
    const slow = await startReceiver(() => ({ status: 200, delayMs: 15_000 }));
    const fast = await startReceiver();
    const slowMerchant = await merchantWithLocation();
    const fastMerchant = await merchantWithLocation();
    await setWebhook(adminTarget(), { location: slowMerchant.locationId, url: slow.url });
    await setWebhook(adminTarget(), { location: fastMerchant.locationId, url: fast.url });

    await putPayment(slowMerchant.locationId, `cus_${Date.now()}a`);
    await eventually(() => slow.received[0], 10_000);
    const fastStarted = Date.now();
    await putPayment(fastMerchant.locationId, `cus_${Date.now()}b`);

    await eventually(() => fast.received[0], 8_000);
    expect(fast.received[0].at - fastStarted).toBeLessThan(5_000);
    const [timedOut] = await eventually(async () => {
      const items = await deliveriesOf(slowMerchant);
      return items[0]?.attempts?.length ? items : undefined;
    }, 20_000);
    expect(timedOut.attempts[0]).toMatchObject({ error: 'timeout after 10000 ms' });
    await Promise.all([slow.close(), fast.close()]);
  }, 45_000);

  // FIXME (issue 16, left open): passes alone in 8 s, but beside the rest of the suite one of the 12
  // deliveries never arrives, even in 150 s (a lane wait that never ends). Skipped until that is found.
  it("delivers one location's burst a few at a time, while another location's delivery goes straight through", async () => {
    const slowMs = 1000;
    const busy = await startReceiver(() => ({ status: 200, delayMs: slowMs }));
    const other = await startReceiver();
    const busyMerchant = await merchantWithLocation();
    const otherMerchant = await merchantWithLocation();
    await setWebhook(adminTarget(), { location: busyMerchant.locationId, url: busy.url });
    await setWebhook(adminTarget(), { location: otherMerchant.locationId, url: other.url });

    await Promise.all(Array.from({ length: 12 }, (_, i) => putPayment(busyMerchant.locationId, `cus_${Date.now()}burst${i}`)));
    await eventually(() => busy.received[0], 10_000);
    await putPayment(otherMerchant.locationId, `cus_${Date.now()}other`);

    // Patience, not a timing goal: beside the rest of the suite the shared pollers also carry other files' slow receivers.
    await eventually(() => busy.received.length >= 12 || undefined, 150_000).catch(async (error: Error) => {
      const items = await deliveriesOf(busyMerchant, { limit: '100' });
      const seen = new Set(busy.received.map((r) => r.headers['webhook-id']));
      throw new Error(
        `${error.message}: received ${busy.received.length} of 12; deliveries ${JSON.stringify(items.map((d) => ({ status: d.status, attempts: d.attempts.length, received: seen.has(d.eventId) })))}`,
      );
    });
    await eventually(() => other.received[0], 10_000);
    // Each busy request is in flight from its arrival until slowMs later: count the most at once.
    const arrivals = busy.received.map((r) => r.at);
    const mostAtOnce = Math.max(...arrivals.map((t) => arrivals.filter((u) => u <= t && u + slowMs > t).length));
    expect(mostAtOnce).toBeLessThanOrEqual(WEBHOOK_LANES_PER_LOCATION);
    expect(other.received[0].at).toBeLessThan(Math.max(...arrivals));
    const delivered = await eventually(async () => {
      const items = await deliveriesOf(busyMerchant, { status: 'delivered' });
      return items.length === 12 ? items : undefined;
    }, 20_000);
    expect(delivered.map((d) => d.attempts.length)).toEqual(Array(12).fill(1));
    await Promise.all([busy.close(), other.close()]);
  }, 240_000);
});
