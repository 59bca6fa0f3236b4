import { stackInfo } from './stack-info';
import type { OutboxEmail } from '../../bin/local/outbox';
import type { SentSms } from '../../bin/local/sms-carrier';

/** An SMS as the outbox JSON shows it. */
export type OutboxSms = Pick<SentSms, 'to' | 'body' | 'at'>;
export type { OutboxEmail };

/** The SMS and emails the local runtime sent, newest first (`GET /_local/outbox.json?only=sms,email`: no webhook scan). */
export const outbox = async (): Promise<{ sms: OutboxSms[]; email: OutboxEmail[] }> =>
  (await fetch(new URL('/_local/outbox.json?only=sms,email', stackInfo().url))).json() as Promise<{ sms: OutboxSms[]; email: OutboxEmail[] }>;

export const smsTo = async (phone: string) => (await outbox()).sms.filter((sms) => sms.to === phone);
export const emailTo = async (address: string) => (await outbox()).email.filter((email) => email.to === address);

/**
 * Sets an SMS fault rule on the carrier stand-in (`POST /_local/faults`). Pass `numbers` so that
 * tests running side by side keep their own rules; `{ numbers }` alone clears theirs.
 */
export const setSmsFaults = async (sms: Record<string, unknown>) => {
  const response = await fetch(new URL('/_local/faults', stackInfo().url), { method: 'POST', body: JSON.stringify({ sms }) });
  if (!response.ok) throw new Error(`faults: ${response.status}`);
};

/** Polls `probe` until it returns a value `done` accepts, or fails after `timeoutMs`. */
export const eventually = async <T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, what = 'condition'): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} not reached in ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
};

let counter = 0;
const AREA_CODES = ['512', '737', '214', '469', '713', '832', '210', '415', '206', '303'];
/** A US number no other test uses (with high probability), so its messages are this test's alone. */
export const uniquePhone = () => {
  const n = Math.floor(Math.random() * 100_000);
  return `+1${AREA_CODES[n % 10]}555${String(Math.floor(n / 10)).padStart(4, '0')}`;
};
export const uniqueEmail = () => `customer-${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
