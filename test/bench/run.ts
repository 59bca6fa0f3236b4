import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack } from '../../bin/local/stack';
import { issueApiKey } from '../../functions/domain/api-keys';
import { apiKeysRepo } from '../../functions/shared/repos/api-keys';

/**
 * `npm run bench`: p50/p95 of sequential calls on this machine. The goal: `setStatement` through
 * the local API at ≤ 1.5 × a bare PutItem on DynamoDB Local. Prints one JSON line per measure and
 * exits non-zero when the goal is missed.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const WARMUP = 30;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const measure = async (name: string, run: (i: number) => Promise<unknown>) => {
  for (let i = 0; i < WARMUP; i++) await run(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await run(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const result = { name, rounds: ROUNDS, p50: +percentile(times, 50).toFixed(2), p95: +percentile(times, 95).toFixed(2) };
  console.log(JSON.stringify(result));
  return result;
};

const main = async () => {
  const stack = await startLocalStack({ port: 0, log: () => undefined });
  try {
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', endpoint: stack.endpoints.dynamoDb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    );
    const table = stack.names.table;
    const put = await measure('PutItem (bare)', (i) =>
      documents.send(new PutCommand({ TableName: table, Item: { pk: `BENCH#${i}`, sk: 'BENCH', balanceDueMinor: i, billingDate: '2020-02-24' } })),
    );
    await measure('GetItem (bare)', (i) => documents.send(new GetCommand({ TableName: table, Key: { pk: `BENCH#${i}`, sk: 'BENCH' } })));
    await measure('conditional UpdateItem (bare)', (i) =>
      documents.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: `BENCH#${Math.abs(i)}`, sk: 'BENCH' },
          UpdateExpression: 'SET balanceDueMinor = :b',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':b': i },
        }),
      ),
    );

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
    const { id: customerId } = await post('/setCustomer', { firstName: 'Bench', lastName: 'Customer', primaryPhone: '+15125550123' });
    const setStatement = await measure('setStatement via local API', (i) =>
      post('/setStatement', { customerId, balanceDue: `${Math.abs(i) % 500}.00`, billingDate: '2020-02-24' }),
    );
    const ratio = +(setStatement.p50 / put.p50).toFixed(2);
    const goal = 1.5;
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
