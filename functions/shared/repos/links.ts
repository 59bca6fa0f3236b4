import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../clients';
import { ITEM_TYPES, locationKey, statementKey, statementLinkKey, tinyLinkKey } from '../table/keys';
import { TABLE } from '../manifest';
import type { LocationForPage, StatementForPage } from '../../domain/statement-view';

/** Whose statement a link opens. */
export interface LinkTarget {
  customerId: string;
  locationId: string;
}

export interface StatementPageData {
  statement: StatementForPage;
  location: LocationForPage;
}

type Key = { pk: string; sk: string };

/**
 * Reads several items in one BatchGetItem round trip (retrying unprocessed keys), returned in the
 * order asked, `undefined` where an item does not exist.
 */
export const batchGet = async (tableName: string, keys: Key[], client = documentClient): Promise<Array<Record<string, unknown> | undefined>> => {
  const found = new Map<string, Record<string, unknown>>();
  let pending: Key[] = keys;
  for (let attempt = 0; pending.length && attempt < 5; attempt++) {
    if (attempt) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    const { Responses, UnprocessedKeys } = await client.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const item of Responses?.[tableName] ?? []) found.set(`${item[TABLE.pk]}|${item[TABLE.sk]}`, item);
    pending = (UnprocessedKeys?.[tableName]?.Keys as Key[] | undefined) ?? [];
  }
  if (pending.length) throw new Error('BatchGetItem left keys unprocessed');
  return keys.map((k) => found.get(`${k.pk}|${k.sk}`));
};

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

  /** The statement and its location, in one round trip. */
  async pageData(link: LinkTarget): Promise<StatementPageData | undefined> {
    const [statement, location] = await batchGet(tableName, [statementKey(link.customerId), locationKey(link.locationId)], client);
    if (!statement || !location || statement.locationId !== link.locationId) return undefined;
    return { statement: statement as unknown as StatementForPage, location: location as unknown as LocationForPage };
  },
});
