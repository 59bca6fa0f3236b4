export const STACK_ENV = 'LOCAL_STACK_JSON';

export interface StackInfo {
  url: string;
  endpoints: { dynamoDb: string; fauxqs: string; s3: string; ses: string };
  names: {
    table: string;
    idempotencyTable: string;
    attachmentsBucket: string;
    streamArn: string;
    queues: Record<string, { url: string; dlqUrl: string }>;
  };
  lambdaEnvironment: Record<string, string>;
}

/** The local stack started by `global-setup.ts`. */
export const stackInfo = (): StackInfo => {
  const raw = process.env[STACK_ENV];
  if (!raw) throw new Error('The local stack is not running (jest globalSetup did not start it).');
  return JSON.parse(raw) as StackInfo;
};
