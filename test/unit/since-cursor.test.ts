import { decodeSinceCursor, encodeSinceCursor } from '../../functions/shared/table/since-cursor';

describe('since cursor', () => {
  it('round-trips a payment id', () => {
    const id = 'pay_01M87J27A7NJKZ23AXCVEQAC1C';

    expect(decodeSinceCursor(encodeSinceCursor(id))).toBe(id);
    expect(decodeSinceCursor(undefined)).toBeUndefined();
  });

  it('refuses anything it did not issue', () => {
    for (const cursor of ['nope', Buffer.from('after:cus_01M87J27A7NJKZ23AXCVEQAC1C').toString('base64url'), Buffer.from('{"pk":"x"}').toString('base64url')]) {
      expect(() => decodeSinceCursor(cursor)).toThrow('The cursor is not one this endpoint returned.');
    }
  });
});
