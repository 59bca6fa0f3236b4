import { execFile } from 'node:child_process';
import path from 'node:path';
import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { notificationKey, paymentKey } from '../../functions/shared/table/keys';
import { merchantWithLocation, type Merchant } from '../support/api';
import { createCustomer, statementBody } from '../support/fixtures';
import { testClients } from '../support/clients';
import { stackInfo } from '../support/stack-info';
import { emailTo, eventually, setSmsFaults, smsTo, uniqueEmail, uniquePhone } from '../support/outbox';
import { addSeconds, testNow } from '../support/clock';
import { Webhook } from 'standardwebhooks';
import { adminTarget, startReceiver } from '../support/webhooks';
import { setWebhook } from '../../scripts/admin/webhooks';

const { sqs, documents } = testClients();
const ROOT = path.resolve(__dirname, '..', '..');

const notificationsOf = async (merchant: Merchant, customerId: string) =>
  (await merchant.call('GET', '/listNotifications', { query: { customerId } })).body.items as Array<Record<string, any>>;

const linksOf = (response: { headers: Headers }) => ({
  statement: response.headers.get('location') ?? '',
  tiny: /^<([^>]+)>/.exec(response.headers.get('link') ?? '')?.[1] ?? '',
});

const navigable = { 'Location-As-Navigable-Url': 'true' };

describe('statement notifications', () => {
  let merchant: Merchant;
  beforeAll(async () => {
    merchant = await merchantWithLocation({ name: 'Sunrise Dental' });
  });

  it('texts the customer the amount and tiny link when a statement is set', async () => {
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone, primaryEmail: uniqueEmail() });

    const response = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '49.95' }), headers: navigable });

    const [sms] = await eventually(() => smsTo(phone), (list) => list.length > 0, 20_000, 'SMS');
    expect(sms.body).toContain('Sunrise Dental');
    expect(sms.body).toContain('$49.95');
    expect(sms.body).toContain(linksOf(response).tiny);
    expect(sms.body).toContain('Reply STOP to opt out');
    const [record] = await eventually(() => notificationsOf(merchant, customerId), (items) => items[0]?.status === 'sent');
    expect(record).toMatchObject({ id: `statement:${customerId}:1`, kind: 'statement', channel: 'sms', attempts: 1 });
    expect(record.destination).toBe(`+1••••••${phone.slice(-4)}`);
    expect(record.providerMessageId).toEqual(expect.any(String));
  });

  it('emails a customer who has only an email address, with a button to the statement link', async () => {
    const address = uniqueEmail();
    const customerId = await createCustomer(merchant, { primaryPhone: null, primaryEmail: address });

    const response = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '120.00', dueDate: '2020-03-10' }), headers: navigable });

    const [email] = await eventually(() => emailTo(address), (list) => list.length > 0, 20_000, 'email');
    expect(email.subject).toContain('$120.00');
    expect(email.html).toContain(`href="${linksOf(response).statement}"`);
    expect(email.text).toContain('Due date: 03/10/2020');
    const [record] = await eventually(() => notificationsOf(merchant, customerId), (items) => items[0]?.status === 'sent');
    expect(record).toMatchObject({ channel: 'email', destination: expect.stringMatching(/^c•••@example\.com$/) });
  });

  it('records the notification as undeliverable when the customer has neither phone nor email', async () => {
    const customerId = await createCustomer(merchant, { primaryPhone: null });

    await merchant.call('POST', '/setStatement', { body: statementBody(customerId) });

    const [record] = await eventually(() => notificationsOf(merchant, customerId), (items) => items[0]?.status === 'undeliverable');
    expect(record.channel).toBeUndefined();
  });

  it('sends nothing for a replacement with the same balance and billing date', async () => {
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });
    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '10.00' }) });
    await eventually(() => smsTo(phone), (list) => list.length === 1);

    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '10.00', memo: 'typo fixed' }) });
    // A later change that does notify proves the stream got past the silent replacement.
    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '12.00' }) });

    const sms = await eventually(() => smsTo(phone), (list) => list.length >= 2);
    expect(sms).toHaveLength(2);
    expect(sms[0].body).toContain('$12.00');
    const records = await notificationsOf(merchant, customerId);
    expect(records.map((r) => r.id).sort()).toEqual([`statement:${customerId}:1`, `statement:${customerId}:3`]);
  });

  it('texts once when the same job is delivered several times', async () => {
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });
    const set = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '33.00' }) });
    const job = { kind: 'statement', jobId: `statement:${customerId}:1`, customerId, locationId: merchant.locationId, statementVersion: 1, amountDueMinor: 3300, billingDate: set.body.billingDate };

    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stackInfo().names.queues.notification.url,
        Entries: [0, 1].map((i) => ({ Id: String(i), MessageBody: JSON.stringify(job) })),
      }),
    );

    await eventually(() => smsTo(phone), (list) => list.length >= 1);
    // Every copy has been handled once the queue holds none of them; then there is still one SMS.
    await eventually(() => queueDepth('notification'), (depth) => depth === 0, 30_000, 'notification queue drained');
    expect(await smsTo(phone)).toHaveLength(1);
    const [record] = await notificationsOf(merchant, customerId);
    expect(record).toMatchObject({ status: 'sent', attempts: 1 });
  });
});

