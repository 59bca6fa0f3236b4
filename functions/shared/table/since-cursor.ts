import { DomainError } from '../../domain/errors';
import { ID_PATTERN } from '../../domain/ids';

/**
 * The pull API's cursor: the last payment id the merchant has seen, wrapped so it stays opaque.
 * It only ever selects within the caller's own location's partition, so a forged one reveals nothing.
 */
export const encodeSinceCursor = (paymentId: string): string => Buffer.from(`after:${paymentId}`).toString('base64url');

export const decodeSinceCursor = (cursor: string | undefined): string | undefined => {
  if (!cursor) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const paymentId = text.startsWith('after:') ? text.slice('after:'.length) : '';
  if (!ID_PATTERN.test(paymentId) || !paymentId.startsWith('pay_')) {
    throw new DomainError('invalid_cursor', 'invalid', 'The cursor is not one this endpoint returned.', {
      fields: [{ path: 'query.cursor', message: 'Not a cursor this endpoint returned.' }],
    });
  }
  return paymentId;
};
