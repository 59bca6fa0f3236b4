import * as z from './zod';
import { defineSchema } from './zod';
import { Address } from './location';
import { normaliseSmsPhone } from './phone';
import { isTimeZone } from './quiet-hours';

const name = () => z.string().check(z.trim(), z.minLength(1), z.maxLength(80));

/**
 * Fields a merchant can set on a customer; `null` clears an optional field on update. Built on
 * demand (and the schemas below marked pure) so that bundles which only need `CustomerId` leave
 * them out.
 */
const customerFields = () => ({
  firstName: name(),
  lastName: name(),
  primaryPhone: z.nullish(z.string().check(z.trim(), z.minLength(3), z.maxLength(32))),
  primaryEmail: z.nullish(z.email().check(z.maxLength(254))),
  externalId: z.nullish(z.string().check(z.trim(), z.minLength(1), z.maxLength(64), z.regex(/^[\x21-\x7E]+$/, 'Use printable characters without spaces.'))),
  address: z.nullish(Address),
  /** The customer's own IANA time zone for quiet hours and reminder days; else the location's. */
  timeZone: z.nullish(z.string().check(z.maxLength(64), z.refine(isTimeZone, 'Use an IANA time zone, e.g. America/Los_Angeles.'))),
  /** `false` excludes the customer from the location's reminders (statement notices still go). */
  reminders: z.nullish(z.boolean()),
});

export const CustomerId = z.string().check(z.regex(/^cus_[0-9A-HJKMNP-TV-Z]{26}$/, 'Not a customer id.'));

export const CreateCustomerInput = /* @__PURE__ */ defineSchema(() => z.strictObject(customerFields()));
export const UpdateCustomerInput = /* @__PURE__ */ defineSchema(() => z.extend(z.partial(CreateCustomerInput), { id: CustomerId }));

/** `setCustomer`: no `id` creates (names required); with `id` updates only the fields it names. */
export const SetCustomerInput = /* @__PURE__ */ defineSchema(() => z.union([UpdateCustomerInput, CreateCustomerInput]));

/** The rules of `SetCustomerInput` a body is held to: the update rules with `id`, the create rules without. */
export const setCustomerRules = (body: unknown) => (typeof body === 'object' && body !== null && 'id' in body ? UpdateCustomerInput : CreateCustomerInput);
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
      timeZone: z.optional(z.string()).check(z.meta({ description: "IANA time zone; absent: the location's." })),
      reminders: z.optional(z.boolean()).check(z.meta({ description: 'false: excluded from reminders.' })),
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
    })
    .check(z.meta({ id: 'Customer' })),
);
export type Customer = z.infer<typeof CustomerView>;

/**
 * Reads `primaryPhone` as sent, before the schema (so one answer names it with every other bad
 * field): E.164 with the location's country as default region; a number that cannot receive SMS
 * is a problem. Undefined when none is sent.
 */
export const readCustomerPhone = (phone: string | undefined, defaultRegion: string) => (phone ? normaliseSmsPhone(phone, defaultRegion) : undefined);

/** The `primaryPhone` of a body as sent, trimmed; a national-format number needs the location's country to be read, E.164 does not. */
export const sentPhone = (body: unknown): { phone?: string; needsRegion: boolean } => {
  const value = (body as { primaryPhone?: unknown } | undefined)?.primaryPhone;
  const phone = typeof value === 'string' ? value.trim() : '';
  return phone ? { phone, needsRegion: !phone.startsWith('+') } : { needsRegion: false };
};
