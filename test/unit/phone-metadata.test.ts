import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import examples from 'libphonenumber-js/examples.mobile.json';
import { parsePhoneNumberFromString, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { normalisePhone, normaliseSmsPhone } from '../../functions/domain/phone';
import { PHONE_METADATA_DIR, phoneMetadataFiles } from '../../scripts/phone-metadata';

/** What domain/phone.ts answered when it used libphonenumber-js/max with all its metadata bundled. */
const SMS_CAPABLE = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER']);
const reference = (raw: string, country: string) => {
  const parsed = parsePhoneNumberFromString(raw, country as CountryCode);
  const number = parsed && parsed.isValid() ? parsed.number : undefined;
  const type = number ? parsePhoneNumberFromString(number)?.getType() : undefined;
  return { number, sms: number !== undefined && (!type || SMS_CAPABLE.has(type)), type };
};

/**
 * Every country's example mobile number with its first two digits replaced by 00, 02 … 98, which
 * walks into the fixed-line, toll-free, premium, VoIP… ranges of most plans; read nationally, and
 * every fifth one in international form: about 15,000 numbers, a quarter of them valid.
 */
const corpus = (): Array<[raw: string, country: string]> =>
  Object.entries(examples).flatMap(([country, national]) => {
    const callingCode = getCountryCallingCode(country as CountryCode);
    return Array.from({ length: 50 }, (_, i) => `${String(2 * i).padStart(2, '0')}${national.slice(2)}`).flatMap((digits, i): Array<[string, string]> =>
      i % 5 === 0 ? [[digits, country], [`+${callingCode}${digits}`, 'US']] : [[digits, country]],
    );
  });

describe('phone metadata (functions/domain/phone-metadata)', () => {
  it('is up to date with the installed libphonenumber-js (run `npm run phone-metadata` when this fails)', () => {
    // Act
    const expected = phoneMetadataFiles();
    const committed = Object.fromEntries(readdirSync(PHONE_METADATA_DIR).map((file) => [file, readFileSync(path.join(PHONE_METADATA_DIR, file), 'utf8')]));

    // Assess
    expect(Object.keys(committed).sort()).toEqual(Object.keys(expected).sort());
    for (const [file, content] of Object.entries(expected)) expect(`${file}: ${committed[file] === content ? 'up to date' : 'stale'}`).toBe(`${file}: up to date`);
  });

  it('normalises, validates and types numbers exactly as libphonenumber-js/max does', () => {
    // Prepare
    const numbers = corpus();
    const differences: string[] = [];

    // Act
    for (const [raw, country] of numbers) {
      const expected = reference(raw, country);
      const phone = normalisePhone(raw, country);
      const sms = normaliseSmsPhone(raw, country);
      const got = { number: phone.ok ? phone.e164 : undefined, sms: sms.ok };
      if (got.number !== expected.number || got.sms !== expected.sms) differences.push(`${raw} (${country}): ${JSON.stringify(got)} vs ${JSON.stringify(expected)}`);
      else if (!sms.ok && expected.number && !sms.reason.includes(expected.type!.toLowerCase().replace(/_/g, ' '))) differences.push(`${raw} (${country}): ${sms.reason}`);
    }

    // Assess
    expect(numbers.length).toBeGreaterThan(14_000);
    expect(numbers.filter(([raw, country]) => reference(raw, country).number).length).toBeGreaterThan(3_000);
    expect(differences.slice(0, 20)).toEqual([]);
  });
});
