import { DomainError } from '../../domain/errors';

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

export const encodeCursor = (lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined =>
  lastEvaluatedKey ? Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url') : undefined;

const invalidCursor = () =>
  new DomainError('invalid_cursor', 'invalid', 'The cursor is not one this endpoint returned.', {
    fields: [{ path: 'query.cursor', message: 'Not a cursor this endpoint returned.' }],
  });

/**
 * Decodes a cursor and checks it belongs to the partition being read, so a cursor can never move a
 * query into another location's data.
 */
export const decodeCursor = (cursor: string | undefined, mustMatch: Record<string, string>): Record<string, unknown> | undefined => {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw invalidCursor();
  const record = key as Record<string, unknown>;
  if (!Object.values(record).every((v) => typeof v === 'string')) throw invalidCursor();
  for (const [name, value] of Object.entries(mustMatch)) if (record[name] !== value) throw invalidCursor();
  return record;
};
