import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * The two ways a conditional write says "no", in one place: a single write's failed condition, and
 * a transaction cancelled because named items' conditions failed. Anything else (throttling, a
 * transaction conflict) is rethrown for the caller's retry policy.
 */

/** Runs one conditional write; `false` when its condition failed. */
export const writeIf = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/**
 * Like `writeIf`, but also returns the item as it was when the condition failed
 * (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`), and on success what the write returned
 * (e.g. the new item, with `ReturnValues: 'ALL_NEW'`).
 */
export const writeIfOrExisting = async <T, R = unknown>(write: () => Promise<R>): Promise<{ written: true; result: R } | { written: false; existing?: T }> => {
  try {
    const result = await write();
    return { written: true, result };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { written: false, existing: error.Item ? (unmarshall(error.Item) as T) : undefined };
  }
};

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transaction's items, each with a name: a cancellation reports names, not positions. */
export type NamedItems<N extends string> = ReadonlyArray<readonly [N, TransactItem]>;

export type TransactionResult<N extends string> =
  | { ok: true }
  | {
      ok: false;
      /** The items whose conditions failed. */
      failed: ReadonlySet<N>;
      /** The stored item a failed condition saw, when the item asked for `ReturnValuesOnConditionCheckFailure`. */
      existing: (name: N) => Record<string, unknown> | undefined;
      /** DynamoDB's own error, to rethrow when no failure means anything to the caller. */
      cause: TransactionCanceledException;
    };

/** Writes the named items in one TransactWriteItems. */
export const transact = async <N extends string>(client: DynamoDBDocumentClient, items: NamedItems<N>): Promise<TransactionResult<N>> => {
  try {
    await client.send(new TransactWriteCommand({ TransactItems: items.map(([, item]) => item) }));
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failedAt = new Map(items.flatMap(([name], i) => (reasons[i]?.Code === 'ConditionalCheckFailed' ? [[name, i] as const] : [])));
    if (failedAt.size === 0) throw error;
    return {
      ok: false,
      failed: new Set(failedAt.keys()),
      existing: (name) => {
        const item = reasons[failedAt.get(name) ?? -1]?.Item;
        return item ? unmarshall(item) : undefined;
      },
      cause: error,
    };
  }
};
