import * as z from './zod';
import { defineSchema } from './zod';
/**
 * Money is integer minor units. Supported currencies all have two minor digits, so the API's
 * decimal "major units with at most 2 decimals" maps to cents without floating-point math.
 */
export interface Money {
  amountMinor: number;
  currency: string;
}

/** A location that names no currency bills in US dollars. */
export const DEFAULT_CURRENCY = 'USD';

const DECIMAL = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/;

/** Parses a non-negative decimal such as `49.95` or `"100"` into minor units, or `undefined`. */
export const parseMajorUnits = (value: string | number): number | undefined => {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return Number(match[1]) * 100 + Number(fraction);
};

/** Formats minor units as a plain decimal string, e.g. 4995 → "49.95". */
export const toMajorString = (amountMinor: number): string => {
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};

/** Formats for people, e.g. 4995 USD → "$49.95". */
export const formatMoney = ({ amountMinor, currency }: Money, locale = 'en-US'): string =>
  new Intl.NumberFormat(locale, { style: 'currency', currency }).format(toMajorString(amountMinor) as `${number}`);

/** ISO 4217 codes this service accepts: those the runtime knows with exactly two minor digits. */
export const isSupportedCurrency = (code: string): boolean => {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  if (!Intl.supportedValuesOf('currency').includes(code)) return false;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits === 2;
};

/** How API responses show an amount: a non-negative decimal string with two decimals, never a float. */
export const MajorUnitsString = /* @__PURE__ */ defineSchema(() =>
  z.string().check(z.regex(/^\d+\.\d{2}$/), z.meta({ description: 'Major units with two decimals, e.g. "49.95".' })),
);
/** How API responses show an amount in cents. */
export const MinorUnits = /* @__PURE__ */ defineSchema(() =>
  z.int().check(z.meta({ description: 'Integer minor units (cents).' })),
);
