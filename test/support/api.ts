import { localTime } from '../../functions/domain/quiet-hours';
import { clock } from '../../functions/shared/adapters/clock';
import { issueApiKey } from '../../functions/domain/api-keys';
import { apiKeysRepo } from '../../functions/shared/repos/api-keys';
import { stackInfo } from './stack-info';
import { testClients } from './clients';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  /** Sent as is, for malformed-JSON tests. */
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

/** Calls the local API over HTTP, as a merchant's system would. */
export const call = async <T = any>(method: 'GET' | 'POST', path: string, options: CallOptions = {}): Promise<ApiResponse<T>> => {
  const url = new URL(path, stackInfo().url);
  Object.entries(options.query ?? {}).forEach(([k, v]) => url.searchParams.set(k, v));
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers['CX-API-Key'] = options.key;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(url, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
};

export interface Merchant {
  key: string;
  locationId: string;
  call: <T = any>(method: 'GET' | 'POST', path: string, options?: Omit<CallOptions, 'key'>) => Promise<ApiResponse<T>>;
}

let counter = 0;

/** Issues a fresh credential for a new location, as `npm run admin -- create-key` does. */
export const newMerchant = async (): Promise<Merchant> => {
  const issued = issueApiKey();
  const locationId = `loc_test${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  await apiKeysRepo(stackInfo().names.table, testClients().documents).create({ keyId: issued.keyId, locationId, secretHash: issued.secretHash });
  return {
    key: issued.apiKey,
    locationId,
    call: (method, path, options = {}) => call(method, path, { ...options, key: issued.apiKey }),
  };
};

/**
 * A quiet-hours window that does not hold the present moment in `zone`: it starts three hours from
 * now and lasts two. Tests that are not about quiet hours send at once at any hour of the day (and
 * under faketime); test/integration/reminders.test.ts and the scheduled-notifications handler test
 * cover the window itself.
 */
export const quietHoursAwayFromNow = (zone = 'America/Chicago') => {
  const { minutes } = localTime(clock.now(), zone);
  const at = (offset: number) => {
    const m = (minutes + offset) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  return { start: at(180), end: at(300) };
};

/** A merchant whose Service Location already exists (with quiet hours away from now unless given). */
export const merchantWithLocation = async (location: Record<string, unknown> = {}): Promise<Merchant> => {
  const merchant = await newMerchant();
  const quietHours = quietHoursAwayFromNow(typeof location.timeZone === 'string' ? location.timeZone : undefined);
  const response = await merchant.call('POST', '/setServiceLocation', {
    body: { name: 'Sunrise Dental', address: { line1: '1 Main St', city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' }, quietHours, ...location },
  });
  if (response.status !== 201) throw new Error(`setServiceLocation failed: ${response.text}`);
  return merchant;
};
