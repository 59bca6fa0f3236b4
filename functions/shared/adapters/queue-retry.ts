import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
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
