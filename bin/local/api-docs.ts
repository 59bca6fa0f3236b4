import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalRoute } from './api-server';

/**
 * The API reference of the local runtime: `/docs` renders docs/openapi.json with Swagger UI, whose
 * files come from the `swagger-ui-dist` package (nothing from a CDN), and `/openapi.json` serves
 * the spec with this server as its first server, so "Try it out" calls the running stack.
 */

const OPENAPI_FILE = path.resolve(__dirname, '..', '..', 'docs', 'openapi.json');
const SWAGGER_UI = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/** Swagger UI runs under a strict policy: its own files only, icons as `data:` SVGs, no inline script. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer Statements API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// Not inline: the page's CSP allows scripts from this origin only.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  displayOperationId: true,
  defaultModelsExpandDepth: 0,
  // The public validator would be a request to another host.
  validatorUrl: null,
});
`;

const send = (response: ServerResponse, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
  response.writeHead(200, { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', ...headers });
  response.end(body);
};

const asset = (file: string, type: string): LocalRoute => {
  let content: Buffer | undefined;
  return (_request, response) => {
    content ??= readFileSync(path.join(SWAGGER_UI, file));
    send(response, type, content, { 'Cache-Control': 'public, max-age=3600' });
  };
};

/** The spec as committed, with the address this request came to as its first server. */
const spec = (request: IncomingMessage) => {
  const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { servers?: Array<{ url: string; description?: string }> };
  const here = `http://${request.headers.host ?? 'localhost'}`;
  document.servers = [{ url: here, description: 'This local runtime' }, ...(document.servers ?? []).filter((s) => s.url !== here)];
  return JSON.stringify(document);
};

export const apiDocsRoutes = (): Record<string, LocalRoute> => {
  const page: LocalRoute = (_request, response) =>
    send(response, 'text/html; charset=utf-8', PAGE, { 'Content-Security-Policy': CSP, 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
  return {
    '/docs': page,
    '/docs/': page,
    '/docs/init.js': (_request, response) => send(response, 'text/javascript; charset=utf-8', INIT, { 'Cache-Control': 'no-store' }),
    '/docs/swagger-ui.css': asset('swagger-ui.css', 'text/css; charset=utf-8'),
    '/docs/swagger-ui-bundle.js': asset('swagger-ui-bundle.js', 'text/javascript; charset=utf-8'),
    '/docs/favicon-32x32.png': asset('favicon-32x32.png', 'image/png'),
    '/openapi.json': (request, response) => send(response, 'application/json; charset=utf-8', spec(request), { 'Cache-Control': 'no-store' }),
  };
};
