import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { customerKey, ITEM_TYPES, locationKey, statementKey, statementLinkKey, tinyLinkKey } from '../table/keys';
import { TABLE } from '../manifest';
import { batchGet } from '../table/batch-get';
import type { TransactItem } from '../table/conditions';
import type { CustomerForPage, LocationForPage, StatementForPage } from '../../domain/statement-view';

/** Whose statement a link opens. */
export interface LinkTarget {
  customerId: string;
  locationId: string;
}

export interface StatementPageData {
  statement: StatementForPage;
  location: LocationForPage;
  customer?: CustomerForPage;
}

const target = (item: Record<string, unknown> | undefined, type: string): LinkTarget | undefined =>
  item && item[TABLE.type] === type && !item.revokedAt && typeof item.customerId === 'string' && typeof item.locationId === 'string'
    ? { customerId: item.customerId, locationId: item.locationId }
    : undefined;

export const linksRepo = (tableName: string, client = documentClient) => ({
  /** The customer a statement link token opens; `undefined` for unknown or revoked tokens. */
  async resolveToken(token: string): Promise<LinkTarget | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: statementLinkKey(token) }));
    return target(Item, ITEM_TYPES.statementLink);
  },

  /** The statement link token a tiny code stands for; `undefined` for unknown or revoked codes. */
  async resolveTinyCode(code: string): Promise<string | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: tinyLinkKey(code) }));
    const found = target(Item, ITEM_TYPES.tinyLink);
    if (!found) return undefined;
    const { Item: statement } = await client.send(
      new GetCommand({ TableName: tableName, Key: statementKey(found.customerId), ProjectionExpression: 'linkToken, locationId' }),
    );
    return statement?.locationId === found.locationId && typeof statement.linkToken === 'string' ? statement.linkToken : undefined;
  },

  /** The statement, its location and its customer, in one round trip. */
  async pageData(link: LinkTarget): Promise<StatementPageData | undefined> {
    const [statement, location, customer] = await batchGet(tableName, [statementKey(link.customerId), locationKey(link.locationId), customerKey(link.customerId)], client);
    if (!statement || !location || statement.locationId !== link.locationId) return undefined;
    return { statement: statement as unknown as StatementForPage, location: location as unknown as LocationForPage, customer: customer as unknown as CustomerForPage | undefined };
  },
});

/** The statement link and tiny link items of a new customer, for its create transaction. */
export const linkItems = (
  tableName: string,
  l: { customerId: string; locationId: string; linkToken: string; tinyCode: string },
): ReadonlyArray<readonly ['statementLink' | 'tinyLink', TransactItem]> => {
  const put = (key: Record<string, string>, type: string): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: { ...key, [TABLE.type]: type, customerId: l.customerId, locationId: l.locationId },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': TABLE.pk },
    },
  });
  return [
    ['statementLink', put(statementLinkKey(l.linkToken), ITEM_TYPES.statementLink)],
    ['tinyLink', put(tinyLinkKey(l.tinyCode), ITEM_TYPES.tinyLink)],
  ];
};
