import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * CX-API-Key credentials look like `cx_<keyId>_<secret>`. The key id is the lookup key; only a
 * SHA-256 of the secret is stored (the secret is 256 random bits, so a slow hash adds nothing).
 */
const PATTERN = /^cx_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

export interface IssuedApiKey {
  apiKey: string;
  keyId: string;
  secretHash: string;
}

const base62 = (bytes: Buffer): string => {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return [...bytes].map((b) => alphabet[b % 62]).join('');
};

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Creates a new credential. The clear `apiKey` is returned once and never stored. */
export const issueApiKey = (): IssuedApiKey => {
  const keyId = base62(randomBytes(16));
  const secret = randomBytes(32).toString('base64url');
  return { apiKey: `cx_${keyId}_${secret}`, keyId, secretHash: hashSecret(secret) };
};

/** Splits a presented key into its id and secret, or `undefined` when it is not one of ours. */
export const parseApiKey = (presented: string | undefined): { keyId: string; secret: string } | undefined => {
  const match = presented ? PATTERN.exec(presented.trim()) : null;
  return match ? { keyId: match[1], secret: match[2] } : undefined;
};

/** Compares the presented secret with the stored hash in constant time. */
export const secretMatches = (secret: string, storedHash: string): boolean => {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
};
