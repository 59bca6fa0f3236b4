import { merchantWithLocation, type Merchant } from '../support/api';
import { createCustomer, statementBody } from '../support/fixtures';
import { eventually, smsTo, uniquePhone } from '../support/outbox';
import { openPayForm, postPayForm } from '../support/payments';
import { testNow } from '../support/clock';
import { addCalendarDays, localTime } from '../../functions/domain/quiet-hours';
import { fitsOneSegment } from '../../functions/domain/notification-messages';

/**
 * Quiet hours and reminders through the whole local stack (stream → notifier → schedule →
 * scheduler timer → notifier), on real time compressed as the test stack runs it: a day passes in a
 * second (`NOTIFICATION_SCHEDULE_TIME_SCALE=86400`), so a night of quiet hours takes under half a
 * second and reminder days a few seconds. The in-process tests with a pinned clock
 * (test/handlers/scheduled-notifications.test.ts) check the local times themselves.
 */
const NY = 'America/New_York';
type Notification = { id: string; kind: string; status: string; reason?: string; notBefore?: string; sentAt?: string };

const hhmm = (minutes: number) => {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};
/** A quiet-hours window that covers the present moment in New York: from an hour ago to 20 hours ahead. */
const windowAroundNow = () => {
  const { minutes } = localTime(testNow(), NY);
  return { start: hhmm(minutes - 60), end: hhmm(minutes + 20 * 60) };
};

const notificationsOf = async (merchant: Merchant, customerId: string): Promise<Notification[]> =>
  (await merchant.call('GET', '/listNotifications', { query: { customerId } })).body.items;

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('quiet hours on the local stack', () => {
  it('holds a statement set during quiet hours until they end, then sends it once', async () => {
    // Arrange
    const quietHours = windowAroundNow();
    const merchant = await merchantWithLocation({ timeZone: NY, quietHours });
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });

    // Act
    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '30.00' }) });
    const items = await eventually(() => notificationsOf(merchant, customerId), (list) => list[0]?.status === 'sent', 20_000, 'statement sent');

    // Assess: planned for the end of the window in New York (the wait itself compressed).
    const notBefore = new Date(items[0].notBefore!);
    expect(hhmm(localTime(notBefore, NY).minutes)).toBe(quietHours.end);
    expect(notBefore.getTime()).toBeGreaterThan(testNow().getTime());
    expect(await smsTo(phone)).toHaveLength(1);
  });

  it('sends only the newest statement when it is replaced during quiet hours', async () => {
    // Arrange
    const merchant = await merchantWithLocation({ timeZone: NY, quietHours: windowAroundNow() });
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });

    // Act
    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '30.00' }) });
    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '45.00' }) });
    const items = await eventually(
      () => notificationsOf(merchant, customerId),
      (list) => list.length === 2 && list.every((n) => ['sent', 'superseded'].includes(n.status)),
      20_000,
      'both statement jobs finished',
    );
    await settle(1_500);

    // Assess
    expect(items.map((n) => n.status).sort()).toEqual(['sent', 'superseded']);
    const sms = await smsTo(phone);
    expect(sms).toHaveLength(1);
    expect(sms[0].body).toContain('$45.00');
  });
});

describe('reminders on the local stack', () => {
  const today = () => localTime(testNow(), NY).date;

  it('sends a reminder on each planned day, lists it as kind reminder, in one SMS segment with amount, due date and tiny link', async () => {
    // Arrange
    const merchant = await merchantWithLocation({ timeZone: NY, reminders: { beforeDueDays: [1], afterDueDays: [1] } });
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });
    const dueDate = addCalendarDays(today(), 3);

    // Act
    await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '64.20', billingDate: today(), dueDate }) });
    const items = await eventually(
      () => notificationsOf(merchant, customerId),
      (list) => list.filter((n) => n.kind === 'reminder' && n.status === 'sent').length === 2,
      30_000,
      'two reminders sent',
    );

    // Assess
    expect(items.map((n) => n.kind).sort()).toEqual(['reminder', 'reminder', 'statement']);
    const reminders = (await smsTo(phone)).filter((sms) => sms.body.includes('reminder'));
    const [year, month, day] = dueDate.split('-');
    expect(reminders).toHaveLength(2);
    for (const sms of reminders) {
      expect(sms.body).toContain('$64.20');
      expect(sms.body).toContain(`${month}/${day}/${year}`);
      expect(sms.body).toMatch(/\/t\/\w+/);
      expect(sms.body).toContain('Reply STOP to opt out');
      expect(fitsOneSegment(sms.body)).toBe(true);
    }
  });

  it('cancels pending reminders when the statement is paid, and says why', async () => {
    // Arrange
    const merchant = await merchantWithLocation({ timeZone: NY, reminders: { afterDueDays: [5] } });
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });
    const response = await merchant.call('POST', '/setStatement', {
      body: statementBody(customerId, { balanceDue: '20.00', billingDate: today(), dueDate: addCalendarDays(today(), 20) }),
      headers: { 'Location-As-Navigable-Url': 'true' },
    });
    const statementUrl = response.headers.get('location')!;
    await eventually(() => notificationsOf(merchant, customerId), (list) => list.some((n) => n.kind === 'reminder' && n.status === 'scheduled'), 20_000, 'reminder scheduled');

    // Act
    const paid = await postPayForm(statementUrl, { ...(await openPayForm(statementUrl)), amount: '20.00' });
    const items = await eventually(() => notificationsOf(merchant, customerId), (list) => list.some((n) => n.kind === 'reminder' && n.status === 'cancelled'), 20_000, 'reminder cancelled');

    // Assess
    expect(paid.status).toBeLessThan(400);
    expect(items.find((n) => n.kind === 'reminder')).toMatchObject({ status: 'cancelled', reason: expect.stringMatching(/Paid/) });
    await settle(1_000);
    expect((await smsTo(phone)).filter((sms) => sms.body.includes('reminder'))).toEqual([]);
  });
});

describe('settings', () => {
  it('keeps quietHours and reminders on the location and names each bad field', async () => {
    // Arrange
    const merchant = await merchantWithLocation({ quietHours: { start: '20:30', end: '08:30' }, reminders: { beforeDueDays: [3], afterDueDays: [1, 7] } });

    // Act
    const read = await merchant.call('GET', '/getServiceLocation');
    const bad = await merchant.call('POST', '/setServiceLocation', { body: { name: 'X', quietHours: { start: '25:00', end: '08:00' }, reminders: { beforeDueDays: [0] } } });
    const none = await merchant.call('POST', '/setServiceLocation', { body: { name: 'X', reminders: null } });

    // Assess
    expect(read.body).toMatchObject({ quietHours: { start: '20:30', end: '08:30' }, reminders: { beforeDueDays: [3], afterDueDays: [1, 7] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('quietHours.start');
    expect(JSON.stringify(bad.body)).toContain('reminders.beforeDueDays');
    expect(none.status).toBe(200);
    expect(none.body.reminders).toBeUndefined();
  });

  it('keeps a customer time zone and reminder exclusion, and refuses a time zone that is not IANA', async () => {
    // Arrange
    const merchant = await merchantWithLocation();

    // Act
    const created = await merchant.call('POST', '/setCustomer', { body: { firstName: 'A', lastName: 'B', timeZone: 'America/Los_Angeles', reminders: false } });
    const bad = await merchant.call('POST', '/setCustomer', { body: { firstName: 'A', lastName: 'B', timeZone: 'Pacific Time' } });

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ timeZone: 'America/Los_Angeles', reminders: false });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('timeZone');
  });
});
