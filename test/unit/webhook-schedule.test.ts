import { DEFAULT_RETRY_SCHEDULE_SECONDS, nextStep, parseRetrySchedule } from '../../functions/domain/webhook-schedule';
import { outcomeOf } from '../../functions/domain/webhook-delivery';

describe('webhook retry schedule', () => {
  it("defaults to Svix's schedule: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h", () => {
    expect(parseRetrySchedule(undefined)).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(parseRetrySchedule('')).toEqual([...DEFAULT_RETRY_SCHEDULE_SECONDS]);
  });

  it('reads a compressed schedule from configuration and rejects nonsense', () => {
    expect(parseRetrySchedule('0, 1,1,1')).toEqual([0, 1, 1, 1]);
    expect(() => parseRetrySchedule('0,abc')).toThrow(/retry schedule/);
    expect(() => parseRetrySchedule('0,-1')).toThrow();
    expect(() => parseRetrySchedule('0,50000')).toThrow();
  });

  it('waits the next scheduled delay with at most ±10 % jitter, and parks after the last attempt', () => {
    const schedule = [...DEFAULT_RETRY_SCHEDULE_SECONDS];

    expect(nextStep(1, schedule, () => 0.5)).toEqual({ action: 'retry', waitSeconds: 5 });
    expect(nextStep(2, schedule, () => 0)).toEqual({ action: 'retry', waitSeconds: 270 });
    expect(nextStep(2, schedule, () => 0.9999)).toEqual({ action: 'retry', waitSeconds: 330 });
    expect(nextStep(7, schedule, () => 0)).toEqual({ action: 'retry', waitSeconds: 32400 });
    expect(nextStep(8, schedule)).toEqual({ action: 'park' });
  });

  it('treats any 2xx as delivered and anything else as a failed attempt', () => {
    const at = '2026-11-24T18:00:00.000Z';
    const now = new Date(at);
    const base = { at, url: 'https://x.example', latencyMs: 5 };

    expect(outcomeOf({ ...base, statusCode: 204 }, 1, [0, 1], now).status).toBe('delivered');
    expect(outcomeOf({ ...base, statusCode: 301 }, 1, [0, 1], now, () => 0.5)).toEqual({ status: 'retrying', waitSeconds: 1, nextAttemptAt: '2026-11-24T18:00:01.000Z' });
    expect(outcomeOf({ ...base, error: 'timeout after 10000 ms' }, 2, [0, 1], now)).toMatchObject({ status: 'parked', reason: expect.stringContaining('timeout') });
  });
});
