import { merchantWithLocation, newMerchant } from '../support/api';

const jane = { firstName: 'Jane', lastName: 'Doe', primaryPhone: '(512) 555-0123', primaryEmail: 'jane@example.com', externalId: 'ACCT-1001' };

describe('setCustomer', () => {
  it('creates a customer (201 with id) and normalises the phone to E.164 using the location country', async () => {
    const merchant = await merchantWithLocation();

    const response = await merchant.call('POST', '/setCustomer', { body: jane });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ firstName: 'Jane', primaryPhone: '+15125550123', externalId: 'ACCT-1001' });
    expect(response.body.id).toMatch(/^cus_/);
    expect((await merchant.call('GET', '/getCustomer', { query: { id: response.body.id } })).body).toEqual(response.body);
  });

  it('updates only the fields named, and null clears an optional field', async () => {
    const merchant = await merchantWithLocation();
    const { body: customer } = await merchant.call('POST', '/setCustomer', { body: jane });

    const response = await merchant.call('POST', '/setCustomer', { body: { id: customer.id, lastName: 'Smith', primaryEmail: null } });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: customer.id, firstName: 'Jane', lastName: 'Smith', primaryPhone: '+15125550123' });
    expect(response.body).not.toHaveProperty('primaryEmail');
  });

  it('rejects a second customer with the same externalId with 409 naming the existing customer', async () => {
    const merchant = await merchantWithLocation();
    const { body: first } = await merchant.call('POST', '/setCustomer', { body: jane });

    const response = await merchant.call('POST', '/setCustomer', { body: { ...jane, firstName: 'Other' } });

    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'external_id_taken', customerId: first.id });
    expect((await merchant.call('GET', '/listCustomers')).body.items).toHaveLength(1);
  });

  it('moves the externalId guard when a customer changes its externalId', async () => {
    const merchant = await merchantWithLocation();
    const { body: first } = await merchant.call('POST', '/setCustomer', { body: jane });
    await merchant.call('POST', '/setCustomer', { body: { id: first.id, externalId: 'ACCT-2002' } });

    const reuseOld = await merchant.call('POST', '/setCustomer', { body: { ...jane, firstName: 'New' } });
    const takeNew = await merchant.call('POST', '/setCustomer', { body: { ...jane, externalId: 'ACCT-2002' } });

    expect(reuseOld.status).toBe(201);
    expect(takeNew.status).toBe(409);
    expect(takeNew.body.error.customerId).toBe(first.id);
  });

  it('rejects a phone number that cannot receive SMS with a clear 400', async () => {
    const merchant = await merchantWithLocation({ address: { line1: '1 High St', city: 'London', country: 'GB' } });

    const landline = await merchant.call('POST', '/setCustomer', { body: { ...jane, primaryPhone: '020 7946 0018' } });
    const nonsense = await merchant.call('POST', '/setCustomer', { body: { ...jane, primaryPhone: '12' } });

    expect(landline.status).toBe(400);
    expect(landline.body.error.code).toBe('invalid_phone');
    expect(landline.body.error.fields).toEqual([{ path: 'primaryPhone', message: expect.stringMatching(/cannot receive SMS/) }]);
    expect(nonsense.status).toBe(400);
    expect((await merchant.call('GET', '/listCustomers')).body.items).toHaveLength(0);
  });

  it('names every bad field: unknown, wrong type, too long', async () => {
    const merchant = await merchantWithLocation();

    const response = await merchant.call('POST', '/setCustomer', {
      body: { firstName: 42, lastName: 'x'.repeat(81), primaryEmail: 'not-an-email', nickname: 'JD' },
    });

    expect(response.status).toBe(400);
    expect(response.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['firstName', 'lastName', 'nickname', 'primaryEmail']);
  });

  it('holds a body without id to the create rules and names the missing name and the bad phone in one answer', async () => {
    const merchant = await merchantWithLocation();

    const response = await merchant.call('POST', '/setCustomer', { body: { firstName: 'Jane', primaryPhone: '12' } });

    expect([response.status, response.body.error.code]).toEqual([400, 'validation_failed']);
    expect(response.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['lastName', 'primaryPhone']);
  });

  it('holds a body with id to the update rules', async () => {
    const merchant = await merchantWithLocation();

    const response = await merchant.call('POST', '/setCustomer', { body: { id: 'cus_nope', primaryPhone: '020 7946 0018', nickname: 'JD' } });

    expect(response.status).toBe(400);
    expect(response.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['id', 'nickname', 'primaryPhone']);
  });

  it('answers 404 for an id of another location, exactly as for an id that does not exist', async () => {
    const owner = await merchantWithLocation();
    const stranger = await merchantWithLocation();
    const { body: customer } = await owner.call('POST', '/setCustomer', { body: jane });

    const update = await stranger.call('POST', '/setCustomer', { body: { id: customer.id, firstName: 'Mallory' } });
    const read = await stranger.call('GET', '/getCustomer', { query: { id: customer.id } });
    const missing = await stranger.call('GET', '/getCustomer', { query: { id: 'cus_01JAAAAAAAAAAAAAAAAAAAAAAA' } });

    expect([update.status, read.status, missing.status]).toEqual([404, 404, 404]);
    expect(read.body.error.code).toBe(missing.body.error.code);
    expect((await owner.call('GET', '/getCustomer', { query: { id: customer.id } })).body.firstName).toBe('Jane');
  });

  it('asks for the Service Location first', async () => {
    const merchant = await newMerchant();

    const response = await merchant.call('POST', '/setCustomer', { body: { firstName: 'A', lastName: 'B' } });

    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('service_location_missing');
  });
});

describe('listCustomers', () => {
  it('pages through a location’s customers in creation order, and only that location’s', async () => {
    const merchant = await merchantWithLocation();
    const other = await merchantWithLocation();
    await other.call('POST', '/setCustomer', { body: { firstName: 'Not', lastName: 'Mine' } });
    for (const n of [1, 2, 3]) await merchant.call('POST', '/setCustomer', { body: { firstName: `C${n}`, lastName: 'X' } });

    const first = await merchant.call('GET', '/listCustomers', { query: { limit: '2' } });
    const second = await merchant.call('GET', '/listCustomers', { query: { limit: '2', cursor: first.body.nextCursor } });
    const foreignCursor = await other.call('GET', '/listCustomers', { query: { cursor: first.body.nextCursor } });

    expect(first.body.items.map((c: { firstName: string }) => c.firstName)).toEqual(['C1', 'C2']);
    expect(second.body.items.map((c: { firstName: string }) => c.firstName)).toEqual(['C3']);
    expect(second.body.nextCursor).toBeUndefined();
    expect(foreignCursor.status).toBe(400);
  });
});
