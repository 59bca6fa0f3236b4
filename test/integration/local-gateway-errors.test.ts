import http from 'node:http';
import { stackInfo } from '../support/stack-info';

/** A statement link token of the right shape that no statement has. */
const UNKNOWN_TOKEN = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const ELEVEN_MB = 11 * 1024 * 1024;

const url = (path: string) => `${stackInfo().url}${path}`;

const page = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(url(path), { redirect: 'manual', ...init });
  const html = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), title: /<title>([^<]*)<\/title>/.exec(html)?.[1] };
};

const json = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(url(path), init);
  return { status: response.status, body: (await response.json()) as { error: { code: string; message: string }; requestId: string } };
};

/** Sends a large body with `Expect: 100-continue`, as curl does, and reports whether the body was asked for. */
const postExpectingContinue = (path: string, size: number) =>
  new Promise<{ status: number; body: string; continued: boolean }>((resolve, reject) => {
    let continued = false;
    const request = http.request(url(path), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(size), Expect: '100-continue' },
    });
    request.on('continue', () => {
      continued = true;
      request.end(Buffer.alloc(size, 0x20));
    });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, continued }));
    });
    request.on('error', reject);
    request.flushHeaders();
  });

describe('the local API Gateway stand-in (bin/local/api-server.ts)', () => {
  it.each([
    ['/s/%zz', 'GET'],
    ['/t/%', 'GET'],
    ['/s/%E0%A4%A/attachment', 'GET'],
    ['/s/%/pay', 'POST'],
  ])('answers the malformed link %s (%s) with the 404 page an unknown link gets', async (path, method) => {
    // Prepare
    const init: RequestInit = method === 'POST' ? { method, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'amount=1.00' } : {};
    const unknown = await page(`/s/${UNKNOWN_TOKEN}`);

    // Act
    const malformed = await page(path, init);

    // Assess
    expect(unknown).toMatchObject({ status: 404, type: 'text/html; charset=utf-8' });
    expect(malformed).toEqual(unknown);
  });

  it('answers an unknown route, also one with malformed percent-encoding, with route_not_found in the one error shape', async () => {
    // Act
    const results = await Promise.all(['/nope', '/%zz', '/getStatement/%'].map((path) => json(path)));

    // Assess
    for (const { status, body } of results) {
      expect(status).toBe(404);
      expect(body).toEqual({ error: { code: 'route_not_found', message: 'No such route.' }, requestId: expect.any(String) });
    }
  });

  it('answers a known path with the wrong method with 405 method_not_allowed', async () => {
    // Act
    const { status, body } = await json('/setStatement');

    // Assess
    expect(status).toBe(405);
    expect(body).toEqual({ error: { code: 'method_not_allowed', message: expect.stringContaining('GET') }, requestId: expect.any(String) });
  });

  it('answers a body over 10 MB with 413 payload_too_large, reads it to the end and keeps serving', async () => {
    // Act
    const { status, body } = await json('/setStatement', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CX-API-Key': 'cx_whatever' },
      body: Buffer.alloc(ELEVEN_MB, 0x20),
    });
    const next = await fetch(url('/health'));

    // Assess
    expect(status).toBe(413);
    expect(body).toEqual({ error: { code: 'payload_too_large', message: 'The request body is too large.' }, requestId: expect.any(String) });
    expect(next.status).toBe(200);
  });

  it('answers 413 before the body is sent when the client waits for 100 Continue', async () => {
    // Act
    const result = await postExpectingContinue('/setStatement', ELEVEN_MB);

    // Assess
    expect(result.continued).toBe(false);
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'payload_too_large' }, requestId: expect.any(String) });
  });

  it('asks for a body under the limit with 100 Continue and passes it on', async () => {
    // Act
    const result = await postExpectingContinue('/setStatement', 1024);

    // Assess
    expect(result.continued).toBe(true);
    expect(result.status).toBe(401);
  });
});
