import { formatMoney, isSupportedCurrency, parseMajorUnits, toMajorString } from '../../functions/domain/money';

describe('money in minor units', () => {
  it.each([
    ['49.95', 4995],
    [49.95, 4995],
    ['100', 10000],
    ['0', 0],
    ['0.5', 50],
    [1.1, 110],
    ['999999999999.99', 99999999999999],
  ])('parses %p as %p cents without float math', (input, cents) => {
    expect(parseMajorUnits(input)).toBe(cents);
  });

  it.each(['-1', '1.005', '01.00', 'abc', '', '1e3', ' ', '1.', '.5', 0.1 + 0.2, Number.NaN, Infinity])('refuses %p', (input) => {
    expect(parseMajorUnits(input as string | number)).toBeUndefined();
  });

  it('formats cents back to a decimal string and for people', () => {
    expect(toMajorString(4995)).toBe('49.95');
    expect(toMajorString(5)).toBe('0.05');
    expect(toMajorString(-250)).toBe('-2.50');
    expect(formatMoney({ amountMinor: 10000, currency: 'USD' })).toBe('$100.00');
    expect(formatMoney({ amountMinor: 123456789, currency: 'EUR' }, 'en-US')).toBe('€1,234,567.89');
  });

  it('accepts ISO 4217 currencies with two minor digits only', () => {
    expect(['USD', 'EUR', 'GBP', 'CAD'].every(isSupportedCurrency)).toBe(true);
    expect(['JPY', 'KWD', 'usd', 'XYZ', 'DOLLARS'].some(isSupportedCurrency)).toBe(false);
  });
});
