import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack } from '../../bin/local/stack';
import { issueApiKey } from '../../functions/domain/api-keys';
import { apiKeysRepo } from '../../functions/shared/repos/api-keys';
import { lambdaContext } from '../../bin/local/lambda-context';

/**
 * `npm run bench`: p50/p95 of sequential calls on this machine. The goal: `setStatement` through
 * the local API at ≤ 1.5 × a bare PutItem on DynamoDB Local. Prints one JSON line per measure and
 * exits non-zero when the goal is missed.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
// DynamoDB Local's JVM keeps speeding up for hundreds of calls; measure it warm.
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

type Operation = (i: number) => Promise<unknown>;

/**
 * Runs the operations interleaved, one of each per round, so drift on the machine (JIT warm-up,
 * other load) touches every measure alike; then reports p50/p95 of each.
 */
const measureInterleaved = async (operations: Record<string, Operation>) => {
  const entries = Object.entries(operations);
  for (let i = 0; i < WARMUP; i++) for (const [, run] of entries) await run(-1 - i);
  const times = new Map(entries.map(([name]) => [name, [] as number[]]));
  for (let i = 0; i < ROUNDS; i++) {
    for (const [name, run] of entries) {
      const start = performance.now();
      await run(i);
      times.get(name)!.push(performance.now() - start);
    }
  }
  return Object.fromEntries(
    entries.map(([name]) => {
      const sorted = times.get(name)!.sort((a, b) => a - b);
      const result = { name, rounds: ROUNDS, p50: +percentile(sorted, 50).toFixed(2), p95: +percentile(sorted, 95).toFixed(2) };
      console.log(JSON.stringify(result));
      return [name, result];
    }),
  );
};

const main = async () => {
  // The pollers would run in this same process (on AWS they are other Lambdas): leave them out.
  const stack = await startLocalStack({ port: 0, workers: false, log: () => undefined });
  try {
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', endpoint: stack.endpoints.dynamoDb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    );
    const table = stack.names.table;
    const issued = issueApiKey();
    const locationId = 'loc_bench';
    await apiKeysRepo(table, documents).create({ keyId: issued.keyId, locationId, secretHash: issued.secretHash });
    const headers = { 'CX-API-Key': issued.apiKey, 'Content-Type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${stack.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${path} ${response.status}: ${text}`);
      return JSON.parse(text) as { id: string };
    };
    await post('/setServiceLocation', { name: 'Bench Location' });
    // Imported after the stack set the Lambda environment, as a cold start would.
    const { handler: setStatementHandler } = require('../../functions/set-statement/handler') as typeof import('../../functions/set-statement/handler');
    const { id: customerId } = await post('/setCustomer', { firstName: 'Bench', lastName: 'Customer', primaryPhone: '+15125550123' });
    const results = await measureInterleaved({
      'PutItem (bare)': (i) =>
        documents.send(new PutCommand({ TableName: table, Item: { pk: `BENCH#${i}`, sk: 'BENCH', balanceDueMinor: i, billingDate: '2020-02-24' } })),
      'GetItem (bare)': (i) => documents.send(new GetCommand({ TableName: table, Key: { pk: `BENCH#${i}`, sk: 'BENCH' } })),
      'conditional UpdateItem (bare)': (i) =>
        documents.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: `BENCH#${i}`, sk: 'BENCH' },
            UpdateExpression: 'SET balanceDueMinor = :b',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':b': i },
          }),
        ),
      'setStatement via local API': (i) => post('/setStatement', { customerId, balanceDue: `${Math.abs(i) % 500}.00`, billingDate: '2020-02-24' }),
      // The same handler without the HTTP hop: what a Lambda spends once API Gateway has invoked it.
      'setStatement handler in process': (i) =>
        setStatementHandler(
          {
            httpMethod: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ customerId, balanceDue: `${Math.abs(i) % 500}.01`, billingDate: '2020-02-24' }),
            requestContext: { authorizer: { locationId }, domainName: 'localhost', stage: 'local' },
          } as never,
          lambdaContext('set-statement'),
        ),
    });
    const put = results['PutItem (bare)'];
    const setStatement = results['setStatement via local API'];
    const ratio = +(setStatement.p50 / put.p50).toFixed(2);
    const handlerRatio = +(results['setStatement handler in process'].p50 / put.p50).toFixed(2);
    const goal = 1.5;
    console.log(JSON.stringify({ name: 'setStatement handler (no HTTP hop) p50 / PutItem p50', ratio: handlerRatio }));
    console.log(JSON.stringify({ name: 'setStatement p50 / PutItem p50', ratio, goal, met: ratio <= goal }));
    process.exitCode = ratio <= goal ? 0 : 1;
  } finally {
    await stack.stop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
