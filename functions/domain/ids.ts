import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/** Time-sortable, prefixed ids: `cus_01J…`, `stm_01J…`, `pay_01J…`. */
export const newId = (prefix: 'loc' | 'cus' | 'stm' | 'pay' | 'rfd' | 'ntf' | 'evt' | 'dlv') => `${prefix}_${nextUlid()}`;

export const ID_PATTERN = /^[a-z]{3}_[0-9A-HJKMNP-TV-Z]{26}$/;

/** The customer's statement link token: 192 random bits, URL-safe. */
export const newLinkToken = () => randomBytes(24).toString('base64url');

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A tiny-link code: 10 base62 characters (about 59 bits), drawn without modulo bias. */
export const newTinyCode = (length = 10): string => {
  let code = '';
  while (code.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && code.length < length) code += BASE62[byte % 62];
    }
  }
  return code;
};
