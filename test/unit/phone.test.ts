import { maskPhone, normalisePhone, normaliseSmsPhone } from '../../functions/domain/phone';

describe('phone numbers', () => {
  it('normalises national formats to E.164 with the location country', () => {
    expect(normalisePhone('(512) 555-0123', 'US')).toEqual({ ok: true, e164: '+15125550123' });
    expect(normalisePhone('07400 123456', 'GB')).toEqual({ ok: true, e164: '+447400123456' });
    expect(normalisePhone('+1 512 555 0123', 'GB')).toEqual({ ok: true, e164: '+15125550123' });
  });

  it('rejects numbers that are not valid', () => {
    expect(normalisePhone('12', 'US').ok).toBe(false);
    expect(normalisePhone('not a phone', 'US').ok).toBe(false);
  });

  it('rejects numbers known to be unable to receive SMS, and accepts US numbers that may be mobile', () => {
    const landline = normaliseSmsPhone('020 7946 0018', 'GB');
    expect(landline.ok).toBe(false);
    expect(!landline.ok && landline.reason).toMatch(/cannot receive SMS/);
    expect(normaliseSmsPhone('07400 123456', 'GB').ok).toBe(true);
    expect(normaliseSmsPhone('+15125550123', 'US').ok).toBe(true);
  });

  it('masks all but the country prefix and last two digits', () => {
    expect(maskPhone('+15125550123')).toBe('+1••••••••23');
  });
});
