import { fitsOneSegment, receiptEmail, receiptSms, statementEmail, statementSms } from '../../functions/domain/notification-messages';
import { planNotification } from '../../functions/domain/notification-plan';
import { testNow } from '../support/clock';

const location = { name: 'Sunrise Dental', currency: 'USD', branding: { displayName: null, accentColor: '#123456' } };
const links = { statementUrl: 'https://pay.example.com/s/' + 'A'.repeat(32), tinyUrl: 'https://pay.example.com/t/AbCdEfGhIj' };

describe('statement messages', () => {
  it('puts the location, amount, tiny link and opt-out hint in one SMS segment', () => {
    const sms = statementSms({ location, amountDueMinor: 4995, billingDate: '2026-11-01', ...links });

    expect(sms).toContain('Sunrise Dental');
    expect(sms).toContain('$49.95');
    expect(sms).toContain(links.tinyUrl);
    expect(sms).toContain('Reply STOP to opt out');
    expect(fitsOneSegment(sms)).toBe(true);
  });

  it('shortens a long location name, never the amount or the link, to stay in one segment', () => {
    const sms = statementSms({ location: { ...location, name: 'The Very Long Named Family Dental and Orthodontics Practice of Greater Austin' }, amountDueMinor: 123456, billingDate: '2026-11-01', ...links });

    expect(fitsOneSegment(sms)).toBe(true);
    expect(sms).toContain('$1,234.56');
    expect(sms).toContain(links.tinyUrl);
  });

  it('counts UCS-2 texts as 70 characters a segment', () => {
    expect(fitsOneSegment('a'.repeat(160))).toBe(true);
    expect(fitsOneSegment('a'.repeat(161))).toBe(false);
    expect(fitsOneSegment('ł' + 'a'.repeat(69))).toBe(true);
    expect(fitsOneSegment('ł' + 'a'.repeat(70))).toBe(false);
  });

  it('emails branding, amount, billing and due dates and a button to the statement link', () => {
    const email = statementEmail({ location: { ...location, branding: { displayName: 'Sunrise <Smiles>', accentColor: '#123456' } }, amountDueMinor: 4995, billingDate: '2026-11-01', dueDate: '2026-11-30', ...links });

    expect(email.subject).toBe('Your statement from Sunrise <Smiles>: $49.95 due');
    expect(email.html).toContain('Sunrise &lt;Smiles&gt;');
    expect(email.html).toContain('#123456');
    expect(email.html).toContain(`href="${links.statementUrl}"`);
    expect(email.text).toContain('Billing date: 11/01/2026');
    expect(email.text).toContain('Due date: 11/30/2026');
    expect(email.text).toContain(links.statementUrl);
  });
});

describe('receipt messages', () => {
  it('thank the customer with the amount paid and the remaining balance', () => {
    const input = { location, amountMinor: 2000, remainingAfterMinor: 2995, completedAt: '2026-11-24T10:00:00Z', ...links };

    expect(receiptSms(input)).toContain('payment of $20.00 received');
    expect(fitsOneSegment(receiptSms(input))).toBe(true);
    expect(receiptEmail(input).text).toContain('Remaining balance: $29.95');
  });
});

describe('planNotification', () => {
  const job = { kind: 'statement' as const, jobId: 'statement:cus_1:1', customerId: 'cus_1', locationId: 'loc_1', statementVersion: 1, amountDueMinor: 4995, billingDate: '2026-11-01' };
  const statement = { version: 1, balanceDueMinor: 4995, remainingMinor: 4995, billingDate: '2026-11-01', linkToken: 'tok', tinyCode: 'tiny' };

  it('builds the messages from the current items and the public base URL', () => {
    const plan = planNotification(job, { customer: { customerId: 'cus_1', locationId: 'loc_1', primaryPhone: '+15125550123' }, statement, location: { name: 'Sunrise Dental', currency: 'USD' } }, 'http://localhost:3000', testNow());

    expect(plan).toMatchObject({ send: true, phone: '+15125550123' });
    expect(plan.send && plan.sms).toContain('http://localhost:3000/t/tiny');
    expect(plan.send && plan.emailContent.html).toContain('http://localhost:3000/s/tok');
  });

  it('sends nothing for a job a later replacement superseded', () => {
    const plan = planNotification(job, { customer: { customerId: 'cus_1', locationId: 'loc_1' }, statement: { ...statement, version: 2, remainingMinor: 100 }, location: {} }, 'http://x', testNow());

    expect(plan).toMatchObject({ send: false, status: 'superseded' });
  });
});

describe('SMS length with a deployed API URL', () => {
  it('fits one segment with an execute-api tiny link and a typical name', () => {
    const tinyUrl = 'https://abcdefghij.execute-api.us-east-1.amazonaws.com/prod/t/AbCdEfGhIj';

    const sms = statementSms({ location, amountDueMinor: 123456, billingDate: '2026-11-01', statementUrl: 'x', tinyUrl });

    expect(sms).toContain('Sunrise Dental:');
    expect(fitsOneSegment(sms)).toBe(true);
  });
});
