import http from 'node:http';

/**
 * The benchmark's HTTP client for the local API: Node's `http` with a keep-alive agent, the same
 * transport the AWS SDK's default handler uses for the bare DynamoDB calls it is compared with
 * (`fetch` adds about 0.3 ms a request here, which would be charged to the service).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export const postJson = (url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; text: string }> =>
  new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const request = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': String(payload.length), ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });

export const closeHttpClient = () => agent.destroy();
