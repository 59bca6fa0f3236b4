import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import max from 'libphonenumber-js/metadata.max.json';

/**
 * `npm run phone-metadata`: writes functions/domain/phone-metadata/ from libphonenumber-js's "max"
 * metadata (run it after upgrading libphonenumber-js; test/unit/phone-metadata.test.ts says when).
 *
 * - `calling-codes.json`: which countries use which calling code (bundled with the function);
 * - `<zone>.json`: the numbering plans of one world numbering zone, i.e. of the calling codes that
 *   start with that digit (1 North America, 4 Europe…), read when a number of that zone is parsed.
 *
 * Each country's formatting rules (a third of the data) are left out: this service parses,
 * validates and types numbers but never formats them, and libphonenumber-js reads those rules only
 * to format.
 */
export const PHONE_METADATA_DIR = path.resolve(__dirname, '..', 'functions', 'domain', 'phone-metadata');

/** Position of the formatting rules in libphonenumber-js's compressed country metadata; `0` means none. */
const FORMATS = 4;

/** One numbering plan in libphonenumber-js's compressed form: an array of patterns, prefixes and rules. */
type Plan = unknown[];
interface Metadata {
  version: number;
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, Plan>;
  nonGeographic: Record<string, Plan>;
}
const metadata = max as unknown as Metadata;

const withoutFormats = (plan: Plan): Plan => plan.map((value, index) => (index === FORMATS ? 0 : value));

export const phoneMetadataFiles = (): Record<string, string> => {
  const zones: Record<string, { countries: Record<string, Plan>; nonGeographic: Record<string, Plan> }> = {};
  const zone = (callingCode: string) => (zones[callingCode[0]] ??= { countries: {}, nonGeographic: {} });
  for (const [callingCode, countries] of Object.entries(metadata.country_calling_codes)) {
    for (const country of countries) zone(callingCode).countries[country] = withoutFormats(metadata.countries[country]);
  }
  for (const [callingCode, plan] of Object.entries(metadata.nonGeographic)) zone(callingCode).nonGeographic[callingCode] = withoutFormats(plan);
  const index = { version: metadata.version, country_calling_codes: metadata.country_calling_codes, nonGeographic: Object.keys(metadata.nonGeographic) };
  return {
    'calling-codes.json': `${JSON.stringify(index)}\n`,
    ...Object.fromEntries(Object.entries(zones).map(([digit, plans]) => [`${digit}.json`, `${JSON.stringify(plans)}\n`])),
  };
};

if (require.main === module) {
  rmSync(PHONE_METADATA_DIR, { recursive: true, force: true });
  mkdirSync(PHONE_METADATA_DIR, { recursive: true });
  for (const [file, content] of Object.entries(phoneMetadataFiles())) writeFileSync(path.join(PHONE_METADATA_DIR, file), content);
  console.log(`wrote ${readdirSync(PHONE_METADATA_DIR).length} files to ${path.relative(process.cwd(), PHONE_METADATA_DIR)}`);
}
