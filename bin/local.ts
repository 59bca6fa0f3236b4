import path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStack } from './local/stack';

/**
 * `npm start`: the whole service on this machine, no AWS account. The tables, the statement PDFs
 * and the outbox survive restarts in `.local/`; `--fresh` empties it first; `--in-memory` keeps
 * nothing (the tests use it).
 */
const main = async () => {
  const { values } = parseArgs({
    options: {
      fresh: { type: 'boolean', default: false },
      'in-memory': { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: path.resolve(__dirname, '..', '.local') },
      json: { type: 'boolean', default: false },
    },
  });
  const port = Number(process.env.PORT ?? 3000);
  const stack = await startLocalStack({
    port,
    dataDir: values['in-memory'] ? undefined : values['data-dir'],
    fresh: values.fresh,
    dynamoDbPort: process.env.DYNAMODB_PORT ? Number(process.env.DYNAMODB_PORT) : undefined,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  if (values.json) {
    console.log(JSON.stringify({ ready: true, url: stack.url, endpoints: stack.endpoints, names: stack.names, lambdaEnvironment: stack.lambdaEnvironment }));
  } else {
    console.log(`Customer Statements is running at ${stack.url}`);
    console.log(`  health:  ${stack.url}/health`);
    console.log(`  API reference: ${stack.url}/docs (spec: ${stack.url}/openapi.json)`);
    console.log(`  outbox:  ${stack.url}/_local/outbox (every SMS and email sent)`);
    console.log(`  DynamoDB Local ${stack.endpoints.dynamoDb}, SQS/SNS ${stack.endpoints.fauxqs}, S3 ${stack.endpoints.s3}, SES ${stack.endpoints.ses}`);
    console.log('Press Ctrl-C to stop.');
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
