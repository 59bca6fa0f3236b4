import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { ITEM_TYPES, statementKey } from '../table/keys';
import { TABLE } from '../manifest';
import { newId } from '../../domain/ids';
import { writeIf, type TransactItem } from '../table/conditions';
import { buildUpdate } from '../table/update-expression';
import { NotFoundError } from '../../domain/errors';
import type { Statement, StoredAttachment } from '../../domain/statement';
import { nowIso } from '../adapters/clock';
import { currentCorrelationId } from '../adapters/powertools';

export interface StatementContent {
  balanceDueMinor: number;
  billingDate: string;
  dueDate?: string | null;
  memo?: string | null;
  attachment?: StoredAttachment | null;
}

export interface SetStatementResult {
  statement: Statement;
  /** True when this was the customer's first statement. */
  created: boolean;
  /** The attachment the replaced statement had, now unreferenced. */
  replacedAttachmentKey?: string;
}

const STATEMENT_FIELDS = ['statementId', 'customerId', 'locationId', 'version', 'balanceDueMinor', 'paidMinor', 'remainingMinor', 'billingDate', 'dueDate', 'memo', 'attachment', 'linkToken', 'tinyCode', 'statementSetAt'] as const;

export const toStatement = (item: Record<string, unknown>): Statement =>
  Object.fromEntries(STATEMENT_FIELDS.flatMap((f) => (item[f] === undefined ? [] : [[f, item[f]]]))) as unknown as Statement;

export const statementsRepo = (tableName: string, client = documentClient) => ({
  /** The customer's current statement; 404 when it has none yet or belongs to another location. */
  async get(locationId: string, customerId: string): Promise<Statement> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: statementKey(customerId) }));
    if (!Item || Item.locationId !== locationId) throw new NotFoundError('Customer');
    if (!Item.version) throw new NotFoundError('Statement');
    return toStatement(Item);
  },

  /**
   * Creates or replaces THE statement of a customer in one conditional UpdateItem. The item already
   * exists (created with the customer), so the condition both enforces tenancy and proves the
   * customer exists; `ADD version` makes concurrent replacements each get their own version.
   * The statement id, link token and tiny code are kept, so the customer's links never change.
   */
  async set(locationId: string, customerId: string, content: StatementContent): Promise<SetStatementResult> {
    const now = nowIso();
    const update = buildUpdate(
      {
        balanceDueMinor: content.balanceDueMinor,
        paidMinor: 0,
        remainingMinor: content.balanceDueMinor,
        billingDate: content.billingDate,
        dueDate: content.dueDate ?? null,
        memo: content.memo ?? null,
        attachment: content.attachment ?? null,
        statementSetAt: now,
        // The request that set it: the stream, the queue and the send log under the same id.
        correlationId: currentCorrelationId() ?? null,
      },
      { values: { ':loc': locationId, ':one': 1 } },
    );
    let old: Record<string, unknown> = {};
    const found = await writeIf(async () => {
      ({ Attributes: old = {} } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: statementKey(customerId),
          ...update,
          UpdateExpression: `${update.UpdateExpression} ADD version :one`,
          ConditionExpression: 'locationId = :loc',
          // The old image tells us the version we replaced and which attachment became unreferenced.
          ReturnValues: 'ALL_OLD',
        }),
      ));
    });
    if (!found) throw new NotFoundError('Customer');
    const previous = toStatement(old);
    const statement: Statement = {
      ...previous,
      ...Object.fromEntries(Object.entries(content).filter(([, v]) => v !== null && v !== undefined)),
      dueDate: content.dueDate ?? undefined,
      memo: content.memo ?? undefined,
      attachment: content.attachment ?? undefined,
      paidMinor: 0,
      remainingMinor: content.balanceDueMinor,
      statementSetAt: now,
      version: (previous.version ?? 0) + 1,
    };
    return { statement, created: !previous.version, replacedAttachmentKey: previous.attachment?.key };
  },
});

/**
 * The statement item a new customer starts with (version 0: nothing sent yet), for the customer's
 * create transaction. It carries the permanent links, so every later `setStatement` is one
 * conditional update of this item: one statement per customer, by key.
 */
export const statementPlaceholder = (
  tableName: string,
  s: { customerId: string; locationId: string; linkToken: string; tinyCode: string; createdAt: string },
): readonly ['statement', TransactItem] => [
  'statement',
  {
    Put: {
      TableName: tableName,
      Item: { ...statementKey(s.customerId), [TABLE.type]: ITEM_TYPES.statement, ...s, statementId: newId('stm'), version: 0 },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': TABLE.pk },
    },
  },
];
