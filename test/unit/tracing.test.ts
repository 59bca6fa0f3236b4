import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import type { Segment, Subsegment } from 'aws-xray-sdk-core';

/**
 * The tracer adapter as Lambda runs it: active tracing on (AWS_EXECUTION_ENV set, a facade segment
 * in place), so `traced` opens the handler subsegment and a traced client adds one per SDK call.
 * Segments would go to the X-Ray daemon over UDP; nothing listens here, and nothing needs to.
 */
describe('tracing', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  const load = () => {
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs24.x';
    process.env.AWS_XRAY_CONTEXT_MISSING = 'IGNORE_ERROR';
    process.env.AWS_XRAY_DAEMON_ADDRESS = '127.0.0.1:2';
    let loaded!: typeof import('../../functions/shared/adapters/tracing');
    let xray!: typeof import('aws-xray-sdk-core');
    jest.isolateModules(() => {
      loaded = require('../../functions/shared/adapters/tracing');
      xray = require('aws-xray-sdk-core');
    });
    return { ...loaded, xray };
  };

  it('records the invocation as an annotated subsegment, with one subsegment per SDK call inside it', async () => {
    // Prepare
    const { tracer, traceClient, traced, xray } = load();
    expect(tracer?.isTracingEnabled()).toBe(true);
    const facade = new xray.Segment('facade') as Segment;
    const s3 = traceClient(new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));

    // Act (inside the X-Ray context, as Lambda's runtime provides it)
    const after = await xray.getNamespace().runPromise(async () => {
      tracer!.setSegment(facade);
      await traced('set-statement', { route: 'set-statement', locationId: 'loc_1' }, () => s3.send(new ListBucketsCommand({})).catch(() => undefined));
      return tracer!.getSegment();
    });

    // Assess
    const handler = facade.subsegments?.find((s) => s.name === '## set-statement') as Subsegment | undefined;
    expect(handler).toBeDefined();
    const { annotations } = handler as unknown as { annotations?: Record<string, unknown> };
    expect(annotations).toMatchObject({ route: 'set-statement', locationId: 'loc_1', Service: 'customer-statements' });
    expect(typeof annotations?.ColdStart).toBe('boolean');
    expect(handler!.subsegments?.map((s) => s.name)).toContain('S3');
    expect(after).toBe(facade);
  });

  it('marks the subsegment with the error when the invocation throws, and rethrows', async () => {
    // Prepare
    const { tracer, traced, xray } = load();
    const facade = new xray.Segment('facade') as Segment;

    // Act
    const outcome = xray.getNamespace().runPromise(async () => {
      tracer!.setSegment(facade);
      return traced('push-webhook', {}, async () => {
        throw new Error('receiver down');
      });
    });

    // Assess
    await expect(outcome).rejects.toThrow('receiver down');
    const handler = facade.subsegments?.find((s) => s.name === '## push-webhook') as (Subsegment & { fault?: boolean; error?: boolean }) | undefined;
    expect(handler?.fault || handler?.error).toBe(true);
  });

  it('changes nothing outside Lambda: no tracer work, the client as it was', async () => {
    // Prepare
    delete process.env.AWS_EXECUTION_ENV;
    let loaded!: typeof import('../../functions/shared/adapters/tracing');
    jest.isolateModules(() => {
      loaded = require('../../functions/shared/adapters/tracing');
    });
    const client = new S3Client({ region: 'us-east-1' });

    // Act
    const result = await loaded.traced('get-customer', { route: 'get-customer' }, async () => 42);

    // Assess
    expect(result).toBe(42);
    expect(loaded.tracer).toBeUndefined();
    expect(loaded.traceClient(client)).toBe(client);
  });
});
