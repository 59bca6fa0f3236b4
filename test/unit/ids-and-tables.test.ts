import { newId, newLinkToken, newTinyCode, ID_PATTERN } from '../../functions/domain/ids';
import { buildUpdate } from '../../functions/shared/table/update-expression';
import { decodeCursor, encodeCursor } from '../../functions/shared/table/cursor';
import { statementKey, customerKey } from '../../functions/shared/table/keys';

describe('ids and links', () => {
  it('makes prefixed, time-sortable ids', () => {
    const ids = Array.from({ length: 100 }, () => newId('cus'));
    expect(ids.every((id) => ID_PATTERN.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it('makes statement tokens of at least 128 bits and 10-character tiny codes', () => {
    expect(Buffer.from(newLinkToken(), 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(newTinyCode()).toMatch(/^[0-9A-Za-z]{10}$/);
    expect(new Set(Array.from({ length: 1000 }, () => newTinyCode())).size).toBe(1000);
  });
});

describe('table keys', () => {
  it('gives one statement key per customer, in the customer partition', () => {
    expect(statementKey('cus_1')).toEqual({ pk: 'CUSTOMER#cus_1', sk: 'STATEMENT' });
    expect(statementKey('cus_1').pk).toBe(customerKey('cus_1').pk);
  });
});

describe('buildUpdate', () => {
  it('sets values, removes nulls and leaves undefined alone', () => {
    const update = buildUpdate({ firstName: 'Jane', primaryEmail: null, lastName: undefined }, { set: ['createdAt = if_not_exists(createdAt, :now)'], values: { ':now': 'T' } });

    expect(update.UpdateExpression).toBe('SET createdAt = if_not_exists(createdAt, :now), #a0 = :a0 REMOVE #a1');
    expect(update.ExpressionAttributeNames).toEqual({ '#a0': 'firstName', '#a1': 'primaryEmail' });
    expect(update.ExpressionAttributeValues).toEqual({ ':now': 'T', ':a0': 'Jane' });
  });
});

describe('cursors', () => {
  it('round-trips a key and refuses one from another partition or garbage', () => {
    const key = { gsi1pk: 'LOCATION#a#CUSTOMERS', gsi1sk: 'CUSTOMER#1', pk: 'CUSTOMER#1', sk: 'CUSTOMER' };
    const cursor = encodeCursor(key);

    expect(decodeCursor(cursor, { gsi1pk: 'LOCATION#a#CUSTOMERS' })).toEqual(key);
    expect(() => decodeCursor(cursor, { gsi1pk: 'LOCATION#b#CUSTOMERS' })).toThrow(/cursor/);
    expect(() => decodeCursor('%%%', { gsi1pk: 'x' })).toThrow(/cursor/);
    expect(decodeCursor(undefined, { gsi1pk: 'x' })).toBeUndefined();
  });
});