const queueDepth = async (queue: 'notification' | 'webhook') => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stackInfo().names.queues[queue].url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
};

describe('provider failures and fallbacks', () => {
  let merchant: Merchant;
  beforeAll(async () => {
    merchant = await merchantWithLocation({ name: 'Sunrise Dental' });
  });

  it('retries a throttled SMS and sends it on a later attempt', async () => {
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });
    // The SDK itself tries three times per delivery, so four throttles fail the first delivery only.
    await setSmsFaults({ throttle: 4, numbers: [phone] });

    await merchant.call('POST', '/setStatement', { body: statementBody(customerId) });

    const [record] = await eventually(() => notificationsOf(merchant, customerId), (items) => items[0]?.status === 'sent', 30_000);
    expect(record).toMatchObject({ channel: 'sms', attempts: 2 });
    expect(await smsTo(phone)).toHaveLength(1);
  });

  it('never parks an SMS for being throttled, however often: it waits and is sent', async () => {
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });
    // Seven deliveries' worth of Throttled answers (the SDK tries three times per delivery), more than maxReceiveCount.
    await setSmsFaults({ throttle: 21, numbers: [phone] });

    await merchant.call('POST', '/setStatement', { body: statementBody(customerId) });

    const [record] = await eventually(() => notificationsOf(merchant, customerId), (items) => items[0]?.status === 'sent', 60_000);
    expect(record.attempts).toBeGreaterThan(5);
    expect(await smsTo(phone)).toHaveLength(1);
    const parked = (await admin('list-parked', '--queue', 'notification')).jobs as Array<Record<string, any>>;
    expect(parked.filter((j) => j.job?.customerId === customerId)).toEqual([]);
  }, 90_000);

  it('parks an SMS whose sends keep failing (5xx) in the DLQ with its error, and redrive sends it', async () => {
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });
    await setSmsFaults({ serverError: 1000, numbers: [phone] });
    const jobId = `statement:${customerId}:1`;

    await merchant.call('POST', '/setStatement', { body: statementBody(customerId) });

    const parked = await eventually(
      async () => ((await admin('list-parked', '--queue', 'notification')).jobs as Array<Record<string, any>>).find((j) => j.job?.jobId === jobId),
      (job) => job !== undefined,
      50_000,
      'job parked in the DLQ',
    );
    expect(parked).toMatchObject({ status: 'parked', attempts: 5, lastError: expect.stringContaining('InternalError') });
    expect(await smsTo(phone)).toEqual([]);

    await setSmsFaults({ numbers: [phone] });
    const redriven = await admin('redrive', '--queue', 'notification', '--message-id', parked!.messageId);

    expect(redriven).toMatchObject({ redriven: 1 });
    const [record] = await eventually(() => notificationsOf(merchant, customerId), (items) => items[0]?.status === 'sent', 20_000);
    expect(record).toMatchObject({ channel: 'sms', attempts: 6 });
    expect(await smsTo(phone)).toHaveLength(1);
  }, 90_000);

  it('emails instead when the phone number opted out of SMS', async () => {
    const phone = uniquePhone();
    const address = uniqueEmail();
    const customerId = await createCustomer(merchant, { primaryPhone: phone, primaryEmail: address });
    await setSmsFaults({ optedOut: true, numbers: [phone] });

    await merchant.call('POST', '/setStatement', { body: statementBody(customerId) });

    await eventually(() => emailTo(address), (list) => list.length === 1);
    const [record] = await eventually(() => notificationsOf(merchant, customerId), (items) => items[0]?.status === 'sent');
    expect(record).toMatchObject({ channel: 'email', reason: 'The phone number opted out of SMS.' });
    expect(await smsTo(phone)).toEqual([]);
  });

  it('records a number SNS rejects as failed without retrying', async () => {
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });
    await setSmsFaults({ invalid: true, numbers: [phone] });

    await merchant.call('POST', '/setStatement', { body: statementBody(customerId) });

    const [record] = await eventually(() => notificationsOf(merchant, customerId), (items) => items[0]?.status === 'failed');
    expect(record).toMatchObject({ channel: 'sms', attempts: 1, reason: expect.stringContaining('InvalidParameter') });
  });

  it('tells the merchant with a signed notification.failed when the send fails at once on every channel the customer has', async () => {
    // Prepare: a merchant with a webhook, a customer with only a phone number SNS rejects
    const listener = await merchantWithLocation();
    const receiver = await startReceiver();
    try {
      const { secret } = await setWebhook(adminTarget(), { location: listener.locationId, url: receiver.url });
      const phone = uniquePhone();
      const customerId = await createCustomer(listener, { primaryPhone: phone });
      await setSmsFaults({ invalid: true, numbers: [phone] });

      // Act
      await listener.call('POST', '/setStatement', { body: statementBody(customerId) });

      // Assess
      const delivery = await eventually(async () => receiver.received.find((r) => r.body.includes('notification.failed')), (found) => Boolean(found), 20_000, 'the notification.failed webhook');
      const event = new Webhook(secret).verify(delivery!.body, { 'webhook-id': delivery!.headers['webhook-id'], 'webhook-timestamp': delivery!.headers['webhook-timestamp'], 'webhook-signature': delivery!.headers['webhook-signature'] }) as { data: Record<string, unknown> };
      expect(event.data).toMatchObject({
        customer: { id: customerId },
        notification: { kind: 'statement', status: 'failed' },
        channel: 'sms',
        fallback: null,
        reason: expect.stringContaining('InvalidParameter'),
      });
      expect(String(event.data.destination)).not.toContain(phone.slice(-7));
    } finally {
      await receiver.close();
    }
  });
});

