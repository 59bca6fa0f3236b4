import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

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
