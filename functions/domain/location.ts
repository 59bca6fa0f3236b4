import * as z from './zod';
import { defineSchema } from './zod';
import { isSupportedCurrency } from './money';
import { normalisePhone } from './phone';
import { isTimeZone, QuietHours, ReminderPlan } from './quiet-hours';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const Address = z.strictObject({
  line1: text(120),
  line2: z.nullish(text(120)),
  city: text(80),
  region: z.nullish(text(80)),
  postalCode: z.nullish(text(20)),
  country: z.string().check(z.regex(/^[A-Z]{2}$/, 'Use an ISO 3166-1 alpha-2 country code, e.g. US.')),
});
export type Address = z.infer<typeof Address>;

const isHttpsUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.includes('.') && !url.username && !url.password;
  } catch {
    return false;
  }
};

export const Branding = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    displayName: z.nullish(text(100)),
    accentColor: z.nullish(z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'Use a hex colour such as #0A7C66.'))),
    /** Shown on the statement page; https only, since the page's CSP allows images from its origin alone. */
    logoUrl: z.nullish(z.string().check(z.maxLength(500), z.refine(isHttpsUrl, 'Use an https URL of the logo image.'))),
  }),
);

/** The body of `setServiceLocation`: the whole location; optional fields left out are cleared. */
export const ServiceLocationInput = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    name: text(100),
    contactPhone: z.nullish(text(32)),
    contactEmail: z.nullish(z.email().check(z.maxLength(254))),
    address: z.nullish(Address),
    timeZone: z._default(z.string().check(z.maxLength(64), z.refine(isTimeZone, 'Use an IANA time zone, e.g. America/Chicago.')), 'America/Chicago'),
    currency: z._default(z.string().check(z.refine(isSupportedCurrency, 'Use an ISO 4217 currency code with two minor digits, e.g. USD.')), 'USD'),
    branding: z.nullish(Branding),
    /** Local hours when no statement, reminder or refund message goes out; default 21:00–08:00. */
    quietHours: z.nullish(QuietHours),
    /** Reminders before and after a statement's due date; absent or `null`: no reminders. */
    reminders: z.nullish(ReminderPlan),
  }),
);
export type ServiceLocationInput = z.infer<typeof ServiceLocationInput>;

/**
 * The Service Location as the API returns it (`setServiceLocation`, `getServiceLocation`): fields
 * the merchant cleared are absent, never `null`. The repository's return type is inferred from it.
 */
export const ServiceLocationView = /* @__PURE__ */ defineSchema(() =>
  z
    .strictObject({
      id: z.string(),
      name: z.string(),
      contactPhone: z.optional(z.string()).check(z.meta({ description: 'E.164, e.g. +15125550123.' })),
      contactEmail: z.optional(z.string()),
      address: z.optional(Address),
      timeZone: z.string().check(z.meta({ description: 'IANA time zone.' })),
      currency: z.string().check(z.meta({ description: 'ISO 4217 code.' })),
      branding: z.optional(Branding),
      quietHours: z.optional(QuietHours).check(z.meta({ description: 'Absent: the default window, 21:00 to 08:00 local time.' })),
      reminders: z.optional(ReminderPlan).check(z.meta({ description: 'Absent: no reminders.' })),
      cardPayments: z
        .strictObject({ available: z.boolean(), processor: z.enum(['sandbox', 'stripe']) })
        .check(
          z.meta({
            description:
              'Whether customers can pay this location\'s statements by card in this stage, and through which processor. On Stripe a location takes cards once the integration specialist has connected its Stripe account (npm run admin -- connect-processor); until then its statement page says whom to contact instead of showing PAY NOW.',
          }),
        ),
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
    })
    .check(z.meta({ id: 'ServiceLocation' })),
);
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
