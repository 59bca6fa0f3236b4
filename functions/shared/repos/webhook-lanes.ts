import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { ITEM_TYPES, webhookLaneKey } from '../table/keys';
import { TABLE } from '../manifest';
import { writeIf } from '../table/conditions';

/**
 * A location's webhook lanes: `lanes` items, each free or held by one attempt until its lease ends
 * (a worker that dies holding one frees it when the lease runs out). Taking a lane is one
 * conditional PutItem; a full house costs one per lane.
 */
export const webhookLanesRepo = (tableName: string, client = documentClient) => ({
  /** Takes a free lane for `holder` until `now + leaseMs`: its number, or `undefined` when all are held. */
  async take(locationId: string, lanes: number, holder: string, now: Date, leaseMs: number): Promise<number | undefined> {
    const first = Math.floor(Math.random() * lanes);
    for (let k = 0; k < lanes; k += 1) {
      const lane = (first + k) % lanes;
      const leaseUntil = now.getTime() + leaseMs;
      const taken = await writeIf(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...webhookLaneKey(locationId, lane), [TABLE.type]: ITEM_TYPES.webhookLane, holder, leaseUntil, [TABLE.ttl]: Math.ceil(leaseUntil / 1000) + 3600 },
            ConditionExpression: 'attribute_not_exists(#pk) OR leaseUntil < :now',
            ExpressionAttributeNames: { '#pk': TABLE.pk },
            ExpressionAttributeValues: { ':now': now.getTime() },
          }),
        ),
      );
      if (taken) return lane;
    }
    return undefined;
  },

  /** Frees the lane if `holder` still holds it. */
  async release(locationId: string, lane: number, holder: string): Promise<void> {
    await writeIf(() =>
      client.send(new DeleteCommand({ TableName: tableName, Key: webhookLaneKey(locationId, lane), ConditionExpression: 'holder = :holder', ExpressionAttributeValues: { ':holder': holder } })),
    );
  },
});
