import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { ENV } from '../../functions/shared/manifest';
import { lambdaContext } from '../../bin/local/lambda-context';
import { testClients } from '../support/clients';

/**
 * The stream router invoked with stream events as the DynamoDB event source mapping builds them,
 * sending to private queues so the local stack's pollers do not take the jobs first.
 */
const sqs = testClients().sqs;
let notificationQueueUrl = '';
let handler: (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
let sequence = 1000;

const record = (eventName: 'INSERT' | 'MODIFY', newImage: Record<string, unknown>, oldImage?: Record<string, unknown>): DynamoDBRecord => ({
  eventID: ulid(),
  eventName,
  eventSource: 'aws:dynamodb',
  eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/StatementsTable/stream/test',
  dynamodb: {
    SequenceNumber: String(sequence++),
    NewImage: marshall(newImage) as never,
    OldImage: oldImage ? (marshall(oldImage) as never) : undefined,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

const drain = async (queueUrl: string) => {
  const bodies: unknown[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!Messages.length) return bodies;
    bodies.push(...Messages.map((m) => JSON.parse(m.Body ?? '')));
  }
};

const statement = (fields: Record<string, unknown>) => ({
  type: 'STATEMENT', customerId: 'cus_1', locationId: 'loc_1', balanceDueMinor: 1000, remainingMinor: 1000, billingDate: '2026-11-01', ...fields,
});

beforeAll(async () => {
  notificationQueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `RouterTest${ulid()}` }))).QueueUrl!;
  // The webhook queue does not exist: sends to it fail, as a real outage would.
  Object.assign(process.env, { [ENV.notificationQueueUrl]: notificationQueueUrl, [ENV.webhookQueueUrl]: notificationQueueUrl.replace(/RouterTest\w+$/, 'Missing') });
  ({ handler } = jest.requireActual<typeof import('../../functions/stream-router/handler')>('../../functions/stream-router/handler'));
});

afterAll(async () => {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: notificationQueueUrl }));
});

describe('stream-router', () => {
  it('queues one job per notifying change and nothing for the others', async () => {
    const event = {
      Records: [
        record('MODIFY', statement({ version: 1 }), statement({ version: 0 })),
        record('MODIFY', statement({ version: 2, memo: 'x' }), statement({ version: 1 })),
        record('MODIFY', { type: 'CUSTOMER', customerId: 'cus_1' }),
      ],
    };

    const result = await handler(event, lambdaContext('stream-router'));

    expect(result.batchItemFailures).toEqual([]);
    expect(await drain(notificationQueueUrl)).toEqual([expect.objectContaining({ kind: 'statement', jobId: 'statement:cus_1:1' })]);
  });

  it('reports only the record whose job could not be queued, so the mapping retries from it', async () => {
    const payment = record('INSERT', { type: 'PAYMENT', status: 'completed', paymentId: 'pay_1', customerId: 'cus_1', locationId: 'loc_1' });
    const event = { Records: [record('MODIFY', statement({ version: 3, balanceDueMinor: 5, remainingMinor: 5 }), statement({ version: 2 })), payment] };

    const result = await handler(event, lambdaContext('stream-router'));

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: payment.dynamodb!.SequenceNumber }]);
    const jobs = (await drain(notificationQueueUrl)) as Array<{ jobId: string }>;
    expect(jobs.map((j) => j.jobId)).toContain('statement:cus_1:3');
  });
});
