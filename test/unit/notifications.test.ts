import {
  isSuperseded,
  jobsForChange,
  maskEmail,
  maskPhone,
  retryDelaySeconds,
  statementJobId,
  type Image,
} from '../../functions/domain/notifications';

const statement = (fields: Image = {}): Image => ({
  type: 'STATEMENT',
  customerId: 'cus_1',
  locationId: 'loc_1',
  version: 1,
  balanceDueMinor: 4995,
  paidMinor: 0,
  remainingMinor: 4995,
  billingDate: '2026-11-01',
  ...fields,
});

describe('jobsForChange', () => {
  it('queues a statement notification for the first statement', () => {
    const jobs = jobsForChange({ eventName: 'MODIFY', oldImage: statement({ version: 0, balanceDueMinor: undefined }), newImage: statement() });

    expect(jobs).toEqual([
      {
        queue: 'notification',
        job: { kind: 'statement', jobId: statementJobId('cus_1', 1), customerId: 'cus_1', locationId: 'loc_1', statementVersion: 1, amountDueMinor: 4995, billingDate: '2026-11-01' },
      },
    ]);
  });

  it('queues one when a replacement changes the balance or the billing date', () => {
    const balance = jobsForChange({ eventName: 'MODIFY', oldImage: statement(), newImage: statement({ version: 2, balanceDueMinor: 5000, remainingMinor: 5000 }) });
    const billing = jobsForChange({ eventName: 'MODIFY', oldImage: statement(), newImage: statement({ version: 2, billingDate: '2026-12-01' }) });

    expect(balance).toHaveLength(1);
    expect(billing).toHaveLength(1);
  });

  it('queues nothing for a replacement the customer would not notice', () => {
    const jobs = jobsForChange({ eventName: 'MODIFY', oldImage: statement(), newImage: statement({ version: 2, memo: 'new memo' }) });

    expect(jobs).toEqual([]);
  });

  it('queues nothing when nothing is due, for the placeholder, or for a payment on the statement', () => {
    const zero = jobsForChange({ eventName: 'MODIFY', oldImage: statement({ version: 0 }), newImage: statement({ balanceDueMinor: 0, remainingMinor: 0 }) });
    const placeholder = jobsForChange({ eventName: 'INSERT', newImage: statement({ version: 0 }) });
    const payment = jobsForChange({ eventName: 'MODIFY', oldImage: statement(), newImage: statement({ paidMinor: 995, remainingMinor: 4000 }) });

    expect([zero, placeholder, payment]).toEqual([[], [], []]);
  });

  it('queues a statement notification when a replacement brings back an amount a payment had reduced', () => {
    const jobs = jobsForChange({
      eventName: 'MODIFY',
      oldImage: statement({ paidMinor: 995, remainingMinor: 4000 }),
      newImage: statement({ version: 2, paidMinor: 0, remainingMinor: 4995 }),
    });

    expect(jobs).toHaveLength(1);
  });

  it('queues a receipt and a webhook job for a new completed payment', () => {
    const jobs = jobsForChange({
      eventName: 'INSERT',
      newImage: { type: 'PAYMENT', status: 'completed', paymentId: 'pay_1', customerId: 'cus_1', locationId: 'loc_1', amountMinor: 100 },
    });

    expect(jobs).toEqual([
      { queue: 'notification', job: { kind: 'receipt', jobId: 'receipt:pay_1', customerId: 'cus_1', locationId: 'loc_1', paymentId: 'pay_1' } },
      { queue: 'webhook', job: { kind: 'payment.completed', paymentId: 'pay_1', customerId: 'cus_1', locationId: 'loc_1' } },
    ]);
  });

  it("queues only a merchant webhook for a new dispute or a failed intent (Stripe's events)", () => {
    const dispute = jobsForChange({ eventName: 'INSERT', newImage: { type: 'DISPUTE', disputeId: 'du_1', paymentId: 'pay_1', customerId: 'cus_1', locationId: 'loc_1', amountMinor: 100 } });
    const failure = jobsForChange({ eventName: 'INSERT', newImage: { type: 'PAYMENT_FAILURE', intentId: 'pi_1', customerId: 'cus_1', locationId: 'loc_1', amountMinor: 100 } });

    expect(dispute).toEqual([{ queue: 'webhook', job: { kind: 'payment.disputed', disputeId: 'du_1', paymentId: 'pay_1', customerId: 'cus_1', locationId: 'loc_1' } }]);
    expect(failure).toEqual([{ queue: 'webhook', job: { kind: 'payment.failed', intentId: 'pi_1', customerId: 'cus_1', locationId: 'loc_1' } }]);
    expect(jobsForChange({ eventName: 'MODIFY', newImage: { type: 'DISPUTE', disputeId: 'du_1', customerId: 'cus_1', locationId: 'loc_1' } })).toEqual([]);
  });

  it('queues nothing for other items or removals', () => {
    expect(jobsForChange({ eventName: 'INSERT', newImage: { type: 'CUSTOMER', customerId: 'cus_1' } })).toEqual([]);
    expect(jobsForChange({ eventName: 'REMOVE', oldImage: statement() })).toEqual([]);
  });
});

describe('isSuperseded', () => {
  const job = { kind: 'statement' as const, jobId: 'j', customerId: 'c', locationId: 'l', statementVersion: 2, amountDueMinor: 500, billingDate: '2026-11-01' };

  it('keeps a job whose statement is unchanged or was replaced with the same figures', () => {
    expect(isSuperseded(job, { version: 2, amountDueMinor: 500, billingDate: '2026-11-01' })).toBe(false);
    expect(isSuperseded(job, { version: 3, amountDueMinor: 500, billingDate: '2026-11-01' })).toBe(false);
  });

  it('drops a job a later replacement changed, or when nothing is due any more', () => {
    expect(isSuperseded(job, { version: 3, amountDueMinor: 700, billingDate: '2026-11-01' })).toBe(true);
    expect(isSuperseded(job, { version: 2, amountDueMinor: 0, billingDate: '2026-11-01' })).toBe(true);
  });
});

describe('channels, masking and backoff', () => {
  it('masks destinations', () => {
    expect(maskPhone('+15125550123')).toBe('+1••••••0123');
    expect(maskEmail('jane.doe@example.com')).toBe('j•••@example.com');
  });

  it('doubles the retry delay per attempt up to a cap', () => {
    expect([1, 2, 3, 4, 10].map((n) => retryDelaySeconds(n, 30))).toEqual([30, 60, 120, 240, 900]);
    expect(retryDelaySeconds(3, 0)).toBe(0);
  });
});
