import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Webhook } from 'standardwebhooks';
import { ulid } from 'ulid';
import { ENV } from '../../functions/shared/manifest';
import { lambdaContext } from '../../bin/local/lambda-context';
import { webhookDeliveriesRepo } from '../../functions/shared/repos/webhook-deliveries';
import { replayParkedDeliveries } from '../../functions/shared/use-cases/replay-webhooks';
import { disableWebhook, rotateWebhookSecret, setWebhook } from '../../scripts/admin/webhooks';
import { testClients } from '../support/clients';
import { stackInfo } from '../support/stack-info';
import { adminTarget, closeWebhookClients, eventually, putPayment, startReceiver } from '../support/webhooks';
import { sqsEventOf } from '../support/sqs-events';
import { shiftClock } from '../support/clock';
import { ROTATION_OVERLAP_SECONDS } from '../../functions/domain/webhook-secrets';

/**
 * The push-webhook handler driven the way Lambda's SQS event source drives it (batches, partial
 * failures, the handler's own visibility changes), on private queues so the local stack's own
 * poller does not race these tests. The full stream → queue → worker path is in
 * test/integration/webhooks.test.ts.
 */
const clients = testClients();
const sqs = clients.sqs;
const repo = webhookDeliveriesRepo(stackInfo().names.table, clients.documents);
const deliveries = () => repo;
let queueUrl = '';
let dlqUrl = '';
let handler: typeof import('../../functions/push-webhook/handler').handler;
let polling = true;
let poller: Promise<void>;

/** Receives, invokes the handler, deletes what it did not report as failed: Lambda's SQS event source. */
const pollOnce = async () => {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, AttributeNames: ['All'] }));
  if (Messages.length === 0) return;
  const event = sqsEventOf(Messages);

  const { batchItemFailures } = await handler(event, lambdaContext('push-webhook'));
  const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
  const done = Messages.filter((m) => !failed.has(m.MessageId!));
  if (done.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
};

const enqueue = (locationId: string, customerId: string, paymentId: string) =>
  sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ kind: 'payment.completed', paymentId, customerId, locationId }) }));

const newLocation = () => `loc_${ulid()}`;
const newCustomer = () => `cus_${ulid()}`;

const poll = async () => {
  while (polling) await pollOnce().catch((error) => console.error('poll failed', error));
};

