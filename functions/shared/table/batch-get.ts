import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { TABLE } from '../manifest';

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
