/**
 * `npx tsx scripts/stripe-openapi.ts <spec3.json> <spec commit> <fixtures3.json> <fixtures commit>`:
 * extracts from Stripe's published OpenAPI description (github.com/stripe/openapi) the request
 * schemas of the few operations the Stripe adapter calls, and Stripe's own example objects of the
 * answers it reads, into test/fixtures/stripe/openapi.json. test/unit/stripe-requests.test.ts checks
 * every request the SDK sends for those calls against them (descriptions dropped to keep it small).
 *
 * Get the files with `git --git-dir=<mirror of stripe/openapi> show <commit>:openapi/spec3.json`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const OPERATIONS = [
  ['post', '/v1/payment_intents'],
  ['post', '/v1/payment_intents/{intent}/capture'],
  ['post', '/v1/payment_intents/{intent}/cancel'],
  ['post', '/v1/refunds'],
] as const;
export const FIXTURES = ['payment_intent', 'refund'] as const;

const strip = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key, inner]) => !(key === 'description' && typeof inner === 'string')).map(([key, inner]) => [key, strip(inner)]));
  }
  return value;
};

const main = () => {
  const [specFile, specCommit, fixturesFile, fixturesCommit] = process.argv.slice(2);
  if (!specFile || !specCommit || !fixturesFile || !fixturesCommit) throw new Error('usage: stripe-openapi.ts <spec3.json> <commit> <fixtures3.json> <commit>');
  const spec = JSON.parse(readFileSync(specFile, 'utf8'));
  const fixtures = JSON.parse(readFileSync(fixturesFile, 'utf8'));
  const out = {
    source: {
      repository: 'https://github.com/stripe/openapi',
      spec: { path: 'openapi/spec3.json', commit: specCommit, apiVersion: spec.info.version },
      fixtures: { path: 'openapi/fixtures3.json', commit: fixturesCommit },
      extractedBy: 'scripts/stripe-openapi.ts',
    },
    operations: Object.fromEntries(
      OPERATIONS.map(([method, route]) => {
        const op = spec.paths[route][method];
        return [`${method.toUpperCase()} ${route}`, strip(op.requestBody.content['application/x-www-form-urlencoded'].schema)];
      }),
    ),
    fixtures: Object.fromEntries(FIXTURES.map((name) => [name, fixtures.resources[name]])),
  };
  const target = path.join(__dirname, '..', 'test', 'fixtures', 'stripe', 'openapi.json');
  writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`wrote ${target}`);
};

if (require.main === module) main();
