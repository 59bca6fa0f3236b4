import type { SQSEvent } from 'aws-lambda';
import { QUEUES } from '../../functions/shared/manifest';
import { lambdaContext } from '../../bin/local/lambda-context';
import { toSqsRecord } from '../../bin/local/queue-poller';

/**
 * The feedback worker with an SES event about a message no notification has (yet) recorded, as
 * SQS hands it over on its first and on its last receive.
 */
let handler: typeof import('../../functions/record-feedback/handler').handler;
let written: string[] = [];
const originalWrite = process.stdout.write.bind(process.stdout);

beforeAll(() => {
  ({ handler } = jest.requireActual<typeof import('../../functions/record-feedback/handler')>('../../functions/record-feedback/handler'));
});

beforeEach(() => {
  written = [];
  // Powertools Metrics writes EMF lines to stdout: keep them to read what was counted.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(String(chunk));
    return (originalWrite as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
});

afterEach(() => {
  process.stdout.write = originalWrite;
});

const bounceFor = (messageId: string, receiveCount: number): SQSEvent => ({
  Records: [
    toSqsRecord(
      {
        MessageId: `m-${messageId}`,
        ReceiptHandle: 'r',
        Body: JSON.stringify({
          eventType: 'Bounce',
          mail: { messageId, timestamp: new Date().toISOString(), destination: ['jane@example.com'] },
          bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'jane@example.com' }] },
        }),
        Attributes: { ApproximateReceiveCount: String(receiveCount) },
      },
      { queueArn: 'arn:aws:sqs:us-east-1:000000000000:FeedbackQueue', region: 'us-east-1' },
    ),
  ],
});

const unmatchedCounted = () => written.some((line) => line.includes('"FeedbackUnmatched"'));

describe('record-feedback with an event for an unknown message', () => {
  it('hands the event back to the queue before its last receive (its notification may not have the message id yet)', async () => {
    // Act (a batch of that one event: Powertools fails the whole batch, so SQS delivers it again)
    const outcome = handler(bounceFor(`unknown-${Date.now()}`, 1), lambdaContext('record-feedback'));

    // Assess
    await expect(outcome).rejects.toThrow('All records failed processing');
    expect(unmatchedCounted()).toBe(false);
  });

  it('counts it as FeedbackUnmatched and drops it on the last receive, rather than parking it in the DLQ', async () => {
    // Act
    const response = await handler(bounceFor(`unknown-${Date.now()}`, QUEUES.feedback.maxReceiveCount), lambdaContext('record-feedback'));

    // Assess
    expect(response.batchItemFailures).toHaveLength(0);
    expect(unmatchedCounted()).toBe(true);
  });
});
