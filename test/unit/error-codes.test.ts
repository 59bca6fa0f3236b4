import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ERROR_CODES } from '../../functions/domain/error-codes';

const ROOT = path.resolve(__dirname, '..', '..');

const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });

/** `NotFoundError('Service Location')` → `service_location_not_found`, as `domain/errors.ts` derives it. */
const notFoundCode = (what: string) => `${what.toLowerCase().replace(/\s+/g, '_')}_not_found`;

/** Error codes raised in a source file, found by the shapes the code base uses to raise them. */
const raisedCodes = (source: string): string[] => {
  const codes: string[] = [];
  for (const m of source.matchAll(/\b(?:DomainError|HttpError)\(\s*(?:\d+\s*,\s*)?'([a-z_]+)'/g)) codes.push(m[1]);
  for (const m of source.matchAll(/\bNotFoundError\(\s*'([^']+)'(?:\s*,\s*'([a-z_]+)')?/g)) codes.push(m[2] ?? notFoundCode(m[1]));
  for (const m of source.matchAll(/\bInvalidFieldError\(\s*'[^']*'\s*,[^;]*?,\s*'([a-z_]+)'\s*\)/g)) codes.push(m[1]);
  if (/extends (?:DomainError|NotFoundError|InvalidFieldError)\b/.test(source)) {
    for (const m of source.matchAll(/\bsuper\(\s*'([a-z_]+)'/g)) codes.push(m[1]);
  }
  // The HTTP layer's own mapping, the Gateway Responses and the local API Gateway stand-in.
  for (const m of source.matchAll(/\bcode: '([a-z_]+)'/g)) codes.push(m[1]);
  for (const m of source.matchAll(/\berrorTemplate\(\s*'([a-z_]+)'/g)) codes.push(m[1]);
  return codes;
};

const SOURCES = [
  ...tsFiles(path.join(ROOT, 'functions')),
  path.join(ROOT, 'lib', 'constructs', 'api.ts'),
  path.join(ROOT, 'bin', 'local', 'api-server.ts'),
];

// Values named `code` that are not API error codes: zod issue codes and the sandbox gateway's decline codes.
const NOT_ERROR_CODES = new Set(['custom', 'unrecognized_keys', 'invalid_union', 'card_declined', 'insufficient_funds', 'processing_error', 'expired_card', 'incorrect_cvc']);

describe('the stable error codes', () => {
  it('lists every error code the service raises', () => {
    // Act
    const missing = SOURCES.flatMap((file) =>
      raisedCodes(readFileSync(file, 'utf8'))
        .filter((code) => !(code in ERROR_CODES) && !NOT_ERROR_CODES.has(code))
        .map((code) => `${code} (${path.relative(ROOT, file)})`),
    );

    // Assess
    expect([...new Set(missing)]).toEqual([]);
  });

  it('finds codes in the shapes the code base raises them', () => {
    // Act
    const found = raisedCodes(
      "throw new NotFoundError('Service Location'); new DomainError('x_taken', 'conflict', 'm'); new HttpError(413, 'too_big', 'm');" +
        "new InvalidFieldError('primaryPhone', reason, 'bad_phone')",
    );

    // Assess
    expect(found.sort()).toEqual(['bad_phone', 'service_location_not_found', 'too_big', 'x_taken']);
  });

  it('gives each code a client-error or server-error status and a description', () => {
    // Assess
    for (const [code, { status, description }] of Object.entries(ERROR_CODES)) {
      expect({ code, status: status >= 400 && status < 600, described: description.length > 10 }).toEqual({ code, status: true, described: true });
    }
  });
});
