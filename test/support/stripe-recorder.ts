import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import published from '../fixtures/stripe/openapi.json';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The form body as Stripe's nested keys, e.g. `metadata[attempt]` → `{ metadata: { attempt } }`. */
  body: Record<string, unknown>;
}

/** `a[b][0]=x` → `{ a: { b: ['x'] } }`: how Stripe reads form-encoded parameters. */
export const decodeStripeForm = (text: string): Record<string, unknown> => {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const [head, ...rest] = key.split('[').map((part) => part.replace(/\]$/, ''));
    let node = root as Record<string, unknown>;
    const path = [head, ...rest];
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= /^\d+$/.test(path[i + 1]) ? [] : {}) as Record<string, unknown>;
    });
  }
  return root;
};

/**
 * An HTTP server that records what the SDK sends and answers with Stripe's own published example
 * objects (fixtures3.json of github.com/stripe/openapi, extracted with scripts/stripe-openapi.ts):
 * for calls no emulator serves, the test checks the request, and the answer is Stripe's, not ours.
 */
export const startRecorder = async () => {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      requests.push({ method: req.method ?? '', path, headers: req.headers, body: decodeStripeForm(text) });
      const fixture = path.startsWith('/v1/refunds') ? published.fixtures.refund : published.fixtures.payment_intent;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Request-Id': 'req_recorder' }).end(JSON.stringify(fixture));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    stripe: new Stripe('sk_test_recorder', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
