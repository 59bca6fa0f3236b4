import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { ITEM_TYPES, locationKey } from '../table/keys';
import { TABLE } from '../manifest';
import { buildUpdate } from '../table/update-expression';
import type { ServiceLocation, ServiceLocationInput } from '../../domain/location';
import { nowIso } from '../adapters/clock';

const STORED_FIELDS = ['name', 'contactPhone', 'contactEmail', 'address', 'timeZone', 'currency', 'branding', 'quietHours', 'reminders'] as const;

/** The location as the API shows it, fields in a stable order. */
const toLocation = (item: Record<string, unknown>): ServiceLocation =>
  Object.fromEntries(
    [['id', item.locationId], ...STORED_FIELDS.map((field) => [field, item[field]]), ['createdAt', item.createdAt], ['updatedAt', item.updatedAt]].filter(
      ([, value]) => value !== undefined,
    ),
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
});
