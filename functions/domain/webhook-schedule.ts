/**
 * When a failed webhook is tried again. The default is Svix's published schedule: at once, then
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later (8 attempts over about 27.6 hours).
 * Element `i` is the wait before attempt `i + 1`, so the first element is the wait before the first
 * attempt and is always 0 in practice. Configuration (ENV.webhookRetryScheduleSeconds), so tests
 * can compress it.
 */
export const DEFAULT_RETRY_SCHEDULE_SECONDS = [0, 5, 300, 1800, 7200, 18000, 36000, 36000] as const;

/** SQS's ceiling for a message's visibility timeout (12 h); the schedule's waits must fit in it. */
export const MAX_WAIT_SECONDS = 43_200;

/** Spread retries by ±10 % so that endpoints recovering from an outage are not hit in lockstep. */
const JITTER = 0.1;

/** Parses `"0,5,300"`; an empty or absent value means the default schedule. */
export const parseRetrySchedule = (text: string | undefined): number[] => {
  if (!text || !text.trim()) return [...DEFAULT_RETRY_SCHEDULE_SECONDS];
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 0 || v > MAX_WAIT_SECONDS)) {
    throw new Error(`Invalid webhook retry schedule "${text}": comma-separated whole seconds between 0 and ${MAX_WAIT_SECONDS}.`);
  }
  return values;
};

export type NextStep = { action: 'retry'; waitSeconds: number } | { action: 'park' };

/**
 * What to do after the `attemptsMade`-th failed attempt of the current round.
 * @param random source of jitter in [0, 1) @default Math.random
 */
export const nextStep = (attemptsMade: number, schedule: readonly number[], random: () => number = Math.random): NextStep => {
  if (attemptsMade >= schedule.length) return { action: 'park' };
  const base = schedule[attemptsMade];
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random()));
  return { action: 'retry', waitSeconds: Math.min(MAX_WAIT_SECONDS, Math.max(0, jittered)) };
};
