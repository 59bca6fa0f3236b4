import * as z from './zod';
import { defineSchema } from './zod';

/**
 * Local time arithmetic for sending at decent hours. Pure: every function takes `now` (or an
 * instant) and an IANA time zone; offsets come from `Intl.DateTimeFormat`, so daylight saving
 * time is handled by the platform's time-zone data, not by hand.
 */

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const clockTime = () => z.string().check(z.regex(HHMM, 'Use a 24-hour local time such as 21:00.'));

/** When a location's customers are not messaged: from `start` to `end`, local time (may cross midnight). */
export const QuietHours = /* @__PURE__ */ defineSchema(() =>
  z
    .strictObject({ start: clockTime(), end: clockTime() })
    .check(z.refine((window) => window.start !== window.end, { path: ['end'], message: 'The quiet hours must end at another time than they start.' })),
);
export type QuietHours = z.infer<typeof QuietHours>;

/** US carrier codes and TCPA practice: texts between 8 a.m. and 9 p.m. in the recipient's time zone. */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

/** The local time of day a reminder is planned for on its day (then moved out of quiet hours, if the window covers it). */
export const REMINDER_LOCAL_TIME = '10:00';

export const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (zone: string) => {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
};

/** The wall-clock date (`YYYY-MM-DD`) and minutes after local midnight of an instant in a zone. */
export const localTime = (instant: Date, zone: string): { date: string; minutes: number; utcMsOfWallClock: number } => {
  const parts = Object.fromEntries(formatterFor(zone).formatToParts(instant).map((part) => [part.type, part.value]));
  const [year, month, day, hour, minute, second] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((name) => Number(parts[name]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: hour * 60 + minute,
    utcMsOfWallClock: Date.UTC(year, month - 1, day, hour, minute, second, instant.getUTCMilliseconds()),
  };
};

const offsetMs = (instant: Date, zone: string) => localTime(instant, zone).utcMsOfWallClock - instant.getTime();

/** `YYYY-MM-DD` plus `days` calendar days. */
export const addCalendarDays = (date: string, days: number): string => {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
};

/**
 * The instant a wall-clock time on a date has in a zone. A time skipped by a spring-forward change
 * (02:30 on that night) lands an hour later, as clocks show it.
 */
export const zonedTime = (date: string, time: string, zone: string): Date => {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - offsetMs(new Date(wall), zone);
  return new Date(wall - offsetMs(new Date(first), zone));
};

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export const inQuietHours = (instant: Date, zone: string, window: QuietHours = DEFAULT_QUIET_HOURS): boolean => {
  const { minutes } = localTime(instant, zone);
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  return start > end ? minutes >= start || minutes < end : minutes >= start && minutes < end;
};

/** The first instant at or after `instant` outside the quiet hours: itself, or when the window ends. */
export const nextSendTime = (instant: Date, zone: string, window: QuietHours = DEFAULT_QUIET_HOURS): Date => {
  if (!inQuietHours(instant, zone, window)) return instant;
  const { date, minutes } = localTime(instant, zone);
  const endsTomorrow = minutesOf(window.start) > minutesOf(window.end) && minutes >= minutesOf(window.start);
  return zonedTime(endsTomorrow ? addCalendarDays(date, 1) : date, window.end, zone);
};

/** A location's reminder plan: days before and after the due date. */
const reminderDays = () =>
  z.array(z.int().check(z.minimum(1), z.maximum(60))).check(
    z.maxLength(5),
    z.refine((days) => new Set(days).size === days.length, 'List each day once.'),
  );
export const ReminderPlan = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    beforeDueDays: z._default(reminderDays(), []),
    afterDueDays: z._default(reminderDays(), []),
  }),
);
export type ReminderPlan = z.infer<typeof ReminderPlan>;

export interface PlannedReminder {
  /** Days from the due date: negative before it, positive after. */
  daysFromDue: number;
  /** When it goes out: `REMINDER_LOCAL_TIME` on its day, out of quiet hours. */
  at: Date;
}

/**
 * The reminders a statement due on `dueDate` still has ahead of `now`, in time order. A reminder
 * whose time has passed (the statement was set late) is not planned.
 */
export const plannedReminders = (plan: ReminderPlan, dueDate: string, zone: string, window: QuietHours, now: Date): PlannedReminder[] => {
  const offsets = new Set([...plan.beforeDueDays.map((days) => -days), ...plan.afterDueDays]);
  return [...offsets]
    .map((daysFromDue) => ({ daysFromDue, at: nextSendTime(zonedTime(addCalendarDays(dueDate, daysFromDue), REMINDER_LOCAL_TIME, zone), zone, window) }))
    .filter((reminder) => reminder.at.getTime() > now.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
};

/**
 * When the scheduler releases a job planned for `notBefore`. With a time scale above 1 (local and
 * test runs only) the wait from `now` shrinks by that factor, the way the local webhook retry
 * schedule is compressed; deployed stages use 1.
 */
export const releaseTime = (notBefore: Date, now: Date, scale = 1): Date =>
  scale <= 1 ? notBefore : new Date(now.getTime() + Math.max(0, notBefore.getTime() - now.getTime()) / scale);
