import type { SQSRecord } from 'aws-lambda';
import { readFeedback } from '../domain/delivery-feedback';
import { logger } from '../shared/adapters/powertools';
import { batchWorker } from '../shared/adapters/worker';
import { recordFeedback } from '../shared/use-cases/record-feedback';
import { QUEUES } from '../shared/manifest';

/**
 * One provider event from the feedback queue (SES bounce, complaint or delivery; SMS delivery
 * status). A body that is not JSON throws and, after the queue's receives, waits in its DLQ; JSON
 * that is no event we act on (SES `Send`, `Open`…) is logged and dropped.
 */
const recordHandler = async (record: SQSRecord) => {
  const feedback = readFeedback(record.body);
  if (!feedback) return logger.info('feedback ignored', { messageId: record.messageId });
  return recordFeedback(feedback, { lastAttempt: Number(record.attributes.ApproximateReceiveCount) >= QUEUES.feedback.maxReceiveCount });
};

export const handler = batchWorker('sqs', recordHandler);
