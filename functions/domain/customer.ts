import { z } from 'zod';
import { Address } from './location';
import { normaliseSmsPhone } from './phone';
import { InvalidFieldError } from './errors';

const name = z.string().trim().min(1).max(80);

/** Fields a merchant can set on a customer; `null` clears an optional field on update. */
const CustomerFields = {
  firstName: name,
  lastName: name,
  primaryPhone: z.string().trim().min(3).max(32).nullish(),
  primaryEmail: z.email().max(254).nullish(),
  externalId: z.string().trim().min(1).max(64).regex(/^[\x21-\x7E]+$/, 'Use printable characters without spaces.').nullish(),
  address: Address.nullish(),
};

export const CustomerId = z.string().regex(/^cus_[0-9A-HJKMNP-TV-Z]{26}$/, 'Not a customer id.');

export const CreateCustomerInput = z.strictObject(CustomerFields);
export const UpdateCustomerInput = CreateCustomerInput.partial().extend({ id: CustomerId });

/** `setCustomer`: no `id` creates (names required); with `id` updates only the fields it names. */
export const SetCustomerInput = z.union([UpdateCustomerInput, CreateCustomerInput]);
export type CreateCustomerInput = z.infer<typeof CreateCustomerInput>;
export type UpdateCustomerInput = z.infer<typeof UpdateCustomerInput>;
export type CustomerChanges = Omit<UpdateCustomerInput, 'id'>;

/** A customer as the API returns it: fields the merchant cleared are absent, never `null`. */
export const CustomerView = z
  .strictObject({
    id: CustomerId,
    locationId: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    primaryPhone: z.string().optional().meta({ description: 'E.164, e.g. +15125550123.' }),
    primaryEmail: z.string().optional(),
    externalId: z.string().optional(),
    address: Address.optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof CustomerView>;

/**
 * Normalises `primaryPhone` to E.164 with the location's country as default region, and rejects
 * numbers that cannot receive SMS. Other fields pass through.
 */
export const normaliseCustomerPhone = <T extends { primaryPhone?: string | null }>(changes: T, defaultRegion: string): T => {
  if (!changes.primaryPhone) return changes;
  const phone = normaliseSmsPhone(changes.primaryPhone, defaultRegion);
  if (!phone.ok) throw new InvalidFieldError('primaryPhone', phone.reason, 'invalid_phone');
  return { ...changes, primaryPhone: phone.e164 };
};

/** A national-format number needs the location's country to be read; E.164 does not. */
export const phoneNeedsRegion = (changes: { primaryPhone?: string | null }) => Boolean(changes.primaryPhone && !changes.primaryPhone.startsWith('+'));
