import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { lambdaContext } from '../../bin/local/lambda-context';
import { loadHandler } from '../../bin/local/handlers';
import { merchantWithLocation } from '../support/api';
import { createCustomer, statementBody } from '../support/fixtures';
import { startBenchStack } from './local-stack';
import { measureInterleaved, measureThroughput, ms } from './stats';
import { section } from './report';
import { closeHttpClient, postJson } from './http-client';

interface Options {
  rounds: number;
  warmup: number;
  clients: number;
  seconds: number;
}

/**
 * The request path alone (the pollers off: on AWS they are other Lambdas): `setStatement` in
 * process and through the local API against bare DynamoDB Local calls of the same item, then
 * throughput with concurrent clients, and the local runtime's memory while it runs.
 */
export const benchRequestPath = async (options: Options) => {
  const stack = await startBenchStack({ workers: false });
  try {
    const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: stack.endpoints.dynamoDb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const documents = DynamoDBDocumentClient.from(dynamo);
    const merchant = await merchantWithLocation({ name: 'Bench Location' });
    const customers = await Promise.all(Array.from({ length: options.clients }, () => createCustomer(merchant)));
    const customerId = customers[0];

    // The handler's own write, captured at its client (as the document client hands it on), to replay bare: "its UpdateItem".
    const handlerDynamo = (require('../../functions/shared/adapters/clients/dynamodb') as typeof import('../../functions/shared/adapters/clients/dynamodb')).dynamoDb;
    const captured = new Map<string, UpdateCommandInput>();
    handlerDynamo.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'UpdateItemCommand') {
          const input = args.input as UpdateCommandInput;
          const id = JSON.stringify(input.Key);
          if (!captured.has(id)) captured.set(id, structuredClone(input));
        }
        return next(args);
      },
      { step: 'initialize', name: 'benchCaptureUpdate' },
    );
    const handler = await loadHandler('set-statement');
    const invoke = (customer: string, balance: string) =>
      handler(
        {
          httpMethod: 'POST',
          path: '/setStatement',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(statementBody(customer, { balanceDue: balance })),
          requestContext: { authorizer: { locationId: merchant.locationId }, domainName: 'localhost', stage: 'local' },
        },
        lambdaContext('set-statement'),
      ) as Promise<{ statusCode: number; body: string }>;
    for (const customer of customers) {
      const answer = await invoke(customer, '1.00');
      if (answer.statusCode >= 300) throw new Error(`setStatement handler ${answer.statusCode}: ${answer.body}`);
    }
    const updates = [...captured.values()];
    if (updates.length < customers.length) throw new Error(`captured ${updates.length} UpdateItem inputs for ${customers.length} customers`);
    const own = updates[0];
    const item = { pk: 'BENCH#put', sk: 'BENCH', ...Object.fromEntries(Object.entries(own.ExpressionAttributeValues ?? {}).map(([k, v]) => [`a${k.slice(1)}`, v])) };

    const viaApi = async (customer: string, balance: string) => {
      const response = await postJson(`${stack.url}/setStatement`, { 'CX-API-Key': merchant.key }, statementBody(customer, { balanceDue: balance }));
      if (response.status >= 300) throw new Error(`setStatement ${response.status}: ${response.text}`);
    };
    const latency = await measureInterleaved(
      {
        'PutItem of the same item (bare)': (i) => documents.send(new PutCommand({ TableName: stack.names.table, Item: { ...item, pk: `BENCH#${i}` } })),
        "the handler's UpdateItem (bare replay)": () => documents.send(new UpdateCommand(own)),
        'setStatement handler in process': (i) => invoke(customerId, `${Math.abs(i) % 500}.01`),
        'setStatement via local API': (i) => viaApi(customerId, `${Math.abs(i) % 500}.00`),
      },
      options,
    );
    const put = latency['PutItem of the same item (bare)'];
    const update = latency["the handler's UpdateItem (bare replay)"];
    const inProcess = latency['setStatement handler in process'];
    const api = latency['setStatement via local API'];

    const s = section('Overhead: setStatement against bare DynamoDB Local calls');
    s.text.push(
      `${options.rounds} rounds of sequential calls after ${options.warmup} warm-up rounds, interleaved (one of each per round), on one DynamoDB Local. Calls to the local API go over Node's http module with a keep-alive agent, the transport the SDK uses for the bare calls. The handler's UpdateItem is the exact input the handler sent, captured at its SDK client and replayed; the PutItem writes an item of the same attributes. The stream and queue pollers are off (on AWS they are other functions).`,
    );
    s.tables.push({ rows: [['measure', 'p50 ms', 'p99 ms'], ...[put, update, inProcess, api].map((r) => [r.name, ms(r.p50), ms(r.p99)])] });
    const handlerRatio = { p50: inProcess.p50 / update.p50, p99: inProcess.p99 / update.p99 };
    const apiRatio = { p50: api.p50 / put.p50, p99: api.p99 / put.p99 };
    s.text.push(`Ratios: handler in process ÷ its UpdateItem ${handlerRatio.p50.toFixed(2)} × at p50 (${handlerRatio.p99.toFixed(2)} × at p99); local API ÷ PutItem ${apiRatio.p50.toFixed(2)} × at p50 (${apiRatio.p99.toFixed(2)} × at p99).`);
    s.figures = { latency, handlerRatio, apiRatio };
    s.goals.push(
      { goal: 'setStatement handler in process ≤ 1.1 × its UpdateItem (p50)', figure: `${handlerRatio.p50.toFixed(2)} × (p99 ${handlerRatio.p99.toFixed(2)} ×)`, met: handlerRatio.p50 <= 1.1 },
      { goal: 'setStatement through the local API ≤ 1.5 × a bare PutItem (p50)', figure: `${apiRatio.p50.toFixed(2)} × (p99 ${apiRatio.p99.toFixed(2)} ×)`, met: apiRatio.p50 <= 1.5 },
    );

    // Throughput, with the runtime's memory sampled meanwhile.
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 50);
    const viaApiRun = await measureThroughput((i) => viaApi(customers[Math.floor(i / 1_000_000)], `${i % 500}.00`), options);
    clearInterval(sampler);
    const bareRun = await measureThroughput((i) => documents.send(new UpdateCommand(updates[Math.floor(i / 1_000_000)])), options);
    const ratio = viaApiRun.perSecond / bareRun.perSecond;
    const t = section('Throughput and memory');
    t.text.push(
      `${options.clients} concurrent clients for ${options.seconds} s each: \`setStatement\` through the local API (each client its own customer), then the handlers' own UpdateItems bare, as many clients, as long, on the same DynamoDB Local. Peak RSS is the Node process running the local runtime (API stand-in, handlers and this benchmark's clients), sampled every 50 ms during the setStatement run; DynamoDB Local's JVM is another process, not counted.`,
    );
    t.tables.push({
      rows: [
        ['run', 'completed', 'errors', 'per second'],
        ['setStatement via local API', String(viaApiRun.done), String(viaApiRun.errors), viaApiRun.perSecond.toFixed(0)],
        ['bare UpdateItem', String(bareRun.done), String(bareRun.errors), bareRun.perSecond.toFixed(0)],
      ],
    });
    const peakMb = Math.max(...rss) / 2 ** 20;
    t.text.push(`Ratio ${ratio.toFixed(2)}. Peak RSS ${peakMb.toFixed(0)} MB (process max RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB).`);
    if (viaApiRun.firstError) t.text.push(`First error: \`${viaApiRun.firstError}\``);
    t.figures = { viaApi: viaApiRun, bare: bareRun, ratio, peakRssMb: peakMb, maxRssMb: process.resourceUsage().maxRSS / 1024 };
    t.goals.push(
      { goal: `setStatement throughput ≥ 0.7 × bare UpdateItems (${options.clients} clients, ${options.seconds} s)`, figure: `${ratio.toFixed(2)} × (${viaApiRun.perSecond.toFixed(0)}/s vs ${bareRun.perSecond.toFixed(0)}/s)`, met: ratio >= 0.7 },
      { goal: 'no errors under concurrent setStatement', figure: `${viaApiRun.errors} errors of ${viaApiRun.done + viaApiRun.errors}`, met: viaApiRun.errors === 0 },
    );
    dynamo.destroy();
    closeHttpClient();
    return [s, t];
  } finally {
    await stack.stop();
  }
};
