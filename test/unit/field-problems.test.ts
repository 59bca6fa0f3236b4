import { z } from 'zod';
import { fieldProblems } from '../../functions/shared/http/chain';

/** The `fields` of a 400: one problem per bad field, in words a merchant's developer can act on. */
describe('fieldProblems', () => {
  const body = z.object({ billingDate: z.string(), balanceDue: z.number(), memo: z.string().optional() });

  it('says a field left out is required, with its type, instead of "received undefined"', () => {
    const result = body.safeParse({ balanceDue: 'ten', memo: 5 });
    expect(result.success).toBe(false);
    expect(fieldProblems(result.error!)).toEqual([
      { path: 'billingDate', message: 'Required (string).' },
      { path: 'balanceDue', message: 'Invalid input: expected number, received string' },
      { path: 'memo', message: 'Invalid input: expected string, received number' },
    ]);
  });

  it('names body fields without the body. prefix and lists unknown keys one by one', () => {
    const request = z.object({ body: body.strict() });
    const result = request.safeParse({ body: { billingDate: '2020-02-24', balanceDue: 1, colour: 'red', size: 2 } });
    expect(fieldProblems(result.error!)).toEqual([
      { path: 'colour', message: 'Unknown field.' },
      { path: 'size', message: 'Unknown field.' },
    ]);
  });
});
