import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { ENV, TABLE } from '../../functions/shared/manifest';
import { setClock } from '../../functions/shared/adapters/clock';
import { customerKey, locationKey, statementKey } from '../../functions/shared/table/keys';
import { addCalendarDays, localTime, zonedTime } from '../../functions/domain/quiet-hours';
import { NotificationJob, statementJobId, type StatementJob } from '../../functions/domain/notifications';
import { testClients } from '../support/clients';
import { setSmsFaults, smsTo, uniquePhone } from '../support/outbox';
import { testNow } from '../support/clock';

/**
 * Quiet hours, the scheduler and reminders with an injected clock: the notifier, the reminder
 * planner and the scheduler run in process on a private table and queue (so the local stack's own
 * pipeline, on real time, never sees these items), and the clock is pinned to the local times each
 * case is about. SMS go to the local stack's SMS stand-in, whose outbox the assertions read.
 */
const { dynamo, documents, sqs } = testClients();
const tableName = `ScheduledNotificationsTest${ulid()}`;
let queueUrl = '';
let pinned = testNow();
let restoreClock: () => void = () => undefined;

type UseCases = {
  deliver: typeof import('../../functions/shared/use-cases/deliver-notification');
  plan: typeof import('../../functions/shared/use-cases/plan-reminders');
  release: typeof import('../../functions/shared/use-cases/release-notifications');
  repos: typeof import('../../functions/shared/repos');
};
let use: UseCases;

const NY = 'America/New_York';
const LA = 'America/Los_Angeles';
const at = (date: string, time: string, zone = NY) => zonedTime(date, time, zone);
/** Tomorrow or later in New York, so every pinned time is ahead of the real one. */
const day = addCalendarDays(localTime(testNow(), NY).date, 2);

const receiveJobs = async (): Promise<NotificationJob[]> => {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  await Promise.all(Messages.map((m) => sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }))));
  return Messages.map((m) => NotificationJob.parse(JSON.parse(m.Body!)));
};

/** One scheduler run at `when`, then the worker for each job it queued; returns the jobs. */
const releaseAndDeliver = async (when: Date): Promise<NotificationJob[]> => {
  pinned = when;
  await use.release.releaseDueNotifications();
  const jobs = await receiveJobs();
  for (const job of jobs) await use.deliver.deliverNotification(job, { lastAttempt: false });
  return jobs;
};

const seed = async (options: { location?: Record<string, unknown>; customer?: Record<string, unknown>; statement?: Record<string, unknown> } = {}) => {
  const locationId = `loc_${ulid()}`;
  const customerId = `cus_${ulid()}`;
  const phone = uniquePhone();
  await documents.send(new PutCommand({ TableName: tableName, Item: { ...locationKey(locationId), [TABLE.type]: 'LOCATION', locationId, name: 'Sunrise Dental', timeZone: NY, currency: 'USD', ...options.location } }));
  await documents.send(new PutCommand({ TableName: tableName, Item: { ...customerKey(customerId), [TABLE.type]: 'CUSTOMER', customerId, locationId, firstName: 'Jo', lastName: 'Doe', primaryPhone: phone, ...options.customer } }));
  await setStatement(customerId, locationId, { version: 1, balanceDueMinor: 4200, remainingMinor: 4200, ...options.statement });
  return { locationId, customerId, phone };
};

const setStatement = async (customerId: string, locationId: string, fields: Record<string, unknown>) =>
  documents.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...statementKey(customerId), [TABLE.type]: 'STATEMENT', customerId, locationId, billingDate: addCalendarDays(day, -20), linkToken: `tok${ulid()}`, tinyCode: `t${ulid().slice(-8)}`, ...fields },
    }),
  );

const statementJob = (customerId: string, locationId: string, version: number, amountDueMinor: number): StatementJob => ({
  kind: 'statement', jobId: statementJobId(customerId, version), customerId, locationId, statementVersion: version, amountDueMinor, billingDate: addCalendarDays(day, -20),
});

const records = (customerId: string) => use.repos.notifications().listForCustomer(customerId);

/** Runs `work` and returns the EMF metric names it printed (Powertools writes them to stdout). */
const metricsPrinted = async (work: () => Promise<unknown>): Promise<string[]> => {
  const printed: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    write.mockRestore();
  }
  return printed
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{"_aws"'))
    .flatMap((line) => (JSON.parse(line) as { _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> } })._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name)));
};

