import type { SQSClient } from '@aws-sdk/client-sqs';
import { Webhook } from 'standardwebhooks';
import { merchantWithLocation, type Merchant } from '../support/api';
import { createCustomer, statementBody } from '../support/fixtures';
import { emailTo, eventually as until, setSmsFaults, smsTo, uniqueEmail, uniquePhone } from '../support/outbox';
import { adminTarget, closeWebhookClients, eventually, putPayment, startReceiver } from '../support/webhooks';
import { shiftClock } from '../support/clock';
import { setWebhook } from '../../scripts/admin/webhooks';
import { figures } from './support/figures';
import { depth, drain, ownQueue, queueClient, sendJobs, startDoomedWorker } from './support/worker-runs';

/**
 * Workers killed mid-batch (SIGKILL of a real worker process polling a real queue) and providers
 * throttling (the local SMS carrier's `throttle` fault; a webhook receiver answering 429), for
 * notifications and webhooks: no job lost, none sent twice (webhooks: a repeat only with the same
 * webhook-id, as their contract says).
 */
const fig = figures('worker faults');
const N = 10;
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';

const notificationsOf = async (merchant: Merchant, customerId: string) => (await merchant.call('GET', '/listNotifications', { query: { customerId } })).body.items as Array<Record<string, any>>;

let sqs: SQSClient;
beforeAll(() => {
  sqs = queueClient();
});
const closeLater: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closeLater.map((close) => close()));
  sqs.destroy();
  closeWebhookClients();
});

describe('notification worker killed mid-batch', () => {
  it('loses no job and sends none twice when the worker dies sending the 4th of 10 emails, and the batch comes back', async () => {
    const merchant = await merchantWithLocation({ name: 'Sunrise Dental' });
    const customers = await Promise.all(
      Array.from({ length: N }, async () => {
        const email = uniqueEmail();
        const customerId = await createCustomer(merchant, { primaryPhone: uniquePhone(), primaryEmail: email });
        await merchant.call('POST', '/setStatement', { body: statementBody(customerId) });
        return { customerId, email };
      }),
    );
    // The stack texts each statement (its own job); this test's jobs are the email follow-ups, on a queue of its own.
    for (const { customerId } of customers) await until(() => notificationsOf(merchant, customerId), (items) => items.some((i) => i.status === 'sent'), 20_000, 'statement SMS');
    const queueUrl = await ownQueue(sqs, 'notifications', 3);
    const jobId = (customerId: string) => `statement:${customerId}:1:email`;
    await sendJobs(
      sqs,
      queueUrl,
      customers.map(({ customerId }) => ({ kind: 'statement', jobId: jobId(customerId), customerId, locationId: merchant.locationId, statementVersion: 1, amountDueMinor: 10000, billingDate: '2020-02-24', onlyChannel: 'email' })),
    );

    const worker = startDoomedWorker('send-notification', queueUrl, { NOTIFICATION_QUEUE_URL: queueUrl, KILL_AT: '4', KILL_ON_COMMAND: 'SendEmailCommand' });
    const died = await worker.exited;
    const sentBeforeKill = (await Promise.all(customers.map(({ email }) => emailTo(email)))).filter((list) => list.length > 0).length;

    // The batch comes back after its visibility timeout; by then the dead worker's claims are past their lease.
    process.env.NOTIFICATION_QUEUE_URL = queueUrl;
    const restore = shiftClock(180);
    try {
      const { handler } = require('../../functions/send-notification/handler') as typeof import('../../functions/send-notification/handler');
      await drain(sqs, queueUrl, handler as never, 'send-notification');
    } finally {
      restore();
    }

    const outcomes = await Promise.all(
      customers.map(async ({ customerId, email }) => ({
        emails: (await emailTo(email)).length,
        status: (await notificationsOf(merchant, customerId)).find((n) => n.id === jobId(customerId))?.status as string | undefined,
      })),
    );
    const twice = outcomes.filter((o) => o.emails > 1).length;
    const delivered = outcomes.filter((o) => o.emails === 1).length;
    const reported = outcomes.filter((o) => o.emails === 0 && o.status === 'unknown').length;
    const sentAfter = outcomes.filter((o) => o.emails === 1 && o.status === 'sent').length;
    const lost = outcomes.filter((o) => o.emails === 0 && o.status !== 'unknown').length;
    fig.record('notification worker killed mid-batch (signal)', String(died.signal), '= SIGKILL', died.signal === 'SIGKILL');
    fig.record('emails accepted before the kill (of 10)', sentBeforeKill, '< 10', sentBeforeKill < N);
    fig.exactly('notification jobs lost (no email, no record)', lost, 0);
    fig.exactly('notification jobs sent twice (kill)', twice, 0);
    fig.note('notification jobs delivered once (kill)', delivered);
    fig.note('of which sent by the redelivered batch', sentAfter);
    fig.note("in flight at the kill, not sent, reported 'unknown' for a person (at most once)", reported);

    expect(died.signal).toBe('SIGKILL');
    expect(sentBeforeKill).toBeLessThan(N);
    expect(await depth(sqs, queueUrl)).toBe(0);
    expect({ lost, twice }).toEqual({ lost: 0, twice: 0 });
    expect(delivered + reported).toBe(N);
  });
});

