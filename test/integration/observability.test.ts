import { readFileSync } from 'node:fs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { runDemo } from '../../scripts/demo';
import { statementKey } from '../../functions/shared/table/keys';
import { setWebhook } from '../../scripts/admin/webhooks';
import { merchantWithLocation } from '../support/api';
import { testClients } from '../support/clients';
import { createCustomer, statementBody } from '../support/fixtures';
import { LOCAL_STACK_LOG_ENV } from '../support/global-setup';
import { emailTo, eventually, setSmsFaults, smsTo, uniqueEmail, uniquePhone } from '../support/outbox';
import { stackInfo } from '../support/stack-info';
import { adminTarget, closeWebhookClients, startReceiver } from '../support/webhooks';

/** Every JSON log line the local stack printed so far (Powertools log lines and EMF metrics). */
const stackLogLines = (): Array<Record<string, any>> =>
  readFileSync(process.env[LOCAL_STACK_LOG_ENV]!, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, any>];
      } catch {
        return [];
      }
    });

const setFaults = async (body: Record<string, unknown>) => {
  const response = await fetch(new URL('/_local/faults', stackInfo().url), { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`faults: ${response.status}`);
};

const notificationsOf = async (merchant: Awaited<ReturnType<typeof merchantWithLocation>>, customerId: string) =>
  (await merchant.call('GET', '/listNotifications', { query: { customerId } })).body.items as Array<Record<string, any>>;

afterAll(() => closeWebhookClients());

describe('logs of the running stack', () => {
  it('follow one statement under one correlation id and never carry phone numbers, emails, card numbers or keys', async () => {
    // Act: the guide's whole flow, from a new key to a paid statement.
    const result = await runDemo({ baseUrl: stackInfo().url, log: () => undefined });
    const lines = stackLogLines();
    // The first version's SMS; the demo's last setStatement (nothing due) is another request with its own id.
    const sent = lines.find((line) => line.message === 'notification finished' && line.jobId === `statement:${result.customerId}:1`);
    const correlationId = sent?.correlation_id as string;
    const ofStatement = lines.filter((line) => line.correlation_id === correlationId);

    // Assess: the setStatement request, the stream router and the SMS send share the id.
    expect(correlationId).toEqual(expect.any(String));
    expect(sent).toMatchObject({ function_name: 'send-notification', channel: 'sms', location_id: result.locationId });
    expect(new Set(ofStatement.map((line) => line.function_name))).toEqual(new Set(['set-statement', 'stream-router', 'send-notification']));
    expect(ofStatement.find((line) => line.function_name === 'set-statement')).toMatchObject({ route: 'set-statement', location_id: result.locationId, message: 'request finished' });
    expect(ofStatement.find((line) => line.function_name === 'stream-router')).toMatchObject({ message: 'jobs routed', jobs: ['notification:plan-reminders', 'notification:statement'] });
    const { Item } = await testClients().documents.send(new GetCommand({ TableName: stackInfo().names.table, Key: statementKey(result.customerId) }));
    const lastSet = lines.filter((line) => line.function_name === 'set-statement' && line.location_id === result.locationId && line.message === 'request finished').pop();
    expect(Item?.correlationId).toBe(lastSet?.correlation_id);
    const text = readFileSync(process.env[LOCAL_STACK_LOG_ENV]!, 'utf8');
    const apiKeySecret = result.apiKey.split('_').pop()!;
    for (const secret of ['+15125550123', '5125550123', '4111 1111 1111 1111', '4111111111111111', apiKeySecret, result.apiKey]) {
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    }
  });

  it('print EMF metrics in the manifest namespace (statements set, SMS sent, payment approved, webhook delivered)', async () => {
    // Assess (the demo above ran the flow)
    const metrics = stackLogLines().filter((line) => line._aws?.CloudWatchMetrics?.[0]?.Namespace === 'CustomerStatements');
    const names = new Set(metrics.flatMap((line) => line._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)));
    for (const name of ['StatementSet', 'NotificationSent', 'PaymentApproved', 'AmountPaid', 'WebhookAttempted', 'WebhookDelivered', 'WebhookLatency']) {
      expect({ name, emitted: names.has(name) }).toEqual({ name, emitted: true });
    }
    expect(metrics.find((line) => line.NotificationSent)).toMatchObject({ service: 'customer-statements', Channel: 'sms' });
  });
});

