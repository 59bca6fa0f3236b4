import { call, newMerchant } from '../support/api';

describe('setServiceLocation', () => {
  it('creates the location of the key and returns it with its id', async () => {
    const merchant = await newMerchant();

    const response = await merchant.call('POST', '/setServiceLocation', {
      body: { name: 'Sunrise Dental', contactPhone: '(512) 555-0123', currency: 'USD', address: { line1: '1 Main St', city: 'Austin', country: 'US' } },
    });

    const again = await merchant.call('POST', '/setServiceLocation', { body: { name: 'Sunrise Dental' } });

    expect(response.status).toBe(201);
    expect(again.status).toBe(200);
    expect(response.body).toMatchObject({ id: merchant.locationId, name: 'Sunrise Dental', contactPhone: '+15125550123', currency: 'USD' });
    expect((await merchant.call('GET', '/getServiceLocation')).body).toMatchObject({ id: merchant.locationId, name: 'Sunrise Dental' });
  });

  it('answers 401 with a JSON error when the key is missing or unknown', async () => {
    const missing = await call('POST', '/setServiceLocation', { body: { name: 'x' } });
    const unknown = await call('POST', '/setServiceLocation', { body: { name: 'x' }, key: 'cx_AAAAAAAAAAAAAAAA_' + 'a'.repeat(43) });

    expect(missing.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('unauthorized');
    expect(Object.keys(missing.body)).toEqual(['error', 'requestId']);
    expect(typeof unknown.body.requestId).toBe('string');
  });

  it('names each bad field and writes nothing', async () => {
    const merchant = await newMerchant();

    const response = await merchant.call('POST', '/setServiceLocation', {
      body: { name: '', currency: 'XYZ', accent: true, branding: { accentColor: 'red' } },
    });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['accent', 'branding.accentColor', 'currency', 'name']);
    expect((await merchant.call('GET', '/getServiceLocation')).status).toBe(404);
  });
});
