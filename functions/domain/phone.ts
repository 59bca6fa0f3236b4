import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePhoneNumberFromString as parseWith, type CountryCode, type MetadataJson } from 'libphonenumber-js/core';

/**
 * libphonenumber-js's "max" metadata, which has every number type (so numbers can be validated and
 * typed, not only parsed), read as it is needed rather than bundled (157 KB): on the first number,
 * the table of calling codes (3 KB); then, for each world numbering zone a number belongs to, the
 * plans of the calling codes starting with that digit (a `+44` number reads zone 4, about 10 KB).
 * Read files are kept. In a bundle `__dirname` is the function's folder, where the build copies
 * `phone-metadata/` (lib/constructs/app-function.ts); `npm run phone-metadata` writes the files.
 */
const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(__dirname, 'phone-metadata', file), 'utf8')) as T;

type Zone = Pick<MetadataJson, 'countries' | 'nonGeographic'>;
interface CallingCodes {
  version: number;
  country_calling_codes: Record<string, CountryCode[]>;
  nonGeographic: string[];
}

const zones = new Map<string, Zone>();
const zoneOf = (callingCode: string): Zone => {
  const digit = callingCode[0];
  let zone = zones.get(digit);
  if (!zone) zones.set(digit, (zone = readJson<Zone>(`${digit}.json`)));
  return zone;
};

/** An object whose `key` properties read `plan(zone, key)` from the zone of their calling code when first touched. */
const lazyPlans = (keys: Array<[key: string, callingCode: string]>, plan: (zone: Zone, key: string) => unknown) =>
  Object.defineProperties(
    {},
    Object.fromEntries(keys.map(([key, callingCode]) => [key, { enumerable: true, get: () => plan(zoneOf(callingCode), key) }])),
  );

const loadMetadata = (): MetadataJson => {
  const index = readJson<CallingCodes>('calling-codes.json');
  return {
    version: index.version,
    country_calling_codes: index.country_calling_codes,
    countries: lazyPlans(
      Object.entries(index.country_calling_codes).flatMap(([callingCode, countries]) => countries.map((country): [string, string] => [country, callingCode])),
      (zone, country) => zone.countries[country as CountryCode],
    ),
    nonGeographic: lazyPlans(
      index.nonGeographic.map((callingCode): [string, string] => [callingCode, callingCode]),
      (zone, callingCode) => zone.nonGeographic[callingCode],
    ),
  } as MetadataJson;
};

let metadata: MetadataJson | undefined;
const parsePhoneNumberFromString = (text: string, defaultCountry?: CountryCode) => {
  metadata ??= loadMetadata();
  return defaultCountry ? parseWith(text, defaultCountry, metadata) : parseWith(text, metadata);
};

export type PhoneCheck = { ok: true; e164: string } | { ok: false; reason: string };

/** Number types that can receive SMS. US/CA numbers cannot be told mobile from landline offline. */
const SMS_CAPABLE = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER']);

/** Normalises a phone number to E.164, using the location's country for national formats. */
export const normalisePhone = (raw: string, defaultCountry: string): PhoneCheck => {
  const parsed = parsePhoneNumberFromString(raw, defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'Not a valid phone number.' };
  return { ok: true, e164: parsed.number };
};

/** Like `normalisePhone`, but also requires a number that can receive SMS text messages. */
export const normaliseSmsPhone = (raw: string, defaultCountry: string): PhoneCheck => {
  const result = normalisePhone(raw, defaultCountry);
  if (!result.ok) return result;
  const type = parsePhoneNumberFromString(result.e164)?.getType();
  if (type && !SMS_CAPABLE.has(type)) {
    return { ok: false, reason: `This number cannot receive SMS text messages (it is a ${type.toLowerCase().replace(/_/g, ' ')} number).` };
  }
  return result;
};

/** Shows only the last two digits, for logs and notification records. */
export const maskPhone = (e164: string): string => `${e164.slice(0, 2)}${'•'.repeat(Math.max(0, e164.length - 4))}${e164.slice(-2)}`;