describe('delivery feedback through the local fault switch', () => {
  it('marks a bounced email, moves the customer to SMS and tells the merchant with a signed notification.failed', async () => {
    // Prepare: SMS opted out for now, so the statement goes by email; the email bounces 3 s later.
    const merchant = await merchantWithLocation();
    const receiver = await startReceiver();
    const { secret } = await setWebhook(adminTarget(), { location: merchant.locationId, url: receiver.url });
    const phone = uniquePhone();
    const email = uniqueEmail();
    await setSmsFaults({ optedOut: true, numbers: [phone] });
    await setFaults({ email: { bounce: true, delayMs: 3_000, addresses: [email] } });
    const customerId = await createCustomer(merchant, { primaryPhone: phone, primaryEmail: email });

    // Act
    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '42.00' }) });
    const [sent] = await eventually(() => notificationsOf(merchant, customerId), (items) => items[0]?.status === 'sent', 20_000, 'email sent');
    await setSmsFaults({ numbers: [phone] }); // the customer opted back in to SMS
    const items = await eventually(() => notificationsOf(merchant, customerId), (list) => list.some((n) => n.status === 'bounced') && list.some((n) => n.channel === 'sms' && n.status === 'sent'), 20_000, 'bounce and SMS');
    const delivery = await eventually(async () => receiver.received.find((r) => JSON.parse(r.body).type === 'notification.failed'), (found) => Boolean(found), 20_000, 'webhook');

    // Assess
    expect(sent).toMatchObject({ channel: 'email' });
    expect(await emailTo(email)).toHaveLength(1);
    expect(items.find((n) => n.status === 'bounced')).toMatchObject({ channel: 'email', reason: expect.stringContaining('bounced permanently') });
    expect(await smsTo(phone)).toHaveLength(1);
    const event = new Webhook(secret).verify(delivery!.body, { 'webhook-id': delivery!.headers['webhook-id'], 'webhook-timestamp': delivery!.headers['webhook-timestamp'], 'webhook-signature': delivery!.headers['webhook-signature'] }) as Record<string, any>;
    expect(event).toMatchObject({ type: 'notification.failed', locationId: merchant.locationId, data: { customer: { id: customerId }, channel: 'email', fallback: 'sms', reason: expect.stringContaining('bounced') } });
    expect(event.data.destination).not.toContain(email.split('@')[0]);
    await receiver.close();
  });

  it('emails the bounced address no more until the merchant changes primaryEmail', async () => {
    // Prepare: an email-only customer whose address bounces.
    const merchant = await merchantWithLocation();
    const email = uniqueEmail();
    await setFaults({ email: { bounce: true, addresses: [email] } });
    const customerId = await createCustomer(merchant, { primaryPhone: null, primaryEmail: email });
    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '10.00' }) });
    await eventually(() => notificationsOf(merchant, customerId), (items) => items[0]?.status === 'bounced', 20_000, 'bounced');

    // Act: a new statement, then a new address and another statement.
    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '11.00' }) });
    const suppressed = await eventually(() => notificationsOf(merchant, customerId), (items) => items.length === 2 && !['scheduled', 'queued', 'sending'].includes(items[0].status), 20_000, 'second');
    const newEmail = uniqueEmail();
    await merchant.call('POST', '/setCustomer', { body: { id: customerId, primaryEmail: newEmail } });
    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '12.00' }) });
    const third = await eventually(() => notificationsOf(merchant, customerId), (items) => items.length === 3 && items[0].status === 'sent', 20_000, 'third');

    // Assess
    expect(suppressed[0]).toMatchObject({ status: 'undeliverable' });
    expect(await emailTo(email)).toHaveLength(1);
    expect(third[0]).toMatchObject({ channel: 'email' });
    expect(await emailTo(newEmail)).toHaveLength(1);
  });

  it('shows an SMS the carrier could not deliver as failed and falls back to email', async () => {
    // Prepare
    const merchant = await merchantWithLocation();
    const phone = uniquePhone();
    const email = uniqueEmail();
    await setSmsFaults({ deliveryFailure: 'TEXT_CARRIER_UNREACHABLE', numbers: [phone] });
    const customerId = await createCustomer(merchant, { primaryPhone: phone, primaryEmail: email });

    // Act
    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '30.00' }) });
    const items = await eventually(() => notificationsOf(merchant, customerId), (list) => list.some((n) => n.channel === 'sms' && n.status === 'failed') && list.some((n) => n.channel === 'email' && n.status === 'sent'), 20_000, 'fallback');

    // Assess
    expect(items.find((n) => n.channel === 'sms')).toMatchObject({ reason: 'The carrier could not be reached.' });
    expect(await emailTo(email)).toHaveLength(1);
    await setSmsFaults({ numbers: [phone] });
  });

  it('left no customer address or phone number in the logs, bounces included', () => {
    // Assess (the flows above ran with uniqueEmail() addresses and uniquePhone() numbers)
    const text = readFileSync(process.env[LOCAL_STACK_LOG_ENV]!, 'utf8');
    expect(text.match(/customer-[a-z0-9]+@example\.com/g)).toBeNull();
    expect(text.match(/\+1\d{10}/g)).toBeNull();
  });
});
