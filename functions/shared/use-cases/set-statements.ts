import * as z from '../../domain/zod';
import { SetStatementInput, type Statement } from '../../domain/statement';
import { describeError, fieldProblems, type FieldProblem } from '../http/chain';
import { logger } from '../adapters/powertools';
import { setStatement } from './set-statement';

/** Writes in flight at once: enough to overlap DynamoDB and S3 round trips, few enough to spare the table's burst. */
export const BATCH_CONCURRENCY = 10;

export type ItemOutcome =
  | { index: number; status: 200 | 201; statement: Statement }
  | { index: number; status: number; error: { code: string; message: string; fields?: FieldProblem[] } };

/** Runs `work` over `items` with at most `limit` running at once; results keep the items' order. Hand-written: ten lines. */
const mapBounded = async <T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
};

const failure = (index: number, error: unknown): ItemOutcome => {
  const view = describeError(error);
  if (view.statusCode >= 500) logger.error('statement item failed', { index, error: error as Error });
  return { index, status: view.statusCode, error: { code: view.code, message: view.message, ...(view.fields?.length ? { fields: view.fields } : {}) } };
};

/**
 * `POST /setStatements`: each item is validated and written on its own (its own conditional write,
 * exactly as setStatement), so one bad item never blocks the others. Items for the same customer
 * run one after another in request order, so the last one wins as if they had been sent singly.
 */
export const setStatements = async (locationId: string, items: readonly unknown[]): Promise<ItemOutcome[]> => {
  const parsed = items.map((item) => SetStatementInput.safeParse(item));
  const byCustomer = new Map<string, number[]>();
  parsed.forEach((result, index) => {
    if (!result.success) return;
    const list = byCustomer.get(result.data.customerId) ?? [];
    list.push(index);
    byCustomer.set(result.data.customerId, list);
  });
  const outcomes = new Array<ItemOutcome>(items.length);
  parsed.forEach((result, index) => {
    if (!result.success) {
      outcomes[index] = { index, status: 400, error: { code: 'validation_failed', message: 'The statement has invalid fields.', fields: fieldProblems(result.error as z.ZodError) } };
    }
  });
  await mapBounded([...byCustomer.values()], BATCH_CONCURRENCY, async (indexes) => {
    for (const index of indexes) {
      const body = (parsed[index] as { data: SetStatementInput }).data;
      try {
        const { created, statement } = await setStatement(locationId, body);
        outcomes[index] = { index, status: created ? 201 : 200, statement };
      } catch (error) {
        outcomes[index] = failure(index, error);
      }
    }
  });
  return outcomes;
};
