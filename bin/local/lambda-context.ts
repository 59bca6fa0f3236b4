import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { FUNCTION_DEFAULTS } from '../../functions/shared/manifest';

/** A Lambda-like context for invoking handlers in process, as the Lambda runtime would. */
export const lambdaContext = (functionName: string, timeoutSeconds: number = FUNCTION_DEFAULTS.timeoutSeconds): Context => {
  const deadline = performance.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(FUNCTION_DEFAULTS.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - performance.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};
