import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * fauxqs keeps S3 objects in memory only, so after a restart a statement's PDF would be gone while
 * the table that names it is kept. This sits in front of fauxqs's S3 side (the functions' and
 * signed links' `AWS_ENDPOINT_URL_S3`): every request goes through unchanged, and after each one
 * that may change an object the object is copied to (or removed from) `<dir>/<bucket>/`. At start
 * the saved objects are put back into fauxqs. fauxqs does not check signatures, so signed links
 * to this endpoint work as they did.
 */

export interface S3OnDisk {
  /** The S3 endpoint to give the functions. */
  url: string;
  stop(): Promise<void>;
}

interface SavedMeta {
  key: string;
  contentType: string;
}

/** One flat pair of files per key (keys hold slashes, file names may not): `<key>.object` and `<key>.meta`. */
const fileOf = (dir: string, bucket: string, key: string) => path.join(dir, bucket, encodeURIComponent(key));
const OBJECT = '.object';
const META = '.meta';

const objectPath = (url: { bucket: string; key: string }) => `/${encodeURIComponent(url.bucket)}/${url.key.split('/').map(encodeURIComponent).join('/')}`;

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

const readAll = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

/** Bucket and key of a path-style URL (`/<bucket>/<key>`); no key for bucket-level requests. */
const target = (url: URL): { bucket: string; key?: string } | undefined => {
  const [, bucket, ...rest] = url.pathname.split('/');
  if (!bucket) return undefined;
  try {
    return { bucket: decodeURIComponent(bucket), key: rest.length && rest.join('/') ? decodeURIComponent(rest.join('/')) : undefined };
  } catch {
    return undefined;
  }
};

export const startS3OnDisk = async (options: { fauxqsUrl: string; dir: string; buckets: string[]; log: (message: string) => void }): Promise<S3OnDisk> => {
  const upstream = (pathAndQuery: string) => new URL(pathAndQuery, options.fauxqsUrl);

  /** Copies one object from fauxqs to disk, or removes the copy when fauxqs no longer has it. */
  const syncKey = async (bucket: string, key: string) => {
    const file = fileOf(options.dir, bucket, key);
    const response = await fetch(upstream(objectPath({ bucket, key })));
    if (response.status === 404) {
      rmSync(`${file}${OBJECT}`, { force: true });
      rmSync(`${file}${META}`, { force: true });
      return;
    }
    if (!response.ok) throw new Error(`S3 copy of ${bucket}/${key}: fauxqs answered ${response.status}`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}${OBJECT}`, Buffer.from(await response.arrayBuffer()));
    const meta: SavedMeta = { key, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
    writeFileSync(`${file}${META}`, JSON.stringify(meta));
  };

  /** After a multi-object delete: drop every saved copy fauxqs no longer has. */
  const syncBucket = async (bucket: string) => {
    for (const meta of savedObjects(bucket)) await syncKey(bucket, meta.key);
  };

  const savedObjects = (bucket: string): SavedMeta[] => {
    const folder = path.join(options.dir, bucket);
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return [];
    }
    return names.filter((name) => name.endsWith(META)).map((name) => JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as SavedMeta);
  };

  // Put every saved object back before anything can ask for one.
  let restored = 0;
  for (const bucket of options.buckets) {
    for (const meta of savedObjects(bucket)) {
      const body = readFileSync(`${fileOf(options.dir, bucket, meta.key)}${OBJECT}`);
      const put = await fetch(upstream(objectPath({ bucket, key: meta.key })), {
        method: 'PUT',
        headers: { 'Content-Type': meta.contentType },
        body,
      });
      if (!put.ok) throw new Error(`restoring ${bucket}/${meta.key}: fauxqs answered ${put.status}`);
      restored += 1;
    }
  }
  if (restored) options.log(`restored ${restored} S3 object(s) from ${options.dir}`);

  // Writes of one key are copied in order, so a quick put-then-delete leaves no stale copy.
  let copies: Promise<unknown> = Promise.resolve();
  const server: Server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const body = await readAll(request);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const answer = await fetch(upstream(`${url.pathname}${url.search}`), {
        method: request.method,
        headers,
        body: body.length && request.method !== 'GET' && request.method !== 'HEAD' ? body : undefined,
      });
      const payload = Buffer.from(await answer.arrayBuffer());
      const where = target(url);
      if (answer.ok && where && request.method !== 'GET' && request.method !== 'HEAD') {
        const copy = copies.then(() => (where.key ? syncKey(where.bucket, where.key) : url.searchParams.has('delete') ? syncBucket(where.bucket) : undefined));
        copies = copy.catch(() => undefined);
        // Answer only once the copy is on disk: a stop right after a 200 must not lose the object.
        await copy;
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!HOP_HEADERS.has(name) && name !== 'content-encoding') out[name] = value;
      });
      // HEAD has no body to measure: the SDK reads the object's size from this header.
      if (request.method === 'HEAD' && answer.headers.has('content-length')) out['content-length'] = answer.headers.get('content-length')!;
      response.writeHead(answer.status, out);
      response.end(request.method === 'HEAD' ? undefined : payload);
    } catch (error) {
      options.log(`S3 on disk: ${(error as Error).message}`);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/xml' });
      response.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>local S3 copy failed</Message></Error>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
