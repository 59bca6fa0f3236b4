import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { customerKey, customerListIndexKey, customerListPartition, externalIdKey, ITEM_TYPES, locationKey } from '../table/keys';
import { TABLE } from '../manifest';
import { buildUpdate } from '../table/update-expression';
import { transact, writeIf } from '../table/conditions';
import { decodeCursor, encodeCursor, type Page } from '../table/cursor';
import { ConcurrentUpdateError, ExternalIdTakenError, LocationNotSetUpError, NotFoundError } from '../../domain/errors';
import { newId, newLinkToken, newTinyCode } from '../../domain/ids';
import { statementPlaceholder } from './statements';
import { linkItems } from './links';
import type { CreateCustomerInput, Customer, CustomerChanges } from '../../domain/customer';
import { nowIso } from '../adapters/clock';

const CUSTOMER_FIELDS = ['firstName', 'lastName', 'primaryPhone', 'primaryEmail', 'externalId', 'address', 'timeZone', 'reminders'] as const;

export const toCustomer = (item: Record<string, unknown>): Customer => ({
  id: item.customerId as string,
  locationId: item.locationId as string,
  ...Object.fromEntries(CUSTOMER_FIELDS.flatMap((f) => (item[f] === undefined ? [] : [[f, item[f]]]))),
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
}) as Customer;

const customerNotFound = () => new NotFoundError('Customer');

/** The customer an externalId guard names (the item a failed guard condition saw). */
const ownerIn = (guard: Record<string, unknown> | undefined) => (typeof guard?.customerId === 'string' ? guard.customerId : undefined);

const condition = (expression: string) => ({
  ConditionExpression: expression,
  ExpressionAttributeNames: { '#pk': TABLE.pk },
});

export const customersRepo = (tableName: string, client = documentClient) => {
  const externalIdGuard = (locationId: string, externalId: string, customerId: string) => ({
    Put: {
      TableName: tableName,
      Item: { ...externalIdKey(locationId, externalId), [TABLE.type]: ITEM_TYPES.externalId, locationId, externalId, customerId },
      ...condition('attribute_not_exists(#pk)'),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  });

  return {
    async get(locationId: string, customerId: string): Promise<Customer> {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: customerKey(customerId) }));
      if (!Item || Item.locationId !== locationId) throw customerNotFound();
      return toCustomer(Item);
    },

    /**
     * Creates the customer, its statement placeholder (which carries the customer's permanent
     * statement link and tiny link), the two link items and the externalId guard in one
     * transaction, which also checks that the location exists. Each item is named, so a cancelled
     * transaction says which condition failed.
     */
    async create(locationId: string, input: CreateCustomerInput): Promise<Customer> {
      const customerId = newId('cus');
      const now = nowIso();
      const linkToken = newLinkToken();
      const tinyCode = newTinyCode();
      const customer = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));
      const written = await transact(client, [
        [
          'customer',
          {
            Put: {
              TableName: tableName,
              Item: {
                ...customerKey(customerId),
                ...customerListIndexKey(locationId, customerId),
                [TABLE.type]: ITEM_TYPES.customer,
                ...customer,
                customerId,
                locationId,
                createdAt: now,
                updatedAt: now,
              },
              ...condition('attribute_not_exists(#pk)'),
            },
          },
        ],
        statementPlaceholder(tableName, { customerId, locationId, linkToken, tinyCode, createdAt: now }),
        ...linkItems(tableName, { customerId, locationId, linkToken, tinyCode }),
        ['location', { ConditionCheck: { TableName: tableName, Key: locationKey(locationId), ...condition('attribute_exists(#pk)') } }],
        ...(input.externalId ? [['externalId', externalIdGuard(locationId, input.externalId, customerId)] as const] : []),
      ]);
      if (!written.ok) {
        if (input.externalId && written.failed.has('externalId')) throw new ExternalIdTakenError(input.externalId, ownerIn(written.existing('externalId')));
        if (written.failed.has('location')) throw new LocationNotSetUpError();
        throw written.cause;
      }
      return toCustomer({ ...customer, customerId, locationId, createdAt: now, updatedAt: now });
    },

    /**
     * Changes only the named fields (`null` clears). Without an `externalId` change this is one
     * conditional update; moving the externalId guard needs the old value, so that case reads first
     * and writes one transaction.
     */
    async update(locationId: string, customerId: string, changes: CustomerChanges): Promise<Customer> {
      const now = nowIso();
      if (changes.externalId === undefined) {
        const update = buildUpdate({ ...changes, updatedAt: now }, { values: { ':loc': locationId } });
        let updated: Record<string, unknown> | undefined;
        const found = await writeIf(async () => {
          ({ Attributes: updated } = await client.send(
            new UpdateCommand({ TableName: tableName, Key: customerKey(customerId), ...update, ConditionExpression: 'locationId = :loc', ReturnValues: 'ALL_NEW' }),
          ));
        });
        if (!found) throw customerNotFound();
        return toCustomer(updated ?? {});
      }
      const current = await this.get(locationId, customerId);
      if ((current.externalId ?? null) === changes.externalId) {
        return this.update(locationId, customerId, { ...changes, externalId: undefined });
      }
      const update = buildUpdate(
        { ...changes, updatedAt: now },
        { values: { ':loc': locationId, ...(current.externalId ? { ':old': current.externalId } : {}) } },
      );
      const written = await transact(client, [
        [
          'customer',
          {
            Update: {
              TableName: tableName,
              Key: customerKey(customerId),
              ...update,
              ConditionExpression: current.externalId ? 'locationId = :loc AND externalId = :old' : 'locationId = :loc AND attribute_not_exists(externalId)',
            },
          },
        ],
        ...(changes.externalId ? [['newExternalId', externalIdGuard(locationId, changes.externalId, customerId)] as const] : []),
        ...(current.externalId ? [['oldExternalId', { Delete: { TableName: tableName, Key: externalIdKey(locationId, current.externalId) } }] as const] : []),
      ]);
      if (!written.ok) {
        if (changes.externalId && written.failed.has('newExternalId')) throw new ExternalIdTakenError(changes.externalId, ownerIn(written.existing('newExternalId')));
        if (written.failed.has('customer')) throw new ConcurrentUpdateError('customer');
        throw written.cause;
      }
      return this.get(locationId, customerId);
    },

    /** A location's customers in creation order, one page at a time. */
    async list(locationId: string, limit: number, cursor?: string): Promise<Page<Customer>> {
      const partition = customerListPartition(locationId);
      const { Items, LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE.gsi1.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE.gsi1.pk },
          ExpressionAttributeValues: { ':pk': partition },
          Limit: limit,
          ExclusiveStartKey: decodeCursor(cursor, { [TABLE.gsi1.pk]: partition }),
        }),
      );
      return { items: (Items ?? []).map(toCustomer), nextCursor: encodeCursor(LastEvaluatedKey) };
    },
  };
};
