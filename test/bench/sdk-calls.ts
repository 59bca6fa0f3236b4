import { runningFunction } from '../../bin/local/handlers';

/** One call an SDK client sent: the service, the command, and the function it ran in. */
export interface SdkCall {
  service: string;
  command: string;
  fn: string;
}

interface MiddlewareClient {
  middlewareStack: { add: (middleware: unknown, options: Record<string, unknown>) => void };
}

/**
 * Counts round trips at the SDK clients the functions use (the shared clients in
 * `functions/shared/adapters/clients/`), attributed to the function whose invocation sent them.
 * A count, not a timing: the same on any machine.
 */
export const countSdkCalls = async () => {
  const calls: SdkCall[] = [];
  // Imported after the local stack set the Lambda environment, as the handlers import them.
  const clients: Record<string, MiddlewareClient> = {
    DynamoDB: (require('../../functions/shared/adapters/clients/dynamodb') as typeof import('../../functions/shared/adapters/clients/dynamodb')).dynamoDb as unknown as MiddlewareClient,
    S3: (require('../../functions/shared/adapters/clients/s3') as typeof import('../../functions/shared/adapters/clients/s3')).s3 as unknown as MiddlewareClient,
    SQS: (require('../../functions/shared/adapters/clients/sqs') as typeof import('../../functions/shared/adapters/clients/sqs')).sqs as unknown as MiddlewareClient,
    SNS: (require('../../functions/shared/adapters/clients/sns') as typeof import('../../functions/shared/adapters/clients/sns')).sns as unknown as MiddlewareClient,
    SES: (require('../../functions/shared/adapters/clients/ses') as typeof import('../../functions/shared/adapters/clients/ses')).ses as unknown as MiddlewareClient,
  };
  for (const [service, client] of Object.entries(clients)) {
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
        calls.push({ service, command: (context.commandName ?? 'unknown').replace(/Command$/, ''), fn: runningFunction() ?? '(outside a function)' });
        return next(args);
      },
      { step: 'initialize', name: 'benchCallCounter' },
    );
  }
  return {
    /** Forgets what was counted so far. */
    reset: () => calls.splice(0),
    /** What was counted since the last reset. */
    calls: () => [...calls],
    /** Records a call made to something that is not an SDK client (the payment processor). */
    record: (call: SdkCall) => calls.push(call),
  };
};

export type SdkCallCounter = Awaited<ReturnType<typeof countSdkCalls>>;

/** `{ fn: { 'DynamoDB.PutItem': 1, ... } }` */
export const tally = (calls: SdkCall[]) => {
  const byFunction: Record<string, Record<string, number>> = {};
  for (const call of calls) {
    const name = `${call.service}.${call.command}`;
    const forFn = (byFunction[call.fn] ??= {});
    forFn[name] = (forFn[name] ?? 0) + 1;
  }
  return byFunction;
};
