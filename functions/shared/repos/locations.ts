import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { ITEM_TYPES, locationKey } from '../table/keys';
import { TABLE } from '../manifest';
import { buildUpdate } from '../table/update-expression';
import type { ServiceLocation, ServiceLocationInput } from '../../domain/location';
import { nowIso } from '../adapters/clock';
import { stageProcessor } from '../adapters/gateway/stage';
import { cardPaymentsFor, readProcessorLink, type ProcessorLink } from '../../domain/processor';
import { writeIf } from '../table/conditions';

const STORED_FIELDS = ['name', 'contactPhone', 'contactEmail', 'address', 'timeZone', 'currency', 'branding', 'quietHours', 'reminders'] as const;

/** The stored processor link, when it is a valid one. */
const processorOf = (item: Record<string, unknown>): ProcessorLink | undefined => readProcessorLink(item.processor);

/** The location as the API shows it, fields in a stable order; `cardPayments` says whether this stage can charge its customers' cards. */
const toLocation = (item: Record<string, unknown>): ServiceLocation =>
  Object.fromEntries(
    [
      ['id', item.locationId],
      ...STORED_FIELDS.map((field) => [field, item[field]]),
      ['cardPayments', cardPaymentsFor(stageProcessor(), processorOf(item))],
      ['createdAt', item.createdAt],
      ['updatedAt', item.updatedAt],
    ].filter(([, value]) => value !== undefined),
  ) as unknown as ServiceLocation;

export const locationsRepo = (tableName: string, client = documentClient) => ({
  async get(locationId: string): Promise<ServiceLocation | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: locationKey(locationId) }));
    return Item ? toLocation(Item) : undefined;
  },

  /**
   * Creates or replaces the location in one write; optional fields left out are cleared. `created`
   * comes from the write's own return values: `createdAt` is this write's time only when it created.
   */
  async upsert(locationId: string, input: ServiceLocationInput): Promise<{ location: ServiceLocation; created: boolean }> {
    const now = nowIso();
    const changes = Object.fromEntries(STORED_FIELDS.map((field) => [field, input[field] ?? null]));
    const update = buildUpdate(
      { ...changes, [TABLE.type]: ITEM_TYPES.location, locationId, updatedAt: now },
      { set: ['createdAt = if_not_exists(createdAt, :now)'], values: { ':now': now } },
    );
    const { Attributes } = await client.send(
      new UpdateCommand({ TableName: tableName, Key: locationKey(locationId), ...update, ReturnValues: 'ALL_NEW' }),
    );
    return { location: toLocation(Attributes ?? {}), created: Attributes?.createdAt === now };
  },

  /** The processor account the location is paid into (admin `show-processor`). */
  async processor(locationId: string): Promise<{ exists: boolean; processor?: ProcessorLink }> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: locationKey(locationId), ConsistentRead: true }));
    return { exists: Boolean(Item), processor: Item ? processorOf(Item) : undefined };
  },

  /** Connects (or replaces) the location's processor account; false when there is no such location. One conditional write. */
  async setProcessor(locationId: string, link: ProcessorLink | undefined): Promise<boolean> {
    return writeIf(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: locationKey(locationId),
          ...(link ? { UpdateExpression: 'SET processor = :link', ExpressionAttributeValues: { ':link': link } } : { UpdateExpression: 'REMOVE processor' }),
          ConditionExpression: `attribute_exists(${TABLE.pk})`,
        }),
      ),
    );
  },
});
