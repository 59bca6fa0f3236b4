import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { locationKey } from '../table/keys';
import type { ServiceLocation } from '../../domain/location';

/**
 * Only a location's address country (the region a national-format phone number is read in): a
 * projected read, and a module small enough for the customer routes' bundle, which would otherwise
 * carry the whole locations repository for this one field.
 */
export const locationAddressRepo = (tableName: string, client = documentClient) => ({
  async get(locationId: string): Promise<Pick<ServiceLocation, 'address'> | undefined> {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: locationKey(locationId), ProjectionExpression: '#address', ExpressionAttributeNames: { '#address': 'address' } }),
    );
    return Item ? { address: Item.address as ServiceLocation['address'] } : undefined;
  },
});