describe('SMS provider throttling', () => {
  it('sends every throttled statement SMS exactly once, on a later attempt', async () => {
    const merchant = await merchantWithLocation({ name: 'Sunrise Dental' });
    const phones = Array.from({ length: 6 }, () => uniquePhone());
    // Four Throttled answers per number: the SDK's own three tries fail the first delivery, the queue's retry sends it.
    await setSmsFaults({ throttle: 4, numbers: phones });
    const customerIds = await Promise.all(phones.map((primaryPhone) => createCustomer(merchant, { primaryPhone })));
    await Promise.all(customerIds.map((customerId) => merchant.call('POST', '/setStatement', { body: statementBody(customerId) })));

    const records = await Promise.all(
      customerIds.map(async (customerId) => (await until(() => notificationsOf(merchant, customerId), (items) => items[0]?.status === 'sent', 40_000, 'throttled SMS sent'))[0]),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const perPhone = await Promise.all(phones.map(async (phone) => (await smsTo(phone)).length));
    await setSmsFaults({ numbers: phones });

    const lost = perPhone.filter((n) => n === 0).length;
    const twice = perPhone.filter((n) => n > 1).length;
    fig.note('SMS jobs throttled (4 Throttled answers each)', phones.length);
    fig.exactly('SMS jobs lost (throttling)', lost, 0);
    fig.exactly('SMS jobs sent twice (throttling)', twice, 0);
    fig.record('SMS sent on a later attempt (attempts >= 2)', records.filter((r) => r.attempts >= 2).length, `= ${phones.length}`, records.every((r) => r.attempts >= 2));

    expect({ lost, twice }).toEqual({ lost: 0, twice: 0 });
    expect(records.map((r) => r.attempts >= 2)).toEqual(phones.map(() => true));
  }, 60_000);
});

describe('webhook worker killed mid-batch', () => {
  it('delivers every event after the worker dies during a batch of 10, repeats only with the same webhook-id', async () => {
    const doomed: { worker?: ReturnType<typeof startDoomedWorker> } = {};
    const receiver = await startReceiver((n) => {
      // The third request of the batch arrives while the others are in flight: kill the worker then.
      if (n === 3) doomed.worker?.child.kill('SIGKILL');
      return { status: 200 };
    });
    closeLater.push(() => receiver.close());
    const merchant = await merchantWithLocation();
    const { secret } = await setWebhook(adminTarget(), { location: merchant.locationId, url: receiver.url });
    // Quiet payments: the stream router does not queue them, this test's own queue does.
    const payments = await Promise.all(Array.from({ length: N }, (_, i) => putPayment(merchant.locationId, `cus_kill${Date.now()}${i}`, {}, { quiet: true })));
    const queueUrl = await ownQueue(sqs, 'webhooks', 2);
    const dlqUrl = await ownQueue(sqs, 'webhooks-dlq', 30);
    await sendJobs(sqs, queueUrl, payments.map((p) => ({ kind: 'payment.completed', paymentId: p.paymentId, customerId: p.customerId, locationId: merchant.locationId })));

    doomed.worker = startDoomedWorker('push-webhook', queueUrl, { WEBHOOK_QUEUE_URL: queueUrl, WEBHOOK_DLQ_URL: dlqUrl });
    closeLater.push(async () => void doomed.worker?.child.kill('SIGKILL'));
    const died = await doomed.worker.exited;
    const receivedAtKill = receiver.received.length;

    process.env.WEBHOOK_QUEUE_URL = queueUrl;
    process.env.WEBHOOK_DLQ_URL = dlqUrl;
    const { handler } = require('../../functions/push-webhook/handler') as typeof import('../../functions/push-webhook/handler');
    // The dead worker still holds its location's webhook lanes (a 30 s lease): redeliver after it.
    const restoreClock = shiftClock(60);
    try {
      await drain(sqs, queueUrl, handler as never, 'push-webhook');
    } finally {
      restoreClock();
    }
    await eventually(() => (new Set(receiver.received.map((r) => r.headers['webhook-id'])).size >= N ? true : undefined), 20_000);
    await receiver.close();

    const events = new Map<string, number>();
    let mismatched = 0;
    let unverified = 0;
    for (const request of receiver.received) {
      const id = request.headers['webhook-id'];
      events.set(id, (events.get(id) ?? 0) + 1);
      if ((JSON.parse(request.body) as { id: string }).id !== id) mismatched++;
      try {
        new Webhook(secret).verify(request.body, request.headers);
      } catch {
        unverified++;
      }
    }
    const paymentIds = new Set([...receiver.received].map((r) => (JSON.parse(r.body) as { data: { paymentId: string } }).data.paymentId));
    const lost = payments.filter((p) => !paymentIds.has(p.paymentId)).length;
    const repeated = [...events.values()].filter((n) => n > 1).length;
    fig.record('webhook worker killed mid-batch (signal)', String(died.signal), '= SIGKILL', died.signal === 'SIGKILL');
    fig.note('webhook requests received before the kill (of 10)', receivedAtKill);
    fig.exactly('webhook events lost (kill)', lost, 0);
    fig.exactly('webhook events sent under a second webhook-id (kill)', events.size - N, 0);
    fig.exactly('webhook requests whose webhook-id is not their event id', mismatched, 0);
    fig.exactly('webhook requests failing signature verification', unverified, 0);
    fig.note('events sent again after the kill, same webhook-id (answered before the worker recorded it)', repeated);

    expect(died.signal).toBe('SIGKILL');
    expect(lost).toBe(0);
    expect(events.size).toBe(N);
    expect({ mismatched, unverified }).toEqual({ mismatched: 0, unverified: 0 });
  });

  it('delivers every event once when the receiver throttles with 429 twice', async () => {
    // Per event: 429, 429, then 200 (the receiver counts the requests of each webhook-id).
    const perEvent = new Map<string, number>();
    const receiver: Awaited<ReturnType<typeof startReceiver>> = await startReceiver((n) => {
      const id = receiver.received[n - 1].headers['webhook-id'];
      const count = (perEvent.get(id) ?? 0) + 1;
      perEvent.set(id, count);
      return { status: count <= 2 ? 429 : 200, body: count <= 2 ? 'slow down' : 'ok' };
    });
    closeLater.push(() => receiver.close());
    const merchant = await merchantWithLocation();
    await setWebhook(adminTarget(), { location: merchant.locationId, url: receiver.url });

    const payments = await Promise.all(Array.from({ length: 6 }, (_, i) => putPayment(merchant.locationId, `cus_429${Date.now()}${i}`)));

    const deliveries = await eventually(async () => {
      const items = (await merchant.call('GET', '/listWebhookDeliveries', { query: { status: 'delivered' } })).body.items as Array<{ attempts: Array<{ statusCode: number }> }>;
      return items.length === payments.length ? items : undefined;
    }, 30_000).catch(async (error: Error) => {
      const all = (await merchant.call('GET', '/listWebhookDeliveries', { query: { limit: '100' } })).body.items as Array<{ status: string; attempts: Array<{ statusCode?: number; error?: string }> }>;
      throw new Error(`${error.message}: deliveries ${JSON.stringify(all.map((d) => [d.status, d.attempts.map((a) => a.statusCode ?? a.error)]))}, requests per event ${JSON.stringify([...perEvent.values()])}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await receiver.close();

    const answeredTwice = [...perEvent.values()].filter((n) => n > 3).length;
    fig.note('webhook events throttled (429 twice each)', payments.length);
    fig.exactly('webhook events lost (throttling)', payments.length - deliveries.length, 0);
    fig.exactly('webhook events answered 2xx more than once (throttling)', answeredTwice, 0);

    expect(deliveries.map((d) => d.attempts.map((a) => a.statusCode))).toEqual(payments.map(() => [429, 429, 200]));
    expect(perEvent.size).toBe(payments.length);
    expect(answeredTwice).toBe(0);
  });
});
