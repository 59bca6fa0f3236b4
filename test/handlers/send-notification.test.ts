import { CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, ReceiveMessageCommand, SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { ENV } from '../../functions/shared/manifest';
import { lambdaContext } from '../../bin/local/lambda-context';
import { merchantWithLocation } from '../support/api';
import { createCustomer, statementBody } from '../support/fixtures';
import { testClients } from '../support/clients';
import { eventually, setSmsFaults, smsTo, uniquePhone } from '../support/outbox';
import { sqsEventOf } from '../support/sqs-events';

/**
 * send-notification invoked as Lambda's SQS event source invokes it, on a private queue, to see
 * what the handler itself does with a failed message: it stretches the visibility timeout so the
 * retry waits `NOTIFICATION_RETRY_BASE_SECONDS × 2^(n-1)`.
 */
const sqs = testClients().sqs;
let queueUrl = '';
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const receive = async (): Promise<Message[]> =>
  (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] }))).Messages ?? [];


/** Failed records of one invocation; Powertools throws when every record failed, which Lambda reads the same way. */
const invoke = async (messages: Message[]): Promise<number> => {
  try {
    return (await handler(sqsEventOf(messages), lambdaContext('send-notification'))).batchItemFailures.length;
  } catch {
    return messages.length;
  }
};

beforeAll(async () => {
  // Visibility 0 by default: only the handler's own backoff keeps a failed message hidden.
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `SendNotificationTest${ulid()}`, Attributes: { VisibilityTimeout: '0' } }))).QueueUrl!;
  Object.assign(process.env, { [ENV.notificationQueueUrl]: queueUrl, [ENV.notificationRetryBaseSeconds]: '2' });
  ({ handler } = jest.requireActual<typeof import('../../functions/send-notification/handler')>('../../functions/send-notification/handler'));
});

afterAll(async () => {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
});

describe('send-notification', () => {
  /** A customer whose statement the stack's own pipeline already settled (no phone: undeliverable), then given a phone. */
  const customerWithPhoneLater = async () => {
    const merchant = await merchantWithLocation();
    // Created without a phone, so the stack's own pipeline records this statement as undeliverable.
    const customerId = await createCustomer(merchant, { primaryPhone: null });
    const statement = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '15.00' }) });
    await eventually(
      async () => (await merchant.call('GET', '/listNotifications', { query: { customerId } })).body.items,
      (items: Array<{ status: string }>) => items[0]?.status === 'undeliverable',
    );
    const phone = uniquePhone();
    await merchant.call('POST', '/setCustomer', { body: { id: customerId, primaryPhone: phone } });
    return { merchant, customerId, phone, billingDate: statement.body.billingDate as string };
  };

  it('reports a failed send (5xx) as failed and hides it for the backoff delay, then sends it', async () => {
    const { merchant, customerId, phone, billingDate } = await customerWithPhoneLater();
    await setSmsFaults({ serverError: 3, numbers: [phone] });
    const job = { kind: 'statement', jobId: `statement:${customerId}:1:handler-test`, customerId, locationId: merchant.locationId, statementVersion: 1, amountDueMinor: 1500, billingDate };
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(job) }));

    const firstFailures = await invoke(await receive());

    expect(firstFailures).toBe(1);
    expect(await receive()).toEqual([]);
    const again = await eventually(receive, (messages) => messages.length === 1, 6_000, 'message visible again');
    expect(again[0].Attributes?.ApproximateReceiveCount).toBe('2');
    expect(await invoke(again)).toBe(0);
    expect(await smsTo(phone)).toHaveLength(1);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: again[0].ReceiptHandle! }));
  });

  it('does not count a throttled send as a failure: the job succeeds and a fresh copy waits, keeping its earlier failures', async () => {
    const { merchant, customerId, phone, billingDate } = await customerWithPhoneLater();
    const job = { kind: 'statement', jobId: `statement:${customerId}:1:throttle-test`, customerId, locationId: merchant.locationId, statementVersion: 1, amountDueMinor: 1500, billingDate };
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(job), MessageAttributes: { correlationId: { DataType: 'String', StringValue: 'corr-throttle-test' } } }));
    const mine = (messages: Message[]) => messages.filter((m) => m.Body?.includes('throttle-test'));
    const first = mine(await eventually(receive, (m) => mine(m).length === 1, 3_000));
    // Two failed receives first (5xx), then the provider is busy (the SDK tries three times).
    await setSmsFaults({ serverError: 6, numbers: [phone] });
    expect(await invoke(first)).toBe(1);
    const second = mine(await eventually(receive, (m) => mine(m).length === 1, 6_000, 'second receive'));
    expect(await invoke(second)).toBe(1);
    const third = mine(await eventually(receive, (m) => mine(m).length === 1, 10_000, 'third receive'));
    await setSmsFaults({ throttle: 3, numbers: [phone] });

    const failures = await invoke(third);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: third[0].ReceiptHandle! }));

    expect(failures).toBe(0);
    const copies = mine(await eventually(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }))).Messages ?? [], (m) => mine(m).length === 1, 8_000, 'the copy'));
    expect(copies[0].Attributes?.ApproximateReceiveCount).toBe('1');
    expect(copies[0].MessageAttributes?.failedAttempts?.StringValue).toBe('2');
    expect(Date.parse(copies[0].MessageAttributes?.notBefore?.StringValue ?? '')).toBeGreaterThan(0);
    expect(copies[0].MessageAttributes?.correlationId?.StringValue).toBe('corr-throttle-test');
    expect(await invoke(copies)).toBe(0);
    expect(await smsTo(phone)).toHaveLength(1);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: copies[0].ReceiptHandle! }));
  });

  it('drops nothing silently: a malformed job fails and is left for the DLQ', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ kind: 'statement', cardNumber: 'no' }) }));

    const malformed = (messages: Message[]) => messages.filter((m) => m.Body?.includes('cardNumber'));
    const failures = await invoke(malformed(await eventually(receive, (m) => malformed(m).length === 1, 3_000)));

    expect(failures).toBe(1);
  });

  it('prints an EMF NotificationSent line with the Channel dimension, under the job\'s correlation id', async () => {
    // Prepare
    const merchant = await merchantWithLocation();
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });
    const statement = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '9.00' }) });
    const job = { kind: 'statement', jobId: `statement:${customerId}:1:emf-test`, customerId, locationId: merchant.locationId, statementVersion: 1, amountDueMinor: 900, billingDate: statement.body.billingDate };
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(job), MessageAttributes: { correlationId: { DataType: 'String', StringValue: 'corr-emf-test-1' } } }));
    const messages = await eventually(receive, (m) => m.some((x) => x.Body?.includes('emf-test')), 3_000);
    const printed: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });

    // Act
    let failures: number;
    try {
      failures = await invoke(messages.filter((m) => m.Body?.includes('emf-test')));
    } finally {
      write.mockRestore();
    }

    // Assess
    const lines = printed.join('').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    expect(failures).toBe(0);
    expect(lines).toContainEqual(
      expect.objectContaining({
        _aws: expect.objectContaining({ CloudWatchMetrics: [{ Namespace: 'CustomerStatements', Dimensions: [['service', 'Channel']], Metrics: [{ Name: 'NotificationSent', Unit: 'Count' }] }] }),
        service: 'customer-statements',
        Channel: 'sms',
        NotificationSent: 1,
      }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ message: 'notification finished', correlation_id: 'corr-emf-test-1', location_id: merchant.locationId, function_name: 'send-notification' }));
    expect(printed.join('')).not.toContain(phone);
    await Promise.all(messages.map((m) => sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }))));
  });
});