beforeAll(async () => {
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [TABLE.pk, TABLE.sk, TABLE.gsi1.pk, TABLE.gsi1.sk].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [{ AttributeName: TABLE.pk, KeyType: 'HASH' }, { AttributeName: TABLE.sk, KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [
        { IndexName: TABLE.gsi1.name, KeySchema: [{ AttributeName: TABLE.gsi1.pk, KeyType: 'HASH' }, { AttributeName: TABLE.gsi1.sk, KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
      ],
    }),
  );
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `ScheduledNotificationsTest${ulid()}` }))).QueueUrl!;
  // Real time, not the test stack's compressed schedule: the pinned clock is what moves here.
  Object.assign(process.env, { [ENV.table]: tableName, [ENV.notificationQueueUrl]: queueUrl, [ENV.scheduleTimeScale]: '1' });
  restoreClock = setClock({ now: () => pinned });
  use = {
    deliver: jest.requireActual('../../functions/shared/use-cases/deliver-notification'),
    plan: jest.requireActual('../../functions/shared/use-cases/plan-reminders'),
    release: jest.requireActual('../../functions/shared/use-cases/release-notifications'),
    repos: jest.requireActual('../../functions/shared/repos'),
  };
});

afterAll(async () => {
  restoreClock();
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  await dynamo.send(new DeleteTableCommand({ TableName: tableName }));
});

describe('quiet hours', () => {
  it('holds a statement set at 22:30 in New York until 08:00 New York time, and sends it then, not before', async () => {
    // Arrange
    const { customerId, locationId, phone } = await seed();
    pinned = at(day, '22:30');

    // Act
    await use.deliver.deliverNotification(statementJob(customerId, locationId, 1, 4200), { lastAttempt: false });
    const held = await records(customerId);
    const early = await releaseAndDeliver(at(addCalendarDays(day, 1), '07:59'));
    const onTime = await releaseAndDeliver(at(addCalendarDays(day, 1), '08:00'));

    // Assess
    expect(held).toMatchObject([{ kind: 'statement', status: 'scheduled', notBefore: at(addCalendarDays(day, 1), '08:00').toISOString() }]);
    expect(early).toEqual([]);
    expect(onTime).toHaveLength(1);
    expect(await records(customerId)).toMatchObject([{ status: 'sent', channel: 'sms' }]);
    expect(await smsTo(phone)).toHaveLength(1);
  });

  it("sends a New York location's statement to a Los Angeles customer at 08:00 Los Angeles time", async () => {
    // Arrange: 01:00 in New York is 22:00 in Los Angeles.
    const { customerId, locationId, phone } = await seed({ customer: { timeZone: LA } });
    pinned = at(day, '01:00');

    // Act
    await use.deliver.deliverNotification(statementJob(customerId, locationId, 1, 4200), { lastAttempt: false });
    const atNewYorkMorning = await releaseAndDeliver(at(day, '08:00', NY));
    const atLosAngelesMorning = await releaseAndDeliver(at(day, '08:00', LA));

    // Assess
    expect(atNewYorkMorning).toEqual([]);
    expect(atLosAngelesMorning).toHaveLength(1);
    expect(await smsTo(phone)).toHaveLength(1);
  });

  it('sends only the newest statement when it was replaced during quiet hours', async () => {
    // Arrange
    const { customerId, locationId, phone } = await seed();
    pinned = at(day, '22:30');
    await use.deliver.deliverNotification(statementJob(customerId, locationId, 1, 4200), { lastAttempt: false });
    pinned = at(day, '23:10');
    await setStatement(customerId, locationId, { version: 2, balanceDueMinor: 5100, remainingMinor: 5100 });
    await use.deliver.deliverNotification(statementJob(customerId, locationId, 2, 5100), { lastAttempt: false });

    // Act
    const released = await releaseAndDeliver(at(addCalendarDays(day, 1), '08:00'));

    // Assess
    expect(released).toHaveLength(2);
    const sms = await smsTo(phone);
    expect(sms).toHaveLength(1);
    expect(sms[0].body).toContain('$51.00');
    expect((await records(customerId)).map((r) => r.status).sort()).toEqual(['sent', 'superseded']);
  });

  it('holds a send the provider pushed back past 21:00 until 08:00: pacing and quiet hours compose', async () => {
    // Arrange: at 20:59:58 the SMS provider answers Throttled (a run that did not fit before 21:00)
    const { customerId, locationId, phone } = await seed();
    await setSmsFaults({ throttle: 3, numbers: [phone] }); // as many as the SDK's own attempts
    const job = statementJob(customerId, locationId, 1, 4200);
    pinned = at(day, '20:59:58');
    const busy = await use.deliver.deliverNotification(job, { lastAttempt: true }).then(() => undefined, (error: Error) => error);

    // Act: the job comes back after its wait, now inside quiet hours, then the morning comes
    pinned = at(day, '21:00:03');
    await use.deliver.deliverNotification(job, { lastAttempt: false });
    const held = await records(customerId);
    const morning = await releaseAndDeliver(at(addCalendarDays(day, 1), '08:00'));

    // Assess: busy is not a failure (not parked, even on a "last" attempt); one text, at 08:00
    expect(busy).toBeDefined();
    expect(held).toMatchObject([{ status: 'scheduled', notBefore: at(addCalendarDays(day, 1), '08:00').toISOString() }]);
    expect(morning).toHaveLength(1);
    expect(await smsTo(phone)).toHaveLength(1);
    await setSmsFaults({ numbers: [phone] });
  });

  it('sends a receipt at once, even at night', async () => {
    // Arrange
    const { customerId, locationId, phone } = await seed();
    const paymentId = `pay_${ulid()}`;
    await documents.send(
      new PutCommand({ TableName: tableName, Item: { pk: `CUSTOMER#${customerId}`, sk: `PAYMENT#${paymentId}`, [TABLE.type]: 'PAYMENT', paymentId, amountMinor: 4200, currency: 'USD', remainingAfterMinor: 0, completedAt: at(day, '23:30').toISOString() } }),
    );
    pinned = at(day, '23:30');

    // Act
    await use.deliver.deliverNotification({ kind: 'receipt', jobId: `receipt:${paymentId}`, customerId, locationId, paymentId }, { lastAttempt: false });

    // Assess
    expect(await smsTo(phone)).toHaveLength(1);
  });
});

