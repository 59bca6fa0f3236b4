import { clock, setClock, systemClock } from '../../functions/shared/adapters/clock';

/**
 * "Now" for tests: the clock production code reads, so a run under faketime moves both. Fixtures
 * derive every expiry and date that is compared with now from it, never from a literal.
 */
export const testNow = (): Date => clock.now();

const DAY_MS = 24 * 60 * 60 * 1000;

export const addDays = (date: Date, days: number): Date => new Date(date.getTime() + days * DAY_MS);

export const addSeconds = (date: Date, seconds: number): Date => new Date(date.getTime() + seconds * 1000);

const twoDigits = (n: number) => String(n).padStart(2, '0');

type ExpiryStyle = 'MM / YYYY' | 'MM / YY' | 'MM/YY';

/** A card expiry `years` after now (negative: in the past), written the way customers type it. */
export const cardExpiry = (years: number, style: ExpiryStyle = 'MM / YYYY', now: Date = testNow()): { text: string; month: number; year: number } => {
  const month = now.getUTCMonth() + 1;
  const year = now.getUTCFullYear() + years;
  const yy = twoDigits(year % 100);
  const text = { 'MM / YYYY': `${twoDigits(month)} / ${year}`, 'MM / YY': `${twoDigits(month)} / ${yy}`, 'MM/YY': `${twoDigits(month)}/${yy}` }[style];
  return { text, month, year };
};

/**
 * Moves the clock that in-process production code reads `seconds` ahead of the real time, which
 * keeps running; returns the function that puts it back. (Emulators and receivers keep real time.)
 */
export const shiftClock = (seconds: number): (() => void) => setClock({ now: () => addSeconds(systemClock.now(), seconds) });
