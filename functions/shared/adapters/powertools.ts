import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { METRICS } from '../manifest';

/**
 * What every log line of one unit of work carries: the correlation id that follows a statement or
 * payment from the API request through the stream, the queues and the provider calls, and where
 * known the location and route. Kept per async context, so records a worker handles side by side
 * (push-webhook processes its batch in parallel) never borrow each other's id.
 */
export interface LogScope {
  correlationId?: string;
  locationId?: string;
  route?: string;
  /**
   * The invocation, kept per scope as well as on the logger: the local runtime runs every
   * function in one process, where the logger's own Lambda context belongs to the latest one.
   */
  invocation?: { functionName: string; awsRequestId: string };
}

const scopes = new AsyncLocalStorage<LogScope>();

/** Runs `work` with its log lines (and the items it writes) tagged with `scope`. */
export const withLogScope = <T>(scope: LogScope, work: () => Promise<T>): Promise<T> => scopes.run({ ...scopes.getStore(), ...scope }, work);

/** Adds to the current scope (e.g. the location once a worker has parsed its job). */
export const extendLogScope = (scope: LogScope): void => {
  const store = scopes.getStore();
  if (store) Object.assign(store, Object.fromEntries(Object.entries(scope).filter(([, v]) => v)));
};

/** The correlation id of the work in progress, stored on the items it writes so later work carries it on. */
export const currentCorrelationId = (): string | undefined => scopes.getStore()?.correlationId;

/**
 * Last line of defence behind "never log card data, phone numbers or emails": any string value
 * that looks like one is replaced before the line is written. The real protection is that no
 * code passes them; this catches an error message that quotes one.
 */
const SENSITIVE = [
  /[^\s@"'<>]+@[^\s@"'<>]+\.[A-Za-z]{2,}/g, // email address
  /\+[1-9]\d{6,14}\b/g, // E.164 phone number
  /\b(?:\d[ -]?){12,18}\d\b/g, // card number
];
export const redact = (text: string): string => SENSITIVE.reduce((out, pattern) => out.replace(pattern, '[redacted]'), text);

class ScopedLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const scope = scopes.getStore() ?? {};
    const context = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        correlation_id: scope.correlationId,
        location_id: scope.locationId,
        route: scope.route,
        cold_start: context?.coldStart,
        function_name: scope.invocation?.functionName ?? context?.functionName,
        function_request_id: scope.invocation?.awsRequestId ?? context?.awsRequestId,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(additional);
  }
}

const replacer = (_key: string, value: unknown) => {
  if (typeof value === 'string') return redact(value);
  if (value instanceof Error) return { name: value.name, message: redact(value.message), stack: value.stack && redact(value.stack) };
  return value;
};

/** One logger per function, created at cold start. Never log card data, phone numbers or emails. */
export const logger = new Logger({ serviceName: METRICS.service, logFormatter: new ScopedLogFormatter(), jsonReplacerFn: replacer });
