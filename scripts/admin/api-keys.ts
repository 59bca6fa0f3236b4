import { issueApiKey, parseApiKey } from '../../functions/domain/api-keys';
import { newId } from '../../functions/domain/ids';
import { apiKeysRepo } from '../../functions/shared/repos/api-keys';
import type { AdminCommands, AdminTarget } from './support/types';

export const LOCATION_ID = /^loc_[A-Za-z0-9_-]{1,64}$/;

/**
 * Issues a CX-API-Key for a location (a new `loc_<ulid>` unless `--location` names one). Only the
 * hash is stored; the clear key is in the output once and nowhere else.
 */
export const createKey = async (target: AdminTarget, args: { location?: string }) => {
  if (args.location !== undefined && !LOCATION_ID.test(args.location)) {
    throw new Error(`--location must look like loc_<id>; got ${JSON.stringify(args.location)}.`);
  }
  const locationId = args.location ?? newId('loc');
  const issued = issueApiKey();
  await apiKeysRepo(target.tableName, target.documents).create({ keyId: issued.keyId, locationId, secretHash: issued.secretHash });
  return { apiKey: issued.apiKey, locationId, keyId: issued.keyId };
};

/**
 * Revokes a key by its id (the 16 characters after `cx_`) or by the full key. A deployed API keeps
 * answering from the authorizer cache for up to `AUTHORIZER.cacheTtlSeconds`.
 */
export const revokeKey = async (target: AdminTarget, args: { 'key-id'?: string; 'api-key'?: string }) => {
  const keyId = args['key-id'] ?? parseApiKey(args['api-key'])?.keyId;
  if (!keyId) throw new Error(args['api-key'] ? 'That is not a CX-API-Key.' : 'Pass --key-id <id> or --api-key <key>.');
  if (!(await apiKeysRepo(target.tableName, target.documents).revoke(keyId))) throw new Error(`No API key ${keyId}.`);
  return { keyId, revoked: true };
};

export const apiKeyCommands: AdminCommands = {
  'create-key': { summary: 'Issue a CX-API-Key for a new (or the given) location', options: ['location'], run: createKey },
  'revoke-key': { summary: 'Revoke a key by --key-id or --api-key', options: ['key-id', 'api-key'], run: revokeKey },
};
