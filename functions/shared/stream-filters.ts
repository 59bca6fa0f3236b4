import { TABLE } from './manifest';
import { ITEM_TYPES, STRIPE_ITEM_TYPES } from './table/keys';

/**
 * The stream router's event source mapping: which table changes invoke it and how. The CDK stack
 * (`lib/constructs/messaging.ts`) passes these to `DynamoEventSource`; the local stream poller
 * applies the same filters with `matchesAnyFilter`, so both invoke the router for the same records.
 */

/**
 * Lambda event filter patterns over the stream record (DynamoDB JSON), any of which lets a record
 * through: statements that hold a real version (the placeholder written with a new customer has
 * version 0), new payments, refunds, disputes and failed intents (Stripe's events). Customers, links and notification records never invoke it; a
 * payment's update of the statement (same version) passes the filter and the router drops it.
 * `anything-but "0"` instead of a numeric rule: stream images carry numbers as strings.
 */
export const STREAM_ROUTER_FILTERS: ReadonlyArray<Record<string, unknown>> = [
  {
    eventName: ['INSERT', 'MODIFY'],
    dynamodb: { NewImage: { [TABLE.type]: { S: [ITEM_TYPES.statement] }, version: { N: [{ 'anything-but': ['0'] }] } } },
  },
  {
    eventName: ['INSERT'],
    dynamodb: { NewImage: { [TABLE.type]: { S: [ITEM_TYPES.payment] } } },
  },
  {
    eventName: ['INSERT'],
    dynamodb: { NewImage: { [TABLE.type]: { S: [ITEM_TYPES.refund] } } },
  },
  {
    eventName: ['INSERT'],
    dynamodb: { NewImage: { [TABLE.type]: { S: [STRIPE_ITEM_TYPES.dispute, STRIPE_ITEM_TYPES.paymentFailure] } } },
  },
];

/** Event source mapping settings shared by the stack and the local poller. */
export const STREAM_ROUTER_SOURCE = {
  batchSize: 100,
  maxBatchingWindowSeconds: 1,
  /** Retries of a failing batch before its records go to the on-failure destination (`QUEUES.streamFailure`). */
  retryAttempts: 5,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  maxRecordAgeSeconds: 24 * 60 * 60,
  parallelizationFactor: 1,
} as const;

type Rule = string | number | boolean | null | { 'anything-but'?: unknown[]; exists?: boolean; prefix?: string; numeric?: Array<string | number> };

const numericMatches = (value: unknown, spec: Array<string | number>): boolean => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (Number.isNaN(n)) return false;
  for (let i = 0; i < spec.length; i += 2) {
    const bound = Number(spec[i + 1]);
    const ok = { '=': n === bound, '>': n > bound, '>=': n >= bound, '<': n < bound, '<=': n <= bound }[String(spec[i])];
    if (!ok) return false;
  }
  return true;
};

const ruleMatches = (rule: Rule, value: unknown, present: boolean): boolean => {
  if (rule !== null && typeof rule === 'object') {
    if ('exists' in rule) return rule.exists === present;
    if (!present) return false;
    if (rule['anything-but']) return !rule['anything-but'].includes(value);
    if (rule.prefix !== undefined) return typeof value === 'string' && value.startsWith(rule.prefix);
    if (rule.numeric) return numericMatches(value, rule.numeric);
    return false;
  }
  return present && rule === value;
};

/** EventBridge-style matching of the subset of pattern syntax the filters above use. */
export const matchesFilter = (pattern: Record<string, unknown>, event: unknown): boolean =>
  Object.entries(pattern).every(([field, expected]) => {
    const container = event !== null && typeof event === 'object' ? (event as Record<string, unknown>) : {};
    const present = field in container;
    const value = container[field];
    if (Array.isArray(expected)) return (expected as Rule[]).some((rule) => ruleMatches(rule, value, present));
    return present && matchesFilter(expected as Record<string, unknown>, value);
  });

export const matchesAnyFilter = (patterns: ReadonlyArray<Record<string, unknown>>, event: unknown): boolean =>
  patterns.some((pattern) => matchesFilter(pattern, event));
