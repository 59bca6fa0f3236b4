import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { ITEM_TYPES, sendSlotsKey } from '../table/keys';
import { TABLE } from '../manifest';

/** Counters older than this are of no use; TTL deletes them. */
const KEEP_SECONDS = 60 * 60;

/**
 * The send slots of one channel per calendar second: one conditional UpdateItem takes a slot.
 * Shared by every notification worker instance, so the rate holds across Lambdas.
 */
export const sendSlotsRepo = (tableName: string, client = documentClient) => ({
  /**
   * Takes a slot of `second` if fewer than `rate` are taken: the slot's number (1-based), or
   * `undefined` when the second is full. A second nobody has used yet starts at `firstFree` (the
   * slots already past), so a send after a quiet spell does not open a burst.
   */
  async take(channel: string, second: number, rate: number, firstFree = 0): Promise<number | undefined> {
    try {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: sendSlotsKey(channel, second),
          UpdateExpression: 'SET #type = :type, #ttl = :ttl, taken = if_not_exists(taken, :start) + :one',
          ConditionExpression: 'attribute_not_exists(taken) OR taken < :rate',
          ExpressionAttributeNames: { '#type': TABLE.type, '#ttl': TABLE.ttl },
          ExpressionAttributeValues: { ':type': ITEM_TYPES.sendSlots, ':ttl': second + KEEP_SECONDS, ':one': 1, ':rate': rate, ':start': Math.min(firstFree, Math.max(0, Math.ceil(rate) - 1)) },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.taken);
    } catch (error) {
      // Not writeIf: the slot number comes back from the write.
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  },
});
