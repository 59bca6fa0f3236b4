/**
 * The getting-started guide's example merchant, customer and statement, in one place: the demo
 * (`npm run demo`) sends them and the Postman collection (`npm run postman`) carries them.
 */
export const GUIDE_SERVICE_LOCATION = {
  name: 'Sunrise Dental',
  contactPhone: '(512) 555-0100',
  contactEmail: 'billing@sunrise.example',
  address: { line1: '1 Main St', city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' },
  timeZone: 'America/Chicago',
  currency: 'USD',
  branding: { displayName: 'Sunrise Dental Care', accentColor: '#0A7C66' },
} as const;

export const GUIDE_CUSTOMER = { firstName: 'John', lastName: 'Smith', primaryPhone: '(512) 555-0123', externalId: 'ACCT-1001' } as const;

/** The guide's statement fields besides the customer and the balance (its billing date is the guide's own example). */
export const GUIDE_STATEMENT = { billingDate: '2020-02-24', dueDate: '2020-03-10', memo: 'February cleaning' } as const;
