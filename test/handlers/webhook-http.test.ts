import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardedLookup, postWebhook } from '../../functions/shared/adapters/webhook-http';

const lookup = (policy: { allowLoopback: boolean }, host: string) =>
  new Promise<{ error?: Error; addresses?: unknown }>((resolve) =>
    guardedLookup(policy)(host, { all: true }, (error, addresses) => resolve({ error: error ?? undefined, addresses })),
  );

const server = async (handler: http.RequestListener) => {
  const s = http.createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { url: `http://localhost:${(s.address() as AddressInfo).port}/hook`, close: () => (s.closeAllConnections(), new Promise((r) => s.close(r))) };
};

/** The delivery adapter against throwaway loopback servers (no emulators needed, but real sockets, so not a unit test). */
describe('webhook POST', () => {
  it('refuses, inside the connect-time DNS lookup, a host that resolves to loopback in production', async () => {
    const refused = await lookup({ allowLoopback: false }, 'localhost');
    const allowed = await lookup({ allowLoopback: true }, 'localhost');

    expect(refused.error?.message).toMatch(/private, loopback, link-local or reserved/);
    expect(allowed.error).toBeUndefined();
  });

  it('records a refused destination as a failed attempt without connecting', async () => {
    const attempt = await postWebhook({ url: 'https://169.254.169.254/latest/meta-data/', headers: {}, body: '{}', policy: { allowLoopback: false } });

    expect(attempt).toMatchObject({ error: expect.stringMatching(/^destination not allowed/), latencyMs: expect.any(Number) });
    expect(attempt.statusCode).toBeUndefined();
  });

  it('keeps at most 200 characters of the response body', async () => {
    const receiver = await server((_req, res) => res.writeHead(500).end('x'.repeat(5000)));

    const attempt = await postWebhook({ url: receiver.url, headers: {}, body: '{}', policy: { allowLoopback: true } });

    expect(attempt.statusCode).toBe(500);
    expect(attempt.responseExcerpt).toHaveLength(200);
    await receiver.close();
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const receiver = await server(() => undefined);

    const attempt = await postWebhook({ url: receiver.url, headers: {}, body: '{}', policy: { allowLoopback: true }, timeoutMs: 300 });

    expect(attempt).toMatchObject({ error: 'timeout after 300 ms' });
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(290);
    await receiver.close();
  });
});
