import { ChangeMessageVisibilityCommand, SendMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { sqs } from './clients/sqs';
import { logger } from './powertools';

/** How many times SQS has handed this message out, this time included. */
export const receiveCount = (record: SQSRecord): number => Number(record.attributes.ApproximateReceiveCount ?? '1') || 1;

/**
 * Backs a failed message off: a Lambda event source mapping leaves a failed message invisible for
 * the queue's visibility timeout; setting it here makes the wait grow with each attempt. If the
 * call fails the message simply comes back after the queue's default timeout.
 */
export const delayRetry = async (queueUrl: string, record: SQSRecord, delaySeconds: number): Promise<void> => {
  try {
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: delaySeconds }));
  } catch (error) {
    logger.warn('could not delay retry', { messageId: record.messageId, error: error as Error });
  }
};

/** Message attributes as `SendMessage` takes them, from those of a received record. */
const carriedAttributes = (record: SQSRecord): Record<string, MessageAttributeValue> =>
  Object.fromEntries(
    Object.entries(record.messageAttributes ?? {}).flatMap(([name, value]) =>
      value.stringValue === undefined ? [] : [[name, { DataType: value.dataType, StringValue: value.stringValue }]],
    ),
  );

/**
 * Puts a fresh copy of the message on `queueUrl` to be received after `delaySeconds` (at most 900),
 * with its attributes and `attributes` set over them. Unlike `delayRetry`, the copy starts again
 * at one receive, so waiting (a busy provider) never counts toward the redrive policy; the caller
 * then lets the original succeed.
 */
export const sendCopy = async (queueUrl: string, record: SQSRecord, delaySeconds: number, attributes: Record<string, string>): Promise<void> => {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: record.body,
      DelaySeconds: delaySeconds,
      MessageAttributes: {
        ...carriedAttributes(record),
        ...Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }])),
      },
    }),
  );
};
