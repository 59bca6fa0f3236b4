import * as z from './zod';
import { defineSchema } from './zod';
import { Address } from './location';
import { normaliseSmsPhone } from './phone';
import { InvalidFieldError } from './errors';

const name = z.string().check(z.trim(), z.minLength(1), z.maxLength(80));

/** Fields a merchant can set on a customer; `null` clears an optional field on update. */
const CustomerFields = {
  firstName: name,
  lastName: name,
  primaryPhone: z.nullish(z.string().check(z.trim(), z.minLength(3), z.maxLength(32))),
  primaryEmail: z.nullish(z.email().check(z.maxLength(254))),
  externalId: z.nullish(z.string().check(z.trim(), z.minLength(1), z.maxLength(64), z.regex(/^[\x21-\x7E]+$/, 'Use printable characters without spaces.'))),
  address: z.nullish(Address),
};

export const CustomerId = z.string().check(z.regex(/^cus_[0-9A-HJKMNP-TV-Z]{26}$/, 'Not a customer id.'));

export const CreateCustomerInput = z.strictObject(CustomerFields);
export const UpdateCustomerInput = z.extend(z.partial(CreateCustomerInput), { id: CustomerId });

/** `setCustomer`: no `id` creates (names required); with `id` updates only the fields it names. */
export const SetCustomerInput = z.union([UpdateCustomerInput, CreateCustomerInput]);
export type CreateCustomerInput = z.infer<typeof CreateCustomerInput>;
export type UpdateCustomerInput = z.infer<typeof UpdateCustomerInput>;
export type CustomerChanges = Omit<UpdateCustomerInput, 'id'>;

/** A customer as the API returns it: fields the merchant cleared are absent, never `null`. */
export const CustomerView = /* @__PURE__ */ defineSchema(() =>
  z
    .strictObject({
      id: CustomerId,
      locationId: z.string(),
      firstName: z.string(),
      lastName: z.string(),
      primaryPhone: z.optional(z.string()).check(z.meta({ description: 'E.164, e.g. +15125550123.' })),
      primaryEmail: z.optional(z.string()),
      externalId: z.optional(z.string()),
      address: z.optional(Address),
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
    })
    .check(z.meta({ id: 'Customer' })),
);
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
