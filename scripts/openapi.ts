import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument } from './openapi/document';

/** `npm run openapi`: writes docs/openapi.json from ROUTES and each route's zod schemas. */
export const OPENAPI_FILE = path.resolve(__dirname, '..', 'docs', 'openapi.json');

export const renderOpenApi = (): string => `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;

if (require.main === module) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}
