import type { Tracer } from '@aws-lambda-powertools/tracer';
import { METRICS } from '../manifest';

/**
 * Powertools Tracer (X-Ray), created once per cold start: subsegments for every SDK client call
 * (`traceClient`) and for every outgoing HTTP request (webhooks, the processor), and a handler
 * subsegment annotated with the route or job (`traced`).
 *
 * The tracer brings the X-Ray SDK (about 125 KB minified). Where a bundle plus that would pass the
 * 250 KB budget the stack builds the function with `CS_TRACER=off` defined (lib/constructs/app-function.ts),
 * esbuild drops the branch below and the require with it, and the function keeps Lambda's own active
 * tracing (the invocation segment) without subsegments. Outside Lambda there is no tracer.
 */
// The condition stays inline: esbuild folds it only where it sees the defined constant itself.
// Outside Lambda (the local runtime, tests) the X-Ray SDK is not even loaded: its async hooks
// (cls-hooked) would tax every asynchronous step of the process for a tracer that stays off.
export const tracer: Tracer | undefined =
  process.env.CS_TRACER !== 'off' && (process.env.AWS_EXECUTION_ENV ?? '').startsWith('AWS_Lambda')
  ? // A require, not an import, so that esbuild can drop it at build time (see above).
    new (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: METRICS.service })
  : undefined;

/** The client, with a subsegment per call when tracing. */
export const traceClient = <T>(client: T): T => (tracer ? tracer.captureAWSv3Client(client) : client);

/** Runs one invocation inside a `## <name>` subsegment annotated with cold start, service and the given keys. */
export const traced = async <T>(name: string, annotations: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> => {
  const parent = tracer?.isTracingEnabled() ? tracer.getSegment() : undefined;
  if (!tracer || !parent) return run();
  const subsegment = parent.addNewSubsegment(`## ${name}`);
  tracer.setSegment(subsegment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  for (const [key, value] of Object.entries(annotations)) if (value) tracer.putAnnotation(key, value);
  try {
    return await run();
  } catch (error) {
    subsegment.addError(error as Error);
    throw error;
  } finally {
    subsegment.close();
    tracer.setSegment(parent);
  }
};
