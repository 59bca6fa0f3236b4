/**
 * The one place production code reads the calendar clock. Domain functions take `now` as an
 * argument; adapters and use cases ask `clock.now()`. Tests pin or shift it with `setClock` (in
 * process) or move the whole process tree with faketime, so expiries, overlaps and retry times are
 * testable on any date. Elapsed-time waits (deadlines, timeouts) use `performance.now()` instead:
 * they measure a duration, not a date.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

let current: Clock = systemClock;

export const clock: Clock = { now: () => current.now() };

/** The current time as an ISO 8601 string, as stored in items and records. */
export const nowIso = (): string => clock.now().toISOString();

/** Replaces the clock (tests only) and returns a function that puts the previous one back. */
export const setClock = (next: Clock): (() => void) => {
  const previous = current;
  current = next;
  return () => {
    current = previous;
  };
};
