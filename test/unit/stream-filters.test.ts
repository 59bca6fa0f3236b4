import { marshall } from '@aws-sdk/util-dynamodb';
import { matchesAnyFilter, matchesFilter, STREAM_ROUTER_FILTERS } from '../../functions/shared/stream-filters';

const record = (eventName: string, newImage: Record<string, unknown>) => ({ eventName, dynamodb: { NewImage: marshall(newImage) } });

describe('STREAM_ROUTER_FILTERS', () => {
  it('lets statements with a version and new payments through', () => {
    expect(matchesAnyFilter(STREAM_ROUTER_FILTERS, record('MODIFY', { type: 'STATEMENT', version: 3 }))).toBe(true);
    expect(matchesAnyFilter(STREAM_ROUTER_FILTERS, record('INSERT', { type: 'PAYMENT', amountMinor: 100 }))).toBe(true);
  });

  it('lets new disputes and failed intents through, not their updates', () => {
    expect(matchesAnyFilter(STREAM_ROUTER_FILTERS, record('INSERT', { type: 'DISPUTE', disputeId: 'du_1' }))).toBe(true);
    expect(matchesAnyFilter(STREAM_ROUTER_FILTERS, record('INSERT', { type: 'PAYMENT_FAILURE', intentId: 'pi_1' }))).toBe(true);
    expect(matchesAnyFilter(STREAM_ROUTER_FILTERS, record('MODIFY', { type: 'DISPUTE', disputeId: 'du_1' }))).toBe(false);
  });

  it('keeps placeholders, other items, payment updates and removals out', () => {
    expect(matchesAnyFilter(STREAM_ROUTER_FILTERS, record('INSERT', { type: 'STATEMENT', version: 0 }))).toBe(false);
    expect(matchesAnyFilter(STREAM_ROUTER_FILTERS, record('MODIFY', { type: 'CUSTOMER' }))).toBe(false);
    expect(matchesAnyFilter(STREAM_ROUTER_FILTERS, record('MODIFY', { type: 'PAYMENT' }))).toBe(false);
    expect(matchesAnyFilter(STREAM_ROUTER_FILTERS, { eventName: 'REMOVE', dynamodb: {} })).toBe(false);
  });
});

describe('matchesFilter', () => {
  it('supports exists, prefix and numeric rules', () => {
    expect(matchesFilter({ a: [{ exists: false }] }, { b: 1 })).toBe(true);
    expect(matchesFilter({ a: [{ prefix: 'ab' }] }, { a: 'abc' })).toBe(true);
    expect(matchesFilter({ a: [{ numeric: ['>', 0, '<=', 5] }] }, { a: '5' })).toBe(true);
    expect(matchesFilter({ a: [{ numeric: ['>', 0] }] }, { a: 0 })).toBe(false);
  });
});
