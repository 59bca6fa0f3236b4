import type { Context } from 'aws-lambda';
import { logger, withLogScope } from '../shared/adapters/powertools';
import { releaseDueNotifications } from '../shared/use-cases/release-notifications';

/**
 * The scheduler, invoked every minute by an EventBridge rule (a timer in the local runtime): queues
 * the notifications whose time has come. A failure throws; the next run picks the same records up.
 */
export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  return withLogScope({ correlationId: context.awsRequestId }, () => releaseDueNotifications());
};
