import { fitsOneSegment, reminderEmail, reminderSms } from '../../functions/domain/notification-messages';
import { planNotification } from '../../functions/domain/notification-plan';
import { jobsForChange, type ReminderJob } from '../../functions/domain/notifications';
import { reminderCancelReason, remindersFor } from '../../functions/domain/reminder-plan';
import { addCalendarDays, localTime, zonedTime } from '../../functions/domain/quiet-hours';
import type { JobContext } from '../../functions/domain/notification-context';
import { testNow } from '../support/clock';

const NY = 'America/New_York';
const dueDate = addCalendarDays(localTime(testNow(), NY).date, 10);
const links = { statementUrl: 'https://pay.example.com/s/' + 'A'.repeat(32), tinyUrl: 'https://pay.example.com/t/AbCdEfGhIj' };
const sender = { name: 'The Very Long Named Family Dental and Orthodontics Practice of Greater Austin', currency: 'USD' };

const items = (overrides: Partial<{ [K in keyof JobContext]: Partial<NonNullable<JobContext[K]>> }> = {}): JobContext => ({
  customer: { customerId: 'cus_1', locationId: 'loc_1', primaryPhone: '+15125550123', ...overrides.customer },
  statement: { version: 2, balanceDueMinor: 12345, remainingMinor: 12345, billingDate: addCalendarDays(dueDate, -14), dueDate, linkToken: 'tok', tinyCode: 'tiny', ...overrides.statement },
  location: { name: 'Sunrise Dental', timeZone: NY, reminders: { beforeDueDays: [3], afterDueDays: [1, 7] }, ...overrides.location },
});
const job: ReminderJob = { kind: 'reminder', jobId: 'reminder:cus_1:2:before3', customerId: 'cus_1', locationId: 'loc_1', statementVersion: 2, dueDate, daysFromDue: -3 };

describe('reminder messages', () => {
  it('says how much is due and when, with the tiny link and opt-out hint, in one SMS segment', () => {
    const before = reminderSms({ location: sender, amountDueMinor: 123456, dueDate, daysFromDue: -3, ...links });
    const after = reminderSms({ location: sender, amountDueMinor: 123456, dueDate, daysFromDue: 7, ...links });
    const [year, month, day] = dueDate.split('-');

    for (const sms of [before, after]) {
      expect(fitsOneSegment(sms)).toBe(true);
      expect(sms).toContain('$1,234.56');
      expect(sms).toContain(`${month}/${day}/${year}`);
      expect(sms).toContain(links.tinyUrl);
      expect(sms).toContain('Reply STOP to opt out');
      expect(sms).toMatch(/^The Very Long/);
    }
    expect(after).toContain('was due');
    expect(reminderEmail({ location: sender, amountDueMinor: 500, dueDate, daysFromDue: 1, ...links }).subject).toContain('was due');
  });
});

describe('planNotification for a reminder', () => {
  it('sends while something is due on the same statement version', () => {
    const plan = planNotification(job, items(), 'https://x', testNow());

    expect(plan).toMatchObject({ send: true, phone: '+15125550123' });
    expect(plan.send && plan.sms).toContain('$123.45');
  });

  it.each([
    ['paid', { statement: { remainingMinor: 0 } }, /Paid/],
    ['replaced', { statement: { version: 3 } }, /version 3 replaced/],
    ['excluded', { customer: { reminders: false } }, /excluded/],
    ['plan turned off', { location: { reminders: undefined } }, /no reminder plan/],
  ])('is skipped, not failed, when %s', (_name, overrides, reason) => {
    const plan = planNotification(job, items(overrides as never), 'https://x', testNow());

    expect(plan).toMatchObject({ send: false, status: 'skipped' });
    expect(!plan.send && plan.reason).toMatch(reason);
  });
});

describe('remindersFor', () => {
  const now = zonedTime(addCalendarDays(dueDate, -9), '12:00', NY);

  it('plans one reminder per planned day, keyed by statement version and day', () => {
    const planned = remindersFor('cus_1', 'loc_1', items(), now);

    expect(planned.map((r) => r.job.jobId)).toEqual(['reminder:cus_1:2:before3', 'reminder:cus_1:2:after1', 'reminder:cus_1:2:after7']);
    expect(planned[0].job).toMatchObject({ kind: 'reminder', statementVersion: 2, dueDate, daysFromDue: -3 });
  });

  it.each([
    ['nothing is due', { statement: { remainingMinor: 0 } }, /Paid/],
    ['no due date', { statement: { dueDate: undefined } }, /no due date/],
    ['the customer is excluded', { customer: { reminders: false } }, /excluded/],
    ['the location has no plan', { location: { reminders: undefined } }, /no reminder plan/],
  ])('plans none when %s, and names why pending ones are cancelled', (_name, overrides, reason) => {
    const context = items(overrides as never);

    expect(remindersFor('cus_1', 'loc_1', context, now)).toEqual([]);
    expect(reminderCancelReason('loc_1', context)).toMatch(reason);
  });
});

describe('routing', () => {
  const statement = (extra: Record<string, unknown> = {}) => ({
    type: 'STATEMENT', customerId: 'cus_1', locationId: 'loc_1', version: 1, balanceDueMinor: 1000, remainingMinor: 1000, billingDate: addCalendarDays(dueDate, -14), dueDate, ...extra,
  });

  it('asks to plan reminders for a statement with a due date, and again after a payment changes what is due', () => {
    const set = jobsForChange({ eventName: 'INSERT', newImage: statement() });
    const paid = jobsForChange({ eventName: 'MODIFY', oldImage: statement(), newImage: statement({ remainingMinor: 0, paidMinor: 1000 }) });
    const noDueDate = jobsForChange({ eventName: 'INSERT', newImage: statement({ dueDate: undefined }) });

    expect(set.map((routed) => routed.job.kind)).toEqual(['plan-reminders', 'statement']);
    expect(paid.map((routed) => routed.job.kind)).toEqual(['plan-reminders']);
    expect(noDueDate.map((routed) => routed.job.kind)).toEqual(['statement']);
  });
});
