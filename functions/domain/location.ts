import { z } from 'zod';
import { isSupportedCurrency } from './money';
import { normalisePhone } from './phone';

const text = (max: number) => z.string().trim().min(1).max(max);

export const Address = z.strictObject({
  line1: text(120),
  line2: text(120).nullish(),
  city: text(80),
  region: text(80).nullish(),
  postalCode: text(20).nullish(),
  country: z.string().regex(/^[A-Z]{2}$/, 'Use an ISO 3166-1 alpha-2 country code, e.g. US.'),
});
export type Address = z.infer<typeof Address>;

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const Branding = z.strictObject({
  displayName: text(100).nullish(),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a hex colour such as #0A7C66.').nullish(),
});

/** The body of `setServiceLocation`: the whole location; optional fields left out are cleared. */
export const ServiceLocationInput = z.strictObject({
  name: text(100),
  contactPhone: text(32).nullish(),
  contactEmail: z.email().max(254).nullish(),
  address: Address.nullish(),
  timeZone: z.string().max(64).refine(isTimeZone, 'Use an IANA time zone, e.g. America/Chicago.').default('America/Chicago'),
  currency: z
    .string()
    .refine(isSupportedCurrency, 'Use an ISO 4217 currency code with two minor digits, e.g. USD.')
    .default('USD'),
  branding: Branding.nullish(),
});
export type ServiceLocationInput = z.infer<typeof ServiceLocationInput>;

/**
 * The Service Location as the API returns it (`setServiceLocation`, `getServiceLocation`): fields
 * the merchant cleared are absent, never `null`. The repository's return type is inferred from it.
 */
export const ServiceLocationView = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    contactPhone: z.string().optional().meta({ description: 'E.164, e.g. +15125550123.' }),
    contactEmail: z.string().optional(),
    address: Address.optional(),
    timeZone: z.string().meta({ description: 'IANA time zone.' }),
    currency: z.string().meta({ description: 'ISO 4217 code.' }),
    branding: Branding.optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ServiceLocation' });
export type ServiceLocation = z.infer<typeof ServiceLocationView>;

/** The country used to read national phone numbers; US when the location has no address yet. */
export const defaultRegion = (location: Pick<ServiceLocation, 'address'> | undefined): string => location?.address?.country ?? 'US';

/** Normalises the contact phone; returns the problem as a field message, or the cleaned input. */
export const prepareLocation = (input: ServiceLocationInput): { ok: true; value: ServiceLocationInput } | { ok: false; path: string; message: string } => {
  if (!input.contactPhone) return { ok: true, value: input };
  const phone = normalisePhone(input.contactPhone, defaultRegion({ address: input.address ?? undefined }));
  if (!phone.ok) return { ok: false, path: 'contactPhone', message: phone.reason };
  return { ok: true, value: { ...input, contactPhone: phone.e164 } };
};
