import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { merchantWithLocation, type Merchant } from '../support/api';
import { createCustomer, statementBody } from '../support/fixtures';
import { testClients } from '../support/clients';
import { stackInfo } from '../support/stack-info';
import { emailTo, eventually, setSmsFaults, smsTo, uniqueEmail, uniquePhone } from '../support/outbox';

const { sqs } = testClients();

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
  afterEach(() => setSmsFaults({}));

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
    expect(email.text).toContain('Due date: Mar 10, 2020');
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
