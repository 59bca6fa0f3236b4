import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `functions/domain/**` is pure: plain values in, plain values or domain errors out. This scan
 * stands in for an ESLint `no-restricted-imports` rule (the project has no linter).
 */
const DOMAIN_DIR = path.resolve(__dirname, '..', '..', 'functions', 'domain');
const MANIFEST = path.resolve(DOMAIN_DIR, '..', 'shared', 'manifest.ts');
const FORBIDDEN_PACKAGES = [/^@aws-sdk\//, /^aws-lambda$/, /^@middy\//, /^@aws-lambda-powertools\//, /^(node:)?(http|https|http2|net|dns|tls)$/];

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });

const importsOf = (source: string): string[] =>
  [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1]);

const files = sourceFiles(DOMAIN_DIR).map((file) => ({ file: path.relative(DOMAIN_DIR, file), full: file, source: readFileSync(file, 'utf8') }));

describe('functions/domain', () => {
  it('has source files to check', () => {
    // Assess
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [f.file, f] as const))('%s imports no AWS SDK, Lambda types, middy, Powertools or network module', (_name, { source }) => {
    // Act
    const forbidden = importsOf(source).filter((specifier) => FORBIDDEN_PACKAGES.some((pattern) => pattern.test(specifier)));

    // Assess
    expect(forbidden).toEqual([]);
  });

  it.each(files.map((f) => [f.file, f] as const))('%s reaches outside domain/ only for the manifest, and makes no HTTP calls', (_name, { full, source }) => {
    // Act
    const outside = importsOf(source)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => path.resolve(path.dirname(full), specifier))
      .filter((target) => !target.startsWith(DOMAIN_DIR + path.sep) && target !== MANIFEST && `${target}.ts` !== MANIFEST);

    // Assess
    expect(outside.map((target) => path.relative(DOMAIN_DIR, target))).toEqual([]);
    expect(source).not.toMatch(/\bfetch\s*\(/);
  });

  it('catches a forbidden import when there is one', () => {
    // Act
    const found = importsOf("import type { Context } from 'aws-lambda';\nimport { x } from '@aws-sdk/client-s3';");

    // Assess
    expect(found.filter((s) => FORBIDDEN_PACKAGES.some((p) => p.test(s)))).toEqual(['aws-lambda', '@aws-sdk/client-s3']);
  });
});
