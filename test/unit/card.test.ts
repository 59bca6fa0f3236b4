import { readCard, summariseCard } from '../../functions/domain/card';

const form = { nameOnCard: 'Jane Doe', cardNumber: '4111 1111 1111 1111', expiry: '04 / 2030', cvv: '123' };

describe('readCard', () => {
  it('accepts a valid card typed with spaces and reads brand and expiry', () => {
    const result = readCard(form);

    expect(result).toEqual({ ok: true, card: { nameOnCard: 'Jane Doe', number: '4111111111111111', cvv: '123', brand: 'Visa', expMonth: 4, expYear: 2030 } });
  });

  it('accepts MM/YY and a 4-digit CVV for American Express', () => {
    const result = readCard({ ...form, cardNumber: '3782 822463 10005', expiry: '12/31', cvv: '1234' });

    expect(result.ok && result.card).toMatchObject({ brand: 'American Express', expMonth: 12, expYear: 2031 });
  });

  it('names each bad field without repeating what was typed', () => {
    const result = readCard({ nameOnCard: '', cardNumber: '4111 1111 1111 1112', expiry: '01/20', cvv: '12' });

    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.fields;
    expect(fields.map((f) => f.path)).toEqual(['nameOnCard', 'cardNumber', 'expiry', 'cvv']);
    expect(JSON.stringify(fields)).not.toContain('1112');
  });

  it('rejects a 4-digit CVV on a Visa and letters in the number', () => {
    expect(readCard({ ...form, cvv: '1234' }).ok).toBe(false);
    expect(readCard({ ...form, cardNumber: '4111 1111 1111 111a' }).ok).toBe(false);
  });

  it('keeps only brand, last four and expiry in the summary', () => {
    const result = readCard(form);
    if (!result.ok) throw new Error('expected a valid card');

    expect(summariseCard(result.card)).toEqual({ brand: 'Visa', last4: '1111', expMonth: 4, expYear: 2030 });
  });
});
