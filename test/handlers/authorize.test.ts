import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { handler } from '../../functions/authorize/handler';
import { newMerchant } from '../support/api';
import { apiKeysRepo } from '../../functions/shared/repos/api-keys';
import { parseApiKey } from '../../functions/domain/api-keys';
import { stackInfo } from '../support/stack-info';
import { testClients } from '../support/clients';

const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/setStatement';
const eventWith = (headers: Record<string, string>) => ({ type: 'REQUEST', methodArn, headers }) as unknown as APIGatewayRequestAuthorizerEvent;

describe('authorize handler', () => {
  it('allows a valid key for the whole API and passes its location as context', async () => {
    const merchant = await newMerchant();

    const result = await handler(eventWith({ 'cx-api-key': merchant.key }));

    expect(result.context).toEqual({ locationId: merchant.locationId });
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/*' },
    ]);
  });

  it('refuses a revoked key, a wrong secret and a missing header', async () => {
    const merchant = await newMerchant();
    const revoked = await newMerchant();
    await apiKeysRepo(stackInfo().names.table, testClients().documents).revoke(parseApiKey(revoked.key)!.keyId);
    const wrongSecret = merchant.key.slice(0, -4) + 'AAAA';

    await expect(handler(eventWith({ 'CX-API-Key': revoked.key }))).rejects.toThrow('Unauthorized');
    await expect(handler(eventWith({ 'CX-API-Key': wrongSecret }))).rejects.toThrow('Unauthorized');
    await expect(handler(eventWith({}))).rejects.toThrow('Unauthorized');
  });
});