beforeAll(async () => {
  const name = `PushWebhookTest${ulid()}`;
  dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}Dlq` }))).QueueUrl!;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '30' } }))).QueueUrl!;
  Object.assign(process.env, { [ENV.webhookQueueUrl]: queueUrl, [ENV.webhookDlqUrl]: dlqUrl, [ENV.webhookRetryScheduleSeconds]: '0,1,1,1', [ENV.webhookAllowLoopback]: 'true' });
  // Loaded after the environment is set, as a Lambda cold start reads it.
  ({ handler } = jest.requireActual<typeof import('../../functions/push-webhook/handler')>('../../functions/push-webhook/handler'));
  // Several pollers, as Lambda runs several batches of a queue at once.
  poller = Promise.all([poll(), poll(), poll()]).then(() => undefined);
});

afterAll(async () => {
  polling = false;
  await poller;
  await Promise.all([queueUrl, dlqUrl].map((url) => sqs.send(new DeleteQueueCommand({ QueueUrl: url }))));
  clients.sqs.destroy();
  clients.dynamo.destroy();
  closeWebhookClients();
});

describe('push-webhook handler', () => {
  it('delivers a payment once, signed so the secret from set-webhook verifies it', async () => {
    const receiver = await startReceiver();
    const locationId = newLocation();
    const { secret } = await setWebhook(adminTarget(), { location: locationId, url: receiver.url });
    const payment = await putPayment(locationId, newCustomer(), {}, { quiet: true });

    await enqueue(locationId, payment.customerId, payment.paymentId);

    const delivered = await eventually(async () => ((await deliveries().get(`dlv_${payment.paymentId.slice(4)}`))?.status === 'delivered' ? true : undefined));
    expect(delivered).toBe(true);
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(new Webhook(secret).verify(request.body, request.headers)).toMatchObject({ type: 'payment.completed', data: { paymentId: payment.paymentId } });
    await receiver.close();
  });

  it('sends one delivery when the same job arrives twice', async () => {
    const receiver = await startReceiver();
    const locationId = newLocation();
    await setWebhook(adminTarget(), { location: locationId, url: receiver.url });
    const payment = await putPayment(locationId, newCustomer(), {}, { quiet: true });

    await enqueue(locationId, payment.customerId, payment.paymentId);
    await eventually(() => receiver.received[0]);
    await enqueue(locationId, payment.customerId, payment.paymentId);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  });

  it('pushes nothing for a location whose webhook is disabled', async () => {
    const receiver = await startReceiver();
    const locationId = newLocation();
    await setWebhook(adminTarget(), { location: locationId, url: receiver.url });
    await disableWebhook(adminTarget(), { location: locationId });
    const payment = await putPayment(locationId, newCustomer(), {}, { quiet: true });

    await enqueue(locationId, payment.customerId, payment.paymentId);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(receiver.received).toHaveLength(0);
    expect(await deliveries().get(`dlv_${payment.paymentId.slice(4)}`)).toBeUndefined();
    await receiver.close();
  });

  it('moves a message that is not a webhook job to the dead-letter queue instead of retrying it', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"kind":"something.else"}' }));

    const parked = await eventually(async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      return Messages.find((m) => JSON.parse(m.Body!).rejected === '{"kind":"something.else"}');
    });
    expect(JSON.parse(parked.Body!).reason).toBe('not a webhook job');
  });

  it('retries on the schedule with the same webhook-id and delivers on the 4th attempt', async () => {
    const receiver = await startReceiver((n) => ({ status: n <= 3 ? 503 : 200 }));
    const locationId = newLocation();
    const { secret } = await setWebhook(adminTarget(), { location: locationId, url: receiver.url });
    const payment = await putPayment(locationId, newCustomer(), {}, { quiet: true });

    await enqueue(locationId, payment.customerId, payment.paymentId);

    const delivery = await eventually(async () => {
      const d = await deliveries().get(`dlv_${payment.paymentId.slice(4)}`);
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(receiver.received).toHaveLength(4);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    receiver.received.forEach((r) => expect(() => new Webhook(secret).verify(r.body, r.headers)).not.toThrow());
    expect(delivery.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503, 200]);
    expect(delivery.attempts[0]).toMatchObject({ responseExcerpt: 'answer 503', latencyMs: expect.any(Number), at: expect.any(String) });
    await receiver.close();
  });

  it('ignores a duplicate job that arrives while the first one is waiting to retry', async () => {
    const receiver = await startReceiver((n) => ({ status: n <= 3 ? 500 : 200 }));
    const locationId = newLocation();
    await setWebhook(adminTarget(), { location: locationId, url: receiver.url });
    const payment = await putPayment(locationId, newCustomer(), {}, { quiet: true });
    const deliveryId = `dlv_${payment.paymentId.slice(4)}`;

    await enqueue(locationId, payment.customerId, payment.paymentId);
    await eventually(async () => ((await deliveries().get(deliveryId))?.status === 'retrying' ? true : undefined));
    await enqueue(locationId, payment.customerId, payment.paymentId);

    const delivered = await eventually(async () => {
      const d = await deliveries().get(deliveryId);
      return d?.status === 'delivered' ? d : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(delivered.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 200]);
    expect(receiver.received).toHaveLength(4);
    await receiver.close();
  });

  it('parks a delivery after the last attempt, and a replay delivers it', async () => {
    let up = false;
    const receiver = await startReceiver(() => ({ status: up ? 200 : 500 }));
    const locationId = newLocation();
    await setWebhook(adminTarget(), { location: locationId, url: receiver.url });
    const payment = await putPayment(locationId, newCustomer(), {}, { quiet: true });
    const deliveryId = `dlv_${payment.paymentId.slice(4)}`;

    await enqueue(locationId, payment.customerId, payment.paymentId);
    const parked = await eventually(async () => {
      const d = await deliveries().get(deliveryId);
      return d?.status === 'parked' ? d : undefined;
    });
    expect(parked.attempts).toHaveLength(4);
    const dlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect((dlq.Messages ?? []).map((m) => JSON.parse(m.Body!).deliveryId)).toContain(deliveryId);

    up = true;
    expect(await replayParkedDeliveries(locationId, 'all', { deliveries: deliveries(), queueUrl })).toEqual({ replayed: [deliveryId] });

    const delivered = await eventually(async () => {
      const d = await deliveries().get(deliveryId);
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(delivered.attempts).toHaveLength(5);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    await receiver.close();
  });

  it('signs with both the old and the new secret during a rotation overlap', async () => {
    const receiver = await startReceiver();
    const locationId = newLocation();
    const { secret: oldSecret } = await setWebhook(adminTarget(), { location: locationId, url: receiver.url });
    const { secret: newSecret } = await rotateWebhookSecret(adminTarget(), { location: locationId });
    const payment = await putPayment(locationId, newCustomer(), {}, { quiet: true });

    await enqueue(locationId, payment.customerId, payment.paymentId);

    await eventually(() => receiver.received[0]);
    const [request] = receiver.received;
    expect(() => new Webhook(oldSecret).verify(request.body, request.headers)).not.toThrow();
    expect(() => new Webhook(newSecret).verify(request.body, request.headers)).not.toThrow();
    await receiver.close();
  });

  it('signs with the new secret only, once the 24 h overlap is over', async () => {
    const receiver = await startReceiver();
    const locationId = newLocation();
    const { secret: oldSecret } = await setWebhook(adminTarget(), { location: locationId, url: receiver.url });
    const { secret: newSecret } = await rotateWebhookSecret(adminTarget(), { location: locationId });
    const payment = await putPayment(locationId, newCustomer(), {}, { quiet: true });
    const restoreClock = shiftClock(ROTATION_OVERLAP_SECONDS + 60);

    try {
      await enqueue(locationId, payment.customerId, payment.paymentId);
      await eventually(() => receiver.received[0]);
    } finally {
      restoreClock();
    }

    const [request] = receiver.received;
    const signedAt = new Date(Number(request.headers['webhook-timestamp']) * 1000);
    const signatureBy = (secret: string) => new Webhook(secret).sign(request.headers['webhook-id'], signedAt, request.body);
    expect(request.headers['webhook-signature'].split(' ')).toEqual([signatureBy(newSecret)]);
    expect(request.headers['webhook-signature']).not.toContain(signatureBy(oldSecret));
    await receiver.close();
  });

  it("sends a batch's deliveries concurrently, so a slow receiver does not delay the others", async () => {
    const slow = await startReceiver(() => ({ status: 200, delayMs: 3_000 }));
    const fast = await startReceiver();
    const [slowLocation, fastLocation] = [newLocation(), newLocation()];
    await setWebhook(adminTarget(), { location: slowLocation, url: slow.url });
    await setWebhook(adminTarget(), { location: fastLocation, url: fast.url });
    const slowPayment = await putPayment(slowLocation, newCustomer(), {}, { quiet: true });
    const fastPayment = await putPayment(fastLocation, newCustomer(), {}, { quiet: true });
    const message = (p: typeof slowPayment) => ({
      MessageId: p.paymentId,
      ReceiptHandle: `fixture-${p.paymentId}`,
      Body: JSON.stringify({ kind: 'payment.completed', paymentId: p.paymentId, customerId: p.customerId, locationId: p.locationId }),
    });
    const started = Date.now();

    const result = await handler(sqsEventOf([message(slowPayment), message(fastPayment)]), lambdaContext('push-webhook'));

    expect(result.batchItemFailures).toEqual([]);
    expect(fast.received[0].at - started).toBeLessThan(1_000);
    expect(slow.received[0].at - started).toBeLessThan(1_000);
    expect(Date.now() - started).toBeLessThan(6_000);
    await Promise.all([slow.close(), fast.close()]);
  });

  it("does not let a slow receiver hold up another location's delivery", async () => {
    const slow = await startReceiver(() => ({ status: 200, delayMs: 15_000 }));
    const fast = await startReceiver();
    const slowLocation = newLocation();
    const fastLocation = newLocation();
    await setWebhook(adminTarget(), { location: slowLocation, url: slow.url });
    await setWebhook(adminTarget(), { location: fastLocation, url: fast.url });
    const slowPayment = await putPayment(slowLocation, newCustomer(), {}, { quiet: true });
    const fastPayment = await putPayment(fastLocation, newCustomer(), {}, { quiet: true });
    const started = Date.now();

    await enqueue(slowLocation, slowPayment.customerId, slowPayment.paymentId);
    await enqueue(fastLocation, fastPayment.customerId, fastPayment.paymentId);

    await eventually(() => fast.received[0], 5_000);
    expect(fast.received[0].at - started).toBeLessThan(5_000);
    const timedOut = await eventually(async () => (await deliveries().get(`dlv_${slowPayment.paymentId.slice(4)}`))?.attempts?.[0], 20_000);
    expect(timedOut.error).toMatch(/timeout after 10000 ms/);
    expect(timedOut.latencyMs).toBeGreaterThanOrEqual(9_900);
    await Promise.all([slow.close(), fast.close()]);
  }, 40_000);
});
