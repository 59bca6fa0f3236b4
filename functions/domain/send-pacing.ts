/**
 * Pacing sends to a provider's rate, as pure arithmetic: a second holds `rate` send slots, spread
 * evenly over it, and a send that finds no slot within the horizon waits in the queue until a
 * "not before" time. The adapter (shared/adapters/send-pacer.ts) takes the slots in DynamoDB.
 */

export type PacedChannel = 'sms' | 'email';

/**
 * The SQS message attributes a notification job carries once it has waited: the failed attempts of
 * its earlier copies (a copy starts again at one receive) and the time before which it must not be
 * sent (a pacing wait; a quiet-hours wait can use the same). A redrive drops both.
 */
export const WAIT_ATTRIBUTES = { failedAttempts: 'failedAttempts', notBefore: 'notBefore' } as const;

/** The calendar second (epoch seconds) a moment falls in. */
export const epochSecond = (now: Date): number => Math.floor(now.getTime() / 1000);

/** When the `taken`-th slot (1-based) of `second` may be used: slots are spread evenly over the second. */
export const slotTime = (second: number, taken: number, ratePerSecond: number): Date =>
  new Date(second * 1000 + Math.floor(((taken - 1) * 1000) / ratePerSecond));

/** The slots of `second` already past at `now` (0 for a later second). */
export const slotsPast = (second: number, now: Date, ratePerSecond: number): number =>
  Math.max(0, Math.floor(((now.getTime() - second * 1000) * ratePerSecond) / 1000));

/**
 * Seconds ahead a worker may book a slot and wait for it in process; beyond that the job goes back
 * to the queue (a waiting Lambda costs time, a queued message costs nothing).
 */
export const PACING_HORIZON_SECONDS = 3;

/**
 * The first second worth trying at `first` (now's second), given the latest second this process
 * found full: a second's counter only grows, so every second up to that one is still full. A
 * remembered second outside this window says nothing about it (the clock moved back, or it is old).
 */
export const firstSecondToTry = (first: number, knownFull: number | undefined): number =>
  knownFull !== undefined && knownFull >= first && knownFull <= first + PACING_HORIZON_SECONDS ? knownFull + 1 : first;

/** A send that must not go out before `notBefore`: not a failure, the job waits in the queue. */
export class SendDeferred extends Error {
  constructor(
    readonly notBefore: Date,
    reason: string,
  ) {
    super(reason);
    this.name = 'SendDeferred';
  }
}

/** The provider answers that mean "too fast, try later" (SNS, SES, HTTP 429); they never count as a failed attempt. */
const BUSY_NAMES = new Set(['Throttled', 'ThrottledException', 'Throttling', 'ThrottlingException', 'TooManyRequests', 'TooManyRequestsException', 'SendDeferred']);

export const isBusy = (error: unknown): boolean => {
  if (error instanceof SendDeferred) return true;
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return BUSY_NAMES.has(error.name) || status === 429;
};

/** When a job deferred at `now` may come back: `notBefore` if given, else a short pause with jitter so deferred jobs do not return together. */
export const busyRetryAt = (now: Date, error: unknown, random: number): Date => {
  if (error instanceof SendDeferred) return error.notBefore;
  return new Date(now.getTime() + 1000 + Math.floor(random * 2000));
};

/** SQS `DelaySeconds` (0–900) for a job that may go out at `notBefore`; a later time takes several trips. */
export const queueDelaySeconds = (now: Date, notBefore: Date): number => Math.min(900, Math.max(0, Math.ceil((notBefore.getTime() - now.getTime()) / 1000)));
