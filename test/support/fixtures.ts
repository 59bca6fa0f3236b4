import type { Merchant } from './api';

/** A minimal valid PDF document. */
export const tinyPdf = (): Buffer =>
  Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

export const customerBody = (overrides: Record<string, unknown> = {}) => ({
  firstName: 'John',
  lastName: 'Smith',
  primaryPhone: '+15125550123',
  ...overrides,
});

export const statementBody = (customerId: string, overrides: Record<string, unknown> = {}) => ({
  customerId,
  balanceDue: '100.00',
  billingDate: '2020-02-24',
  ...overrides,
});

/** Creates a customer for the merchant and returns its id. */
export const createCustomer = async (merchant: Merchant, overrides: Record<string, unknown> = {}): Promise<string> => {
  const response = await merchant.call('POST', '/setCustomer', { body: customerBody(overrides) });
  if (response.status !== 201) throw new Error(`setCustomer failed: ${response.text}`);
  return response.body.id as string;
};
