import {
  addCalendarDays,
  DEFAULT_QUIET_HOURS,
  inQuietHours,
  localTime,
  nextSendTime,
  plannedReminders,
  releaseTime,
  zonedTime,
} from '../../functions/domain/quiet-hours';
import { holdUntil } from '../../functions/domain/notification-plan';
import type { NotificationJob } from '../../functions/domain/notifications';
import { ServiceLocationInput } from '../../functions/domain/location';
import { CreateCustomerInput } from '../../functions/domain/customer';
import { testNow } from '../support/clock';

const NY = 'America/New_York';
const LA = 'America/Los_Angeles';
/** A calendar date a few days ahead of now, in New York, so no test depends on today's date. */
const day = addCalendarDays(localTime(testNow(), NY).date, 3);
const at = (date: string, time: string, zone = NY) => zonedTime(date, time, zone);
const wall = (instant: Date, zone: string) => {
  const { date, minutes } = localTime(instant, zone);
  return `${date} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

/** The second Sunday of March of a year after now: the night US clocks spring forward. */
const springForward = () => {
  const year = testNow().getUTCFullYear() + 1;
  const firstOfMarch = new Date(Date.UTC(year, 2, 1)).getUTCDay();
  return `${year}-03-${String(1 + ((7 - firstOfMarch) % 7) + 7).padStart(2, '0')}`;
};

describe('quiet hours', () => {
  it('holds a message set at 22:30 in New York until 08:00 New York time the next morning, and not before', () => {
    // Arrange
    const lateEvening = at(day, '22:30');

    // Act
    const next = nextSendTime(lateEvening, NY);

    // Assess
    expect(wall(next, NY)).toBe(`${addCalendarDays(day, 1)} 08:00`);
    expect(inQuietHours(new Date(next.getTime() - 60_000), NY)).toBe(true);
    expect(inQuietHours(next, NY)).toBe(false);
  });

  it('holds until 08:00 the same morning after midnight, and sends at once in the day', () => {
    expect(wall(nextSendTime(at(day, '03:15'), NY), NY)).toBe(`${day} 08:00`);
    expect(nextSendTime(at(day, '08:00'), NY)).toEqual(at(day, '08:00'));
    expect(nextSendTime(at(day, '20:59'), NY)).toEqual(at(day, '20:59'));
    expect(inQuietHours(at(day, '21:00'), NY)).toBe(true);
  });

  it('uses the Los Angeles customer\'s own morning for a New York location, else the location\'s', () => {
    // Arrange: 01:00 in New York is 22:00 the evening before in Los Angeles.
    const job: NotificationJob = { kind: 'statement', jobId: 'statement:cus_1:1', customerId: 'cus_1', locationId: 'loc_1', statementVersion: 1, amountDueMinor: 100, billingDate: day };
    const location = { timeZone: NY };
    const now = at(day, '01:00');

    // Act
    const forLa = holdUntil(job, { customer: { customerId: 'cus_1', locationId: 'loc_1', timeZone: LA }, location }, now);
    const forNy = holdUntil(job, { customer: { customerId: 'cus_1', locationId: 'loc_1' }, location }, now);

    // Assess
    expect(wall(forLa!, LA)).toBe(`${day} 08:00`);
    expect(wall(forNy!, NY)).toBe(`${day} 08:00`);
    expect(forLa!.getTime() - forNy!.getTime()).toBe(3 * 3_600_000);
  });

  it('also holds a 22:30 New York statement for a Los Angeles customer only when it is night in Los Angeles', () => {
    const job: NotificationJob = { kind: 'statement', jobId: 'statement:cus_1:1', customerId: 'cus_1', locationId: 'loc_1', statementVersion: 1, amountDueMinor: 100, billingDate: day };

    // 22:30 in New York is 19:30 in Los Angeles: it goes at once.
    expect(holdUntil(job, { customer: { customerId: 'cus_1', locationId: 'loc_1', timeZone: LA }, location: { timeZone: NY } }, at(day, '22:30'))).toBeUndefined();
  });

  it('sends receipts at once and never holds a job the scheduler released; holds refund notices', () => {
    const items = { customer: { customerId: 'cus_1', locationId: 'loc_1' }, location: { timeZone: NY } };
    const night = at(day, '23:00');
    const receipt: NotificationJob = { kind: 'receipt', jobId: 'receipt:pay_1', customerId: 'cus_1', locationId: 'loc_1', paymentId: 'pay_1' };
    const refund: NotificationJob = { kind: 'refund', jobId: 'refund:ref_1', customerId: 'cus_1', locationId: 'loc_1', refundId: 'ref_1' };

    expect(holdUntil(receipt, items, night)).toBeUndefined();
    expect(holdUntil(refund, items, night)).toBeDefined();
    expect(holdUntil({ ...refund, notBefore: night.toISOString() }, items, night)).toBeUndefined();
  });

  it('follows a location window that does not cross midnight', () => {
    const window = { start: '12:00', end: '13:30' };

    expect(wall(nextSendTime(at(day, '12:10'), NY, window), NY)).toBe(`${day} 13:30`);
    expect(inQuietHours(at(day, '21:30'), NY, window)).toBe(false);
  });

  it('is right across the spring-forward night: 08:00 comes seven hours after 00:00', () => {
    // Arrange
    const date = springForward();

    // Act
    const next = nextSendTime(at(date, '00:00'), NY);

    // Assess
    expect(wall(next, NY)).toBe(`${date} 08:00`);
    expect(next.getTime() - at(date, '00:00').getTime()).toBe(7 * 3_600_000);
  });

  it('compresses a wait by the local time scale only', () => {
    const now = at(day, '22:00');
    const morning = at(addCalendarDays(day, 1), '08:00');

    expect(releaseTime(morning, now)).toEqual(morning);
    expect(releaseTime(morning, now, 86_400).getTime() - now.getTime()).toBe(Math.floor((morning.getTime() - now.getTime()) / 86_400));
    expect(releaseTime(morning, now, 86_400).getTime() - now.getTime()).toBeLessThan(1_000);
  });
});

describe('reminder days', () => {
  const plan = { beforeDueDays: [3], afterDueDays: [1, 7] };

  it('plans reminders at 10:00 local on each planned day, in time order', () => {
    // Act
    const reminders = plannedReminders(plan, day, LA, DEFAULT_QUIET_HOURS, at(addCalendarDays(day, -10), '12:00'));

    // Assess
    expect(reminders.map((r) => [r.daysFromDue, wall(r.at, LA)])).toEqual([
      [-3, `${addCalendarDays(day, -3)} 10:00`],
      [1, `${addCalendarDays(day, 1)} 10:00`],
      [7, `${addCalendarDays(day, 7)} 10:00`],
    ]);
  });

  it('drops reminders whose time has passed and moves one out of a window that covers 10:00', () => {
    const late = plannedReminders(plan, day, NY, DEFAULT_QUIET_HOURS, at(addCalendarDays(day, -3), '10:00'));
    const moved = plannedReminders({ beforeDueDays: [1], afterDueDays: [] }, day, NY, { start: '09:00', end: '11:00' }, at(addCalendarDays(day, -5), '12:00'));

    expect(late.map((r) => r.daysFromDue)).toEqual([1, 7]);
    expect(wall(moved[0].at, NY)).toBe(`${addCalendarDays(day, -1)} 11:00`);
  });
});

describe('settings', () => {
  it('validates quietHours and reminders on the location, timeZone and reminders on the customer', () => {
    const location = (extra: Record<string, unknown>) => ServiceLocationInput.safeParse({ name: 'Sunrise', ...extra });
    const customer = (extra: Record<string, unknown>) => CreateCustomerInput.safeParse({ firstName: 'A', lastName: 'B', ...extra });

    expect(location({ quietHours: { start: '21:00', end: '08:00' }, reminders: { beforeDueDays: [3], afterDueDays: [1, 7] } }).success).toBe(true);
    expect(location({ reminders: null }).success).toBe(true);
    expect(location({ quietHours: { start: '9pm', end: '08:00' } }).success).toBe(false);
    expect(location({ quietHours: { start: '08:00', end: '08:00' } }).success).toBe(false);
    expect(location({ reminders: { beforeDueDays: [0] } }).success).toBe(false);
    expect(location({ reminders: { beforeDueDays: [3, 3] } }).success).toBe(false);
    expect(location({ reminders: { afterDueDays: [1.5] } }).success).toBe(false);
    expect(location({ reminders: { everyDays: 2 } }).success).toBe(false);
    expect(customer({ timeZone: LA, reminders: false }).success).toBe(true);
    expect(customer({ timeZone: 'Mars/Olympus_Mons' }).success).toBe(false);
    expect(customer({ reminders: 'no' }).success).toBe(false);
  });
});