describe('reminders', () => {
  const dueDate = addCalendarDays(day, 10);
  const plan = { beforeDueDays: [3], afterDueDays: [1, 7] };

  it('fire on the planned days, never twice after a crash, and stop after a payment', async () => {
    // Arrange
    const { customerId, locationId, phone } = await seed({ location: { reminders: plan }, statement: { dueDate } });
    const planJob = { kind: 'plan-reminders' as const, jobId: `plan-reminders:${customerId}:1`, customerId, locationId };
    pinned = at(addCalendarDays(dueDate, -9), '12:00');

    // Act: planned twice (a redelivered planning job), then the days come.
    await use.plan.planReminders(planJob);
    await use.plan.planReminders(planJob);
    const planned = await records(customerId);
    const dayBeforeEarly = await releaseAndDeliver(at(addCalendarDays(dueDate, -3), '09:59'));
    const dayBefore = await releaseAndDeliver(at(addCalendarDays(dueDate, -3), '10:00'));
    // The same job delivered again (SQS at-least-once) finds its claim taken.
    for (const job of dayBefore) await use.deliver.deliverNotification(job, { lastAttempt: false });
    // The scheduler dies after taking the day-after reminder off the schedule, before queuing it.
    pinned = at(addCalendarDays(dueDate, 1), '10:00');
    const due = (await use.repos.notifications().listDue(pinned)).items.find((scheduled) => scheduled.record.customerId === customerId)!;
    await use.repos.notifications().release(due, new Date(pinned.getTime() + use.release.RELEASE_LEASE_MS));
    const lost = await receiveJobs();
    const recovered = await releaseAndDeliver(new Date(pinned.getTime() + use.release.RELEASE_LEASE_MS + 60_000));
    const textsBeforePayment = (await smsTo(phone)).length;
    // Paid in full: the planner cancels what is left.
    pinned = at(addCalendarDays(dueDate, 2), '15:00');
    await setStatement(customerId, locationId, { version: 1, balanceDueMinor: 4200, paidMinor: 4200, remainingMinor: 0, dueDate });
    await use.plan.planReminders({ ...planJob, jobId: `plan-reminders:${customerId}:1:0` });
    const afterPayment = await releaseAndDeliver(at(addCalendarDays(dueDate, 7), '10:00'));

    // Assess
    expect(planned.map((r) => [r.kind, r.status, r.notBefore]).sort()).toEqual(
      [-3, 1, 7].map((days) => ['reminder', 'scheduled', at(addCalendarDays(dueDate, days), '10:00').toISOString()]).sort(),
    );
    expect(dayBeforeEarly).toEqual([]);
    expect(dayBefore.map((job) => job.jobId)).toEqual([`reminder:${customerId}:1:before3`]);
    expect(lost).toEqual([]);
    expect(recovered.map((job) => job.jobId)).toEqual([`reminder:${customerId}:1:after1`]);
    expect(textsBeforePayment).toBe(2);
    expect(afterPayment).toEqual([]);
    const sms = await smsTo(phone);
    expect(sms).toHaveLength(2);
    expect(sms.map((s) => s.body).join('\n')).toContain('$42.00');
    const final = Object.fromEntries((await records(customerId)).map((r) => [r.jobId, r]));
    expect(final[`reminder:${customerId}:1:before3`]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(final[`reminder:${customerId}:1:after1`]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(final[`reminder:${customerId}:1:after7`]).toMatchObject({ status: 'cancelled', reason: expect.stringMatching(/Paid/) });
  });

  it('counts what it does in the metrics: held, planned, sent, skipped', async () => {
    // Arrange
    const { customerId, locationId } = await seed({ location: { reminders: { beforeDueDays: [2], afterDueDays: [2] } }, statement: { dueDate } });
    const planJob = { kind: 'plan-reminders' as const, jobId: 'p', customerId, locationId };

    // Act
    pinned = at(addCalendarDays(dueDate, -6), '22:00');
    const held = await metricsPrinted(() => use.deliver.deliverNotification(statementJob(customerId, locationId, 1, 4200), { lastAttempt: false }));
    const planned = await metricsPrinted(() => use.plan.planReminders(planJob));
    const sent = await metricsPrinted(() => releaseAndDeliver(at(addCalendarDays(dueDate, -2), '10:00')));
    await setStatement(customerId, locationId, { version: 1, balanceDueMinor: 4200, remainingMinor: 0, paidMinor: 4200, dueDate });
    const skipped = await metricsPrinted(() => use.plan.planReminders(planJob));

    // Assess
    expect(held).toEqual(['NotificationHeld']);
    expect(planned).toEqual(['ReminderScheduled']);
    expect(sent).toEqual(expect.arrayContaining(['NotificationSent', 'ReminderSent']));
    expect(skipped).toEqual(['ReminderSkipped']);
  });

  it('is skipped, not failed, when the statement was paid before the scheduler could cancel it', async () => {
    // Arrange
    const { customerId, locationId, phone } = await seed({ location: { reminders: { beforeDueDays: [1] } }, statement: { dueDate } });
    pinned = at(addCalendarDays(dueDate, -5), '12:00');
    await use.plan.planReminders({ kind: 'plan-reminders', jobId: 'p', customerId, locationId });
    await setStatement(customerId, locationId, { version: 1, balanceDueMinor: 4200, paidMinor: 4200, remainingMinor: 0, dueDate });

    // Act
    await releaseAndDeliver(at(addCalendarDays(dueDate, -1), '10:00'));

    // Assess
    expect(await records(customerId)).toMatchObject([{ kind: 'reminder', status: 'skipped', reason: expect.stringMatching(/Paid/) }]);
    expect(await smsTo(phone)).toEqual([]);
  });

  it("plans a Los Angeles customer's reminder for 10:00 there, out of the location's quiet hours, and none for an excluded customer", async () => {
    // Arrange
    const window = { start: '09:00', end: '11:30' };
    const inLa = await seed({ location: { reminders: { afterDueDays: [2] }, quietHours: window }, customer: { timeZone: LA }, statement: { dueDate } });
    const excluded = await seed({ location: { reminders: { afterDueDays: [2] } }, customer: { reminders: false }, statement: { dueDate } });
    pinned = at(addCalendarDays(dueDate, -5), '12:00');

    // Act
    for (const seeded of [inLa, excluded]) await use.plan.planReminders({ kind: 'plan-reminders', jobId: 'p', customerId: seeded.customerId, locationId: seeded.locationId });

    // Assess
    expect(await records(inLa.customerId)).toMatchObject([{ kind: 'reminder', status: 'scheduled', notBefore: at(addCalendarDays(dueDate, 2), '11:30', LA).toISOString() }]);
    expect(await records(excluded.customerId)).toEqual([]);
  });

  it('sends nothing when the worker died after claiming: the redelivery finds the claim', async () => {
    // Arrange
    const { customerId, locationId, phone } = await seed({ location: { reminders: { beforeDueDays: [2] } }, statement: { dueDate } });
    pinned = at(addCalendarDays(dueDate, -5), '12:00');
    await use.plan.planReminders({ kind: 'plan-reminders', jobId: 'p', customerId, locationId });
    pinned = at(addCalendarDays(dueDate, -2), '10:00');
    await use.release.releaseDueNotifications();
    const [job] = await receiveJobs();
    await use.repos.notifications().claim(job);

    // Act
    await use.deliver.deliverNotification(job, { lastAttempt: false });
    pinned = new Date(pinned.getTime() + 3 * 60_000);
    await use.deliver.deliverNotification(job, { lastAttempt: false });

    // Assess
    expect(await smsTo(phone)).toEqual([]);
    expect(await records(customerId)).toMatchObject([{ status: 'unknown' }]);
  });

  it('fails loudly at the repository boundary on a stored item it cannot read', async () => {
    // Arrange
    const { customerId, locationId } = await seed();
    await documents.send(new UpdateCommand({ TableName: tableName, Key: statementKey(customerId), UpdateExpression: 'SET version = :bad', ExpressionAttributeValues: { ':bad': 'two' } }));

    // Act / Assess
    await expect(use.repos.notifications().loadContext(statementJob(customerId, locationId, 1, 4200))).rejects.toThrow(/statement item is malformed: version/);
  });
});
