import { busyRetryAt, epochSecond, firstSecondToTry, isBusy, PACING_HORIZON_SECONDS, queueDelaySeconds, SendDeferred, slotsPast, slotTime } from '../../functions/domain/send-pacing';
import { addSeconds, testNow } from '../support/clock';

describe('send pacing', () => {
  it('spreads the slots of a second evenly over it', () => {
    // Arrange
    const second = epochSecond(testNow());

    // Act
    const times = [1, 2, 3].map((taken) => slotTime(second, taken, 3).getTime() - second * 1000);

    // Assess
    expect(times).toEqual([0, 333, 666]);
    expect(slotTime(second, 50, 50).getTime() - second * 1000).toBe(980);
  });

  it('counts the slots of a second already past, so a fresh second starts where the clock is', () => {
    // Arrange
    const second = epochSecond(testNow());
    const at = (ms: number) => new Date(second * 1000 + ms);

    // Act / Assess
    expect(slotsPast(second, at(0), 50)).toBe(0);
    expect(slotsPast(second, at(500), 50)).toBe(25);
    expect(slotsPast(second, at(999), 3)).toBe(2);
    expect(slotsPast(second + 1, at(500), 50)).toBe(0);
  });

  it.each(['Throttled', 'ThrottledException', 'Throttling', 'ThrottlingException', 'TooManyRequestsException'])('counts %s as a busy provider, not a failure', (name) => {
    // Arrange
    const error = Object.assign(new Error('Rate exceeded'), { name });

    // Act / Assess
    expect(isBusy(error)).toBe(true);
  });

  it('counts any HTTP 429 and a deferred send as busy, and nothing else', () => {
    // Arrange
    const tooMany = Object.assign(new Error('slow down'), { name: 'Whatever', $metadata: { httpStatusCode: 429 } });
    const serverError = Object.assign(new Error('boom'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });

    // Act / Assess
    expect(isBusy(tooMany)).toBe(true);
    expect(isBusy(new SendDeferred(testNow(), 'no slot'))).toBe(true);
    expect(isBusy(serverError)).toBe(false);
    expect(isBusy(Object.assign(new Error('bad number'), { name: 'InvalidParameter' }))).toBe(false);
    expect(isBusy('Throttled')).toBe(false);
  });

  it('comes back at a deferral\'s own time, else after one to three seconds', () => {
    // Arrange
    const now = testNow();
    const later = addSeconds(now, 42);

    // Act / Assess
    expect(busyRetryAt(now, new SendDeferred(later, 'no slot'), 0.5)).toEqual(later);
    expect(busyRetryAt(now, new Error('Throttled'), 0).getTime() - now.getTime()).toBe(1000);
    expect(busyRetryAt(now, new Error('Throttled'), 0.999).getTime() - now.getTime()).toBe(2998);
  });

  it('turns a not-before time into an SQS delay of 0 to 900 seconds', () => {
    // Arrange
    const now = testNow();

    // Act / Assess
    expect(queueDelaySeconds(now, addSeconds(now, -5))).toBe(0);
    expect(queueDelaySeconds(now, new Date(now.getTime() + 1500))).toBe(2);
    expect(queueDelaySeconds(now, addSeconds(now, 11 * 60 * 60))).toBe(900);
  });
});

describe('firstSecondToTry', () => {
  const first = epochSecond(testNow());

  it('starts at the present second when nothing is known full', () => {
    expect(firstSecondToTry(first, undefined)).toBe(first);
    expect(firstSecondToTry(first, first - 5)).toBe(first);
  });

  it('skips every second up to the latest one found full within the window', () => {
    expect(firstSecondToTry(first, first)).toBe(first + 1);
    expect(firstSecondToTry(first, first + 2)).toBe(first + 3);
    // The whole window full: nothing left to try, the job waits in the queue.
    expect(firstSecondToTry(first, first + PACING_HORIZON_SECONDS)).toBe(first + PACING_HORIZON_SECONDS + 1);
  });

  it('ignores a full second beyond the window (the clock moved back)', () => {
    expect(firstSecondToTry(first, first + PACING_HORIZON_SECONDS + 1)).toBe(first);
    expect(firstSecondToTry(first, first + 86_400)).toBe(first);
  });
});
