import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { checkResolvedAddresses, checkWebhookUrl, type WebhookUrlPolicy } from '../../domain/webhook-url';
import { excerpt, type DeliveryAttempt } from '../../domain/webhook-delivery';
import { clock } from './clock';

/** Receivers get 10 s to answer; Standard Webhooks recommends a short timeout. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Only the first bytes of a response are kept; the rest is not even read. */
const MAX_BODY_BYTES = 2048;

class AddressNotAllowedError extends Error {}

/**
 * A DNS lookup that refuses hosts resolving to any internal address. It runs inside the socket
 * connect, so the addresses checked are the addresses used: no window for DNS rebinding between
 * a check and the request.
 */
export const guardedLookup = (policy: WebhookUrlPolicy): LookupFunction => (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as dns.LookupAddress[];
    const check = checkResolvedAddresses(list.map((a) => a.address), policy);
    if (!check.ok) return callback(new AddressNotAllowedError(check.reason), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    return callback(null, list[0].address, list[0].family);
  });
};

/** Resolves a URL's host and checks every address, for the admin CLI's check at set time. */
export const assertDeliverableUrl = async (text: string, policy: WebhookUrlPolicy): Promise<URL> => {
  const form = checkWebhookUrl(text, policy);
  if (!form.ok) throw new Error(form.reason);
  const host = form.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = await dns.promises.lookup(host, { all: true }).catch(() => []);
  const check = checkResolvedAddresses(addresses.map((a) => a.address), policy);
  if (!check.ok) throw new Error(check.reason);
  return form.url;
};

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  policy: WebhookUrlPolicy;
  timeoutMs?: number;
}

/** POSTs one webhook and reports the attempt; never throws for a receiver's failure. */
export const postWebhook = (request: WebhookRequest): Promise<DeliveryAttempt> => {
  const startedAt = clock.now();
  const started = performance.now();
  const attempt = (result: Pick<DeliveryAttempt, 'statusCode' | 'error' | 'responseExcerpt'>): DeliveryAttempt => ({
    at: startedAt.toISOString(),
    url: request.url,
    ...result,
    latencyMs: Math.round(performance.now() - started),
  });
  const form = checkWebhookUrl(request.url, request.policy);
  if (!form.ok) return Promise.resolve(attempt({ error: `destination not allowed: ${form.reason}` }));

  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Parameters<typeof attempt>[0]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(attempt(result));
    };
    const transport = form.url.protocol === 'https:' ? https : http;
    const req = transport.request(
      form.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'CustomerStatements-Webhooks/1', ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        lookup: guardedLookup(request.policy),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          finish({ statusCode: res.statusCode, responseExcerpt: excerpt(Buffer.concat(chunks).toString('utf8')) });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_BODY_BYTES) done();
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      finish({ error: `timeout after ${request.timeoutMs ?? WEBHOOK_TIMEOUT_MS} ms` });
      req.destroy();
    }, request.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
    req.on('error', (error) =>
      finish({ error: error instanceof AddressNotAllowedError ? `destination not allowed: ${error.message}` : `${(error as NodeJS.ErrnoException).code ?? 'error'}: ${error.message}`.slice(0, 200) }),
    );
    req.end(request.body);
  });
};