describe('at most once', () => {
  it('parks a job as unknown, without sending, when an earlier worker died after claiming it', async () => {
    const merchant = await merchantWithLocation();
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });
    const jobId = `statement:${customerId}:1`;
    const longAgo = addSeconds(testNow(), -10 * 60).toISOString();
    await documents.send(
      new PutCommand({
        TableName: stackInfo().names.table,
        Item: { ...notificationKey(customerId, jobId), type: 'NOTIFICATION', jobId, kind: 'statement', customerId, locationId: merchant.locationId, status: 'sending', attempts: 1, claimedAt: longAgo, createdAt: longAgo, updatedAt: longAgo },
      }),
    );

    await merchant.call('POST', '/setStatement', { body: statementBody(customerId) });

    const [record] = await eventually(() => notificationsOf(merchant, customerId), (items) => items[0]?.status === 'unknown');
    expect(record.lastError).toContain('not retried');
    expect(await smsTo(phone)).toEqual([]);
  });
});

describe('the local outbox', () => {
  it('shows sent SMS newest first on a page and in JSON', async () => {
    const merchant = await merchantWithLocation({ name: 'Outbox Dental' });
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });

    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '7.00' }) });

    await eventually(() => smsTo(phone), (list) => list.length === 1);
    const page = await fetch(new URL('/_local/outbox', stackInfo().url));
    const json = (await (await fetch(new URL('/_local/outbox.json', stackInfo().url))).json()) as Record<string, unknown>;
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain(phone);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['sms', 'email']));
    const times = (json.sms as Array<{ at: string }>).map((sms) => sms.at);
    expect([...times].sort().reverse()).toEqual(times);
    // `?only=` keeps just the parts named (the webhook section, a table scan, is left out).
    expect(Object.keys(json)).toContain('webhooks');
    const onlySms = (await (await fetch(new URL('/_local/outbox.json?only=sms', stackInfo().url))).json()) as Record<string, unknown>;
    expect(Object.keys(onlySms)).toEqual(['sms']);
    expect((onlySms.sms as Array<{ to: string }>).some((sms) => sms.to === phone)).toBe(true);
  });
});

describe('receipts and the notification list', () => {
  it('texts a receipt after a completed payment', async () => {
    const merchant = await merchantWithLocation({ name: 'Sunrise Dental' });
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });
    const statement = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '50.00' }) });
    await eventually(() => smsTo(phone), (list) => list.length === 1);
    const paymentId = 'pay_01JZZZZZZZZZZZZZZZZZZZZZZZ';

    await documents.send(
      new PutCommand({
        TableName: stackInfo().names.table,
        Item: {
          ...paymentKey(customerId, paymentId),
          type: 'PAYMENT',
          paymentId,
          customerId,
          locationId: merchant.locationId,
          statementId: statement.body.id,
          statementVersion: 1,
          amountMinor: 2000,
          currency: 'USD',
          remainingBeforeMinor: 5000,
          remainingAfterMinor: 3000,
          cardBrand: 'visa',
          cardLast4: '1111',
          status: 'completed',
          completedAt: testNow().toISOString(),
        },
      }),
    );

    const sms = await eventually(() => smsTo(phone), (list) => list.length === 2);
    expect(sms[0].body).toContain('payment of $20.00 received');
    expect(sms[0].body).toContain('$30.00');
    expect(sms[0].body).not.toContain('1111');
    const records = await eventually(() => notificationsOf(merchant, customerId), (items) => items.some((i) => i.id === `receipt:${paymentId}` && i.status === 'sent'));
    expect(records.map((r) => r.kind).sort()).toEqual(['receipt', 'statement']);
  });

  it("answers 404 for another location's customer and names a bad customerId", async () => {
    const owner = await merchantWithLocation();
    const other = await merchantWithLocation();
    const customerId = await createCustomer(owner);

    const foreign = await other.call('GET', '/listNotifications', { query: { customerId } });
    const invalid = await owner.call('GET', '/listNotifications', { query: { customerId: 'nope' } });

    expect(foreign.status).toBe(404);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['query.customerId']);
  });
});

/** Runs `npm run admin -- <args> --json` against this test run's local stack. */
const admin = (...args: string[]): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const port = new URL(stackInfo().url).port;
    execFile(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/admin.ts', ...args, '--json'], { cwd: ROOT, env: { ...process.env, PORT: port } }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`admin ${args.join(' ')} failed: ${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
    });
  });
