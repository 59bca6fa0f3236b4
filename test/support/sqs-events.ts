import type { Message } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { toSqsRecord } from '../../bin/local/queue-poller';

const TEST_QUEUE = { queueArn: 'arn:aws:sqs:us-east-1:000000000000:test', region: 'us-east-1' };

/** The SQSEvent Lambda would hand a worker for these received messages (same mapping as the local poller). */
export const sqsEventOf = (messages: Message[]): SQSEvent => ({ Records: messages.map((message) => toSqsRecord(message, TEST_QUEUE)) });
