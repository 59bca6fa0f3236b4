import { readFeedback } from '../../functions/domain/delivery-feedback';
import { fallbackJob, type NotificationJob } from '../../functions/domain/notifications';
import { planNotification } from '../../functions/domain/notification-plan';
import { buildNotificationFailedEvent, notificationFailedIds } from '../../functions/domain/webhook-event';
import type { NotificationFailedJob } from '../../functions/domain/webhook-job';

const mail = { messageId: '0100018c-abc', timestamp: '2026-12-01T10:00:00.000Z', destination: ['jane@example.com'] };
const bounce = (bounceType: string) => ({
  eventType: 'Bounce',
  mail,
  bounce: { bounceType, bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'jane@example.com', diagnosticCode: 'smtp; 550 jane@example.com unknown' }] },
});

describe('readFeedback', () => {
  it('reads a hard bounce as permanent, naming the recipient but never quoting it in the reason', () => {
    // Act
    const feedback = readFeedback(JSON.stringify(bounce('Permanent')));

    // Assess
    expect(feedback).toEqual({ channel: 'email', messageId: mail.messageId, status: 'bounced', permanent: true, recipients: ['jane@example.com'], reason: 'The address bounced permanently (General).' });
  });

  it('unwraps an SNS notification around the SES event', () => {
    // Act
    const feedback = readFeedback(JSON.stringify({ Type: 'Notification', MessageId: 'sns-1', Message: JSON.stringify({ eventType: 'Complaint', mail, complaint: { complainedRecipients: [{ emailAddress: 'jane@example.com' }], complaintFeedbackType: 'abuse' } }) }));

    // Assess
    expect(feedback).toMatchObject({ channel: 'email', status: 'complained', permanent: true, reason: 'The recipient marked the email as spam (abuse).' });
  });

  it('keeps the address after a transient bounce and reads identity notifications (notificationType)', () => {
    // Act
    const soft = readFeedback(JSON.stringify(bounce('Transient')));
    const delivered = readFeedback(JSON.stringify({ notificationType: 'Delivery', mail, delivery: { recipients: ['jane@example.com'] } }));

    // Assess
    expect(soft).toMatchObject({ status: 'bounced', permanent: false });
    expect(delivered).toMatchObject({ status: 'delivered', permanent: false });
  });

  it('reads SMS delivery events: delivered, opted out, carrier failures', () => {
    // Act
    const read = (eventType: string) => readFeedback(JSON.stringify({ eventType, messageId: 'sms-1', destinationPhoneNumber: '+15125550123' }));

    // Assess
    expect(read('TEXT_DELIVERED')).toMatchObject({ channel: 'sms', status: 'delivered', permanent: false });
    expect(read('TEXT_OPTED_OUT')).toMatchObject({ channel: 'sms', status: 'opted_out', permanent: true });
    expect(read('TEXT_CARRIER_UNREACHABLE')).toMatchObject({ channel: 'sms', status: 'failed', permanent: true, reason: 'The carrier could not be reached.' });
  });

  it('ignores events it does not act on and throws on a body that is not JSON', () => {
    // Act / Assess
    expect(readFeedback(JSON.stringify({ eventType: 'Open', mail }))).toBeUndefined();
    expect(readFeedback(JSON.stringify({ Type: 'SubscriptionConfirmation' }))).toBeUndefined();
    expect(() => readFeedback('not json')).toThrow();
  });
});

describe('after feedback', () => {
  const job: NotificationJob = { kind: 'statement', jobId: 'statement:cus_1:2', customerId: 'cus_1', locationId: 'loc_1', statementVersion: 2, amountDueMinor: 1000, billingDate: '2026-12-01' };
  const items = (customer: Record<string, unknown>) => ({
    customer: { customerId: 'cus_1', locationId: 'loc_1', ...customer },
    statement: { version: 2, balanceDueMinor: 1000, billingDate: '2026-12-01', linkToken: 't', tinyCode: 'c' },
    location: { name: 'Acme' },
  });

  it('sends a fallback job on its channel only, and never falls back twice', () => {
    // Act
    const sms = fallbackJob(job, 'sms')!;
    const plan = planNotification(sms, items({ primaryPhone: '+15125550123', primaryEmail: 'jane@example.com' }), 'https://x', new Date());

    // Assess
    expect(sms).toMatchObject({ jobId: 'statement:cus_1:2:sms', onlyChannel: 'sms' });
    expect(plan).toMatchObject({ send: true, phone: '+15125550123', email: undefined });
    expect(fallbackJob(sms, 'email')).toBeUndefined();
  });

  it('does not email a suppressed address, but does once primaryEmail changes', () => {
    // Act
    const suppressed = planNotification(job, items({ primaryEmail: 'jane@example.com', suppressedEmail: 'jane@example.com' }), 'https://x', new Date());
    const changed = planNotification(job, items({ primaryEmail: 'jane.new@example.com', suppressedEmail: 'jane@example.com' }), 'https://x', new Date());

    // Assess
    expect(suppressed).toMatchObject({ send: true, email: undefined });
    expect(changed).toMatchObject({ send: true, email: 'jane.new@example.com' });
  });

  it('builds one notification.failed event per notification and channel, with the destination as given (masked)', () => {
    // Prepare
    const failed: NotificationFailedJob = {
      kind: 'notification.failed', locationId: 'loc_1', customerId: 'cus_1', notificationId: 'statement:cus_1:2', notificationKind: 'statement',
      channel: 'email', destination: 'j•••@example.com', status: 'bounced', reason: 'The address bounced permanently (General).', failedAt: '2026-12-01T10:00:00.000Z', fallback: 'sms',
    };

    // Act
    const event = buildNotificationFailedEvent(failed, { customerId: 'cus_1', externalId: 'ACCT-1' });

    // Assess
    expect(event).toEqual({
      id: notificationFailedIds(failed).eventId,
      type: 'notification.failed',
      version: 1,
      timestamp: failed.failedAt,
      locationId: 'loc_1',
      data: { customer: { id: 'cus_1', externalId: 'ACCT-1' }, notification: { id: 'statement:cus_1:2', kind: 'statement', status: 'bounced' }, channel: 'email', destination: 'j•••@example.com', reason: failed.reason, fallback: 'sms' },
    });
    expect(notificationFailedIds(failed)).toEqual(notificationFailedIds({ ...failed }));
    expect(notificationFailedIds({ ...failed, channel: 'sms' }).eventId).not.toBe(event.id);
  });
});
