import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { batchWorker } from '../../functions/shared/adapters/worker';

/**
 * The worker base under overlapping invocations, as the local runtime's pollers call one handler
 * module (and as a warm Lambda container never does): each batch must report its own failures.
 * A failure reported as done is a message SQS deletes: a lost retry.
 */
const record = (messageId: string): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: messageId,
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test',
  awsRegion: 'us-east-1',
});

const context = (name: string) => ({ functionName: name, awsRequestId: `req-${name}`, functionVersion: '$LATEST', memoryLimitInMB: '128', invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}` }) as unknown as Context;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batchWorker with overlapping invocations', () => {
  it("reports each batch's own failed records, however the batches overlap", async () => {
    // "slow-fail" fails after 60 ms; "fast-ok" succeeds at once; "slow-ok" succeeds after 60 ms.
    const handler = batchWorker(
      'sqs',
      async (r: SQSRecord) => {
        if (r.body.startsWith('slow')) await sleep(60);
        if (r.body.endsWith('fail')) throw new Error(`${r.body} failed`);
      },
      { processInParallel: true, throwOnFullBatchFailure: false },
    );
    const first = handler({ Records: [record('slow-fail'), record('slow-ok')] } satisfies SQSEvent, context('first'));
    await sleep(10);
    const second = handler({ Records: [record('fast-ok')] } satisfies SQSEvent, context('second'));
    const third = handler({ Records: [record('slow-third-fail')] } satisfies SQSEvent, context('third'));

    const [a, b, c] = await Promise.all([first, second, third]);
    expect(a.batchItemFailures).toEqual([{ itemIdentifier: 'slow-fail' }]);
    expect(b.batchItemFailures).toEqual([]);
    expect(c.batchItemFailures).toEqual([{ itemIdentifier: 'slow-third-fail' }]);
  });
});
