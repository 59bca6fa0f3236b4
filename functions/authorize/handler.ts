import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { parseApiKey, secretMatches } from '../domain/api-keys';
import { apiKeysRepo } from '../shared/repos/api-keys';
import { requireEnv } from '../shared/adapters/env';
import { AUTHORIZER, ENV } from '../shared/manifest';
import { logger } from '../shared/adapters/powertools';
import { emitMetric } from '../shared/adapters/metrics';

const apiKeys = apiKeysRepo(requireEnv(ENV.table));
const HEADER = AUTHORIZER.header.toLowerCase();

/** Every route of this API and stage, so one cached answer serves them all. */
const wholeApi = (methodArn: string) => methodArn.split('/').slice(0, 2).join('/') + '/*/*';

/**
 * REQUEST authorizer keyed on the CX-API-Key header. API Gateway answers 401 (our JSON Gateway
 * Response) when this throws `Unauthorized`.
 */
export const handler = async (event: APIGatewayRequestAuthorizerEvent, context?: Context): Promise<APIGatewayAuthorizerResult> => {
  if (context) logger.addContext(context);
  const presented = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === HEADER)?.[1];
  const parsed = parseApiKey(presented ?? undefined);
  const stored = parsed && (await apiKeys.find(parsed.keyId));
  if (!parsed || !stored || stored.revokedAt || !secretMatches(parsed.secret, stored.secretHash)) {
    emitMetric('apiKeyDenied');
    logger.info('api key denied', { keyId: parsed?.keyId, reason: !parsed ? 'malformed' : !stored ? 'unknown' : stored.revokedAt ? 'revoked' : 'secret' });
    throw new Error('Unauthorized');
  }
  return {
    principalId: stored.locationId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeApi(event.methodArn) }],
    },
    context: { locationId: stored.locationId },
  };
};
