import { readCard, readExpiry, summariseCard } from '../../functions/domain/card';
import { addDays, cardExpiry, testNow } from '../support/clock';

const now = testNow();
const expiry = cardExpiry(4);
const form = { nameOnCard: 'Jane Doe', cardNumber: '4111 1111 1111 1111', expiry: expiry.text, cvv: '123' };

describe('readCard', () => {
  it('accepts a valid card typed with spaces and reads brand and expiry', () => {
    const result = readCard(form, now);

    expect(result).toEqual({ ok: true, card: { nameOnCard: 'Jane Doe', number: '4111111111111111', cvv: '123', brand: 'Visa', expMonth: expiry.month, expYear: expiry.year } });
  });

  it('accepts MM/YY and a 4-digit CVV for American Express', () => {
    const amexExpiry = cardExpiry(5, 'MM/YY');
    const result = readCard({ ...form, cardNumber: '3782 822463 10005', expiry: amexExpiry.text, cvv: '1234' }, now);

    expect(result.ok && result.card).toMatchObject({ brand: 'American Express', expMonth: amexExpiry.month, expYear: amexExpiry.year });
  });

  it('names each bad field without repeating what was typed', () => {
    const result = readCard({ nameOnCard: '', cardNumber: '4111 1111 1111 1112', expiry: cardExpiry(-1, 'MM/YY').text, cvv: '12' }, now);

    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.fields;
    expect(fields.map((f) => f.path)).toEqual(['nameOnCard', 'cardNumber', 'expiry', 'cvv']);
    expect(JSON.stringify(fields)).not.toContain('1112');
  });

  it('rejects a 4-digit CVV on a Visa and letters in the number', () => {
    expect(readCard({ ...form, cvv: '1234' }, now).ok).toBe(false);
    expect(readCard({ ...form, cardNumber: '4111 1111 1111 111a' }, now).ok).toBe(false);
  });

  it('keeps only brand, last four and expiry in the summary', () => {
    const result = readCard(form, now);
    if (!result.ok) throw new Error('expected a valid card');

    expect(summariseCard(result.card)).toEqual({ brand: 'Visa', last4: '1111', expMonth: expiry.month, expYear: expiry.year });
  });
});

describe('readExpiry', () => {
  it('accepts a card through the last day of its expiry month, judged by the given now', () => {
    const thisMonth = cardExpiry(0, 'MM/YY', now);
    const lastDayOfMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0, 23, 59));
    const firstDayAfter = addDays(lastDayOfMonth, 1);

    expect(readExpiry(thisMonth.text, lastDayOfMonth)).toEqual({ month: thisMonth.month, year: thisMonth.year });
    expect(readExpiry(thisMonth.text, firstDayAfter)).toBeUndefined();
  });

  it('reads MM/YY, MM / YYYY and MMYY, and refuses other shapes and months', () => {
    const ahead = cardExpiry(2, 'MM / YYYY', now);
    const yy = String(ahead.year % 100).padStart(2, '0');
    const mm = String(ahead.month).padStart(2, '0');

    expect(readExpiry(`${mm}/${yy}`, now)).toEqual({ month: ahead.month, year: ahead.year });
    expect(readExpiry(ahead.text, now)).toEqual({ month: ahead.month, year: ahead.year });
    expect(readExpiry(`${mm}${yy}`, now)).toEqual({ month: ahead.month, year: ahead.year });
    expect(readExpiry(`13/${yy}`, now)).toBeUndefined();
    expect(readExpiry(`00/${yy}`, now)).toBeUndefined();
    expect(readExpiry(`${mm}-${yy}`, now)).toBeUndefined();
  });

  it('accepts up to 19 years ahead, as card-validator does, and no further', () => {
    expect(readExpiry(cardExpiry(19, 'MM / YYYY', now).text, now)).toBeDefined();
    expect(readExpiry(cardExpiry(20, 'MM / YYYY', now).text, now)).toBeUndefined();
  });
});
