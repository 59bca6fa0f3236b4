import { attemptIdFor, precheck, readAmount, toPaymentView, type PayableStatement } from '../../functions/domain/payments';
import { contrastRatio, formatPageDate, statementView, textColourOn } from '../../functions/domain/statement-view';

const statement: PayableStatement = { customerId: 'cus_1', locationId: 'loc_1', statementId: 'stm_1', version: 3, remainingMinor: 10000, currency: 'USD' };

describe('readAmount', () => {
  it('reads decimals, a dollar sign and thousands separators into cents', () => {
    expect(readAmount('40')).toEqual({ ok: true, amountMinor: 4000 });
    expect(readAmount('$1,234.5')).toEqual({ ok: true, amountMinor: 123450 });
  });

  it('refuses amounts under 1.00 and malformed ones', () => {
    expect(readAmount('0.99')).toMatchObject({ ok: false, field: { path: 'amount', message: 'The smallest payment is 1.00.' } });
    expect(readAmount('1.234')).toMatchObject({ ok: false });
    expect(readAmount('-5')).toMatchObject({ ok: false });
    expect(readAmount('  ')).toMatchObject({ ok: false, field: { message: 'Enter the amount to pay.' } });
  });
});

describe('precheck', () => {
  it('allows a payment up to the remaining balance on the shown version', () => {
    expect(precheck(statement, 3, 10000)).toBeUndefined();
  });

  it('refuses a replaced statement, nothing due and amounts over the balance', () => {
    expect(precheck(statement, 2, 100)).toEqual({ kind: 'replaced' });
    expect(precheck({ ...statement, remainingMinor: 0 }, 3, 100)).toEqual({ kind: 'nothing_due' });
    expect(precheck(statement, 3, 10001)).toEqual({ kind: 'amount_over_balance', remainingMinor: 10000 });
    expect(precheck(undefined, 3, 100)).toEqual({ kind: 'not_found' });
  });
});

describe('attemptIdFor', () => {
  it('is stable for one form and differs between links and forms', () => {
    expect(attemptIdFor('tokenA', 'key1')).toBe(attemptIdFor('tokenA', 'key1'));
    expect(attemptIdFor('tokenA', 'key1')).not.toBe(attemptIdFor('tokenB', 'key1'));
    expect(attemptIdFor('tokenA', 'key1')).not.toBe(attemptIdFor('tokenA', 'key2'));
  });
});

describe('statementView', () => {
  const NOW = new Date('2020-02-25T12:00:00Z');
  const location = { name: 'Sunrise Dental LLC', currency: 'USD', branding: { displayName: 'Sunrise Dental', accentColor: '#ffd400' } };
  const base = { customerId: 'cus_1', locationId: 'loc_1', version: 1, balanceDueMinor: 10000, paidMinor: 0, remainingMinor: 10000, billingDate: '2020-02-24' };

  it('formats the guide example', () => {
    const view = statementView(base, location, NOW);

    expect(view).toMatchObject({ businessName: 'Sunrise Dental', billingDate: '02/24/2020', balance: '$100.00', balanceInput: '100.00', state: 'due' });
  });

  it('tells the states apart', () => {
    expect(statementView({ ...base, paidMinor: 4000, remainingMinor: 6000 }, location, NOW)).toMatchObject({ state: 'partially_paid', balance: '$60.00', paid: '$40.00' });
    expect(statementView({ ...base, paidMinor: 10000, remainingMinor: 0 }, location, NOW).state).toBe('paid_in_full');
    expect(statementView({ ...base, balanceDueMinor: 0, remainingMinor: 0 }, location, NOW).state).toBe('nothing_due');
    expect(statementView({ customerId: 'cus_1', locationId: 'loc_1', version: 0 }, location, NOW).state).toBe('no_statement');
  });

  it('marks a past due date as overdue in the location\'s time zone, and only while something is owed', () => {
    const due = { ...base, dueDate: '2020-03-10' };
    const chicago = { ...location, timeZone: 'America/Chicago' };

    expect(statementView(due, chicago, new Date('2020-03-11T04:00:00Z')).overdue).toBe(false);
    expect(statementView(due, chicago, new Date('2020-03-11T06:00:00Z')).overdue).toBe(true);
    expect(statementView({ ...due, remainingMinor: 0, paidMinor: 10000 }, chicago, new Date('2020-04-01T00:00:00Z')).overdue).toBe(false);
  });

  it('shows whom it is for, a short statement number and the business contact', () => {
    const view = statementView(
      { ...base, statementId: 'stm_01JD0000000000000004F7Q9KZ' },
      { ...location, contactPhone: '+15125550100', contactEmail: 'billing@sunrise.example', address: { line1: '1 Main St', city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' }, branding: { logoUrl: 'https://sunrise.example/logo.png' } },
      NOW,
      { firstName: 'John', lastName: 'Smith' },
    );

    expect(view).toMatchObject({ customerName: 'John Smith', statementNumber: 'ST-04F7Q9KZ', logoUrl: 'https://sunrise.example/logo.png' });
    expect(view.contact).toEqual({ addressLines: ['1 Main St', 'Austin, TX 78701'], phone: { display: '(512) 555-0100', e164: '+15125550100' }, email: 'billing@sunrise.example' });
  });

  it('formats for the location currency', () => {
    expect(statementView(base, { ...location, currency: 'EUR' }, NOW).balance).toBe('€100.00');
  });

  it('puts readable text on any accent colour', () => {
    for (const colour of ['#FFD400', '#0A7C66', '#000000', '#FFFFFF', '#777777', '#FF0000']) {
      expect(contrastRatio(colour, textColourOn(colour))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('formats dates as MM/DD/YYYY', () => {
    expect(formatPageDate('2020-02-24')).toBe('02/24/2020');
    expect(formatPageDate(undefined)).toBeUndefined();
  });
});

describe('toPaymentView', () => {
  it('shows cents, a decimal and the card summary, nothing more', () => {
    const view = toPaymentView({
      paymentId: 'pay_1', locationId: 'loc_1', customerId: 'cus_1', statementId: 'stm_1', statementVersion: 2, amountMinor: 4995, currency: 'USD',
      remainingBeforeMinor: 4995, remainingAfterMinor: 0, cardBrand: 'Visa', cardLast4: '1111', cardExpMonth: 4, cardExpYear: 2030,
      gatewayReference: 'sbx_1', completedAt: '2026-11-24T00:00:00.000Z', status: 'completed',
    });

    expect(view).toMatchObject({ id: 'pay_1', amount: '49.95', amountMinor: 4995, card: { brand: 'Visa', last4: '1111', expMonth: 4, expYear: 2030 } });
  });
});
