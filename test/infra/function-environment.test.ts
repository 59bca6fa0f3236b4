import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { AUTHORIZER, ENV, ROUTES, WORKERS } from '../../functions/shared/manifest';
import { pascalCase } from '../../lib/constructs/app-function';
import { handlerModule } from '../../lib/source-paths';
import { synthTemplate } from './synth';
import { ofType } from './template-helpers';

type EnvKey = keyof typeof ENV;

const WORKER_FNS = new Set<string>(Object.values(WORKERS).map((w) => w.fn));

/**
 * Variables the stack sets before the code reads them, so infrastructure and code can land apart:
 * the notifier will send with the SES configuration set (the feedback work). An entry here is
 * harmless once the code mentions the name; delete it then.
 */
const resolveImport = (from: string, specifier: string): string | undefined => {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => candidate.endsWith('.ts') && existsSync(candidate));
};

/** The project's own source files a handler loads (relative imports, followed transitively). */
const sourceGraph = (entry: string): Map<string, string> => {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const source = readFileSync(file, 'utf8');
    seen.set(file, source);
    for (const [, specifier] of source.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const resolved = resolveImport(file, specifier);
      if (resolved) visit(resolved);
    }
  };
  visit(entry);
  return seen;
};

/**
 * ENV names a function's code requires (`requireEnv`/`lazyEnv`) and all it mentions at all. Every
 * HTTP handler loads `shared/adapters/idempotency.ts` through `shared/http/chain.ts`, but only a route with
 * `idempotency` in its manifest entry reads the idempotency table's name.
 */
const envUse = (fn: string) => {
  const entry = `${handlerModule(fn)}.ts`;
  const sources = [...sourceGraph(entry).values()].join('\n');
  const names = (pattern: RegExp) => new Set<string>([...sources.matchAll(pattern)].map((m) => ENV[m[1] as EnvKey]).filter(Boolean));
  const required = names(/(?:requireEnv|lazyEnv)\(\s*ENV\.(\w+)/g);
  if (!Object.values(ROUTES).some((route) => route.fn === fn && 'idempotency' in route)) required.delete(ENV.idempotencyTable);
  const mentioned = names(/ENV\.(\w+)/g);
  // HTTP handlers take their base URL from the request; a worker has no request to take it from.
  if (WORKER_FNS.has(fn) && mentioned.has(ENV.publicBaseUrl)) required.add(ENV.publicBaseUrl);
  return { required, mentioned };
};

const allFunctions = [...new Set([...Object.values(ROUTES).map((r) => r.fn), AUTHORIZER.fn, ...Object.values(WORKERS).map((w) => w.fn)])];
const MANIFEST_NAMES = new Set<string>(Object.values(ENV));

describe('each function\'s environment in the stack', () => {
  let template: Template;
  const environmentOf = (fn: string): Record<string, unknown> => {
    const pattern = new RegExp(`^(Api|Workers)${pascalCase(fn)}Function[0-9A-F]{8}$`);
    const [, found] = ofType(template, 'AWS::Lambda::Function').find(([id]) => pattern.test(id))!;
    return found.Properties!.Environment.Variables;
  };

  beforeAll(() => {
    // Prepare
    // A Stripe stage: it sets everything a sandbox stage does, plus the Stripe secret's name, which the
    // gateway functions read only when PAYMENT_GATEWAY is stripe (test/infra/payments.test.ts checks the sandbox stage has none).
    template = synthTemplate('dev', { payments: { gateway: 'stripe', stripeSecretName: 'statements/dev/stripe', stripePublishableKey: 'pk_test_synth' } });
  });

  it.each(allFunctions)('sets every variable %s requires, and none of ours it never reads', (fn) => {
    // Act
    const { required, mentioned } = envUse(fn);
    const set = Object.keys(environmentOf(fn)).filter((name) => MANIFEST_NAMES.has(name) && name !== ENV.stage);

    // Assess: a missing one fails at cold start; an unread one usually comes with a grant it does not need.
    expect({ fn, missing: [...required].filter((name) => !set.includes(name)) }).toEqual({ fn, missing: [] });
    expect({ fn, unread: set.filter((name) => !mentioned.has(name)) }).toEqual({ fn, unread: [] });
  });
});
