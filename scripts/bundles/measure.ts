import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The synthesized function bundles in cdk.out (after `npm run synth`), their sizes and how long they
 * take to load. Used by scripts/check-bundles.ts (CI: every bundle loads and fits the size budget)
 * and by `npm run bench` (size and load time next to the goals).
 */
export const CDK_OUT = path.resolve(__dirname, '..', '..', 'cdk.out');

/**
 * The goals of the issue "lean cold starts". KB are 1024 bytes, as the issue measured them.
 * 150 KB, raised to 153 KB by observability: Powertools Metrics (12.9 KB) in the functions that
 * emit metrics took pay-statement to 152.5 KB, and the per-request log scope (correlation id,
 * redaction) took set-customer from 149.7 to 152.1 KB.
 */
export const SIZE_BUDGET_BYTES = 153 * 1024;

/**
 * Functions allowed more than `SIZE_BUDGET_BYTES`, each with its reason. Keep this list short.
 * pay-statement: Stripe (issue 11) adds its own code, 151.2 → 162.6 KB: the adapter 3.2 KB, the secret
 * loader 0.6 KB, the Stripe card form and its script 4.5 KB (the function renders the form again
 * after a decline or an authentication step), the token and after-authentication posts, the outcomes.
 * The Stripe SDK itself (about 240 KB) is not in any bundle: it is a layer (lib/constructs/stripe-layer.ts).
 */
export const BUDGET_EXCEPTIONS: Readonly<Record<string, { bytes: number; reason: string }>> = {
  'pay-statement': { bytes: 164 * 1024, reason: 'the Stripe adapter and card form; the SDK is a layer' },
};

/** The size budget of one function: its exception, else the common budget. */
export const budgetOf = (fn: string): number => BUDGET_EXCEPTIONS[fn]?.bytes ?? SIZE_BUDGET_BYTES;

/**
 * Text only the Stripe SDK contains (its API host and its Node client's class): no bundle may
 * carry the SDK, which the functions that call Stripe get from the layer.
 */
export const STRIPE_SDK_MARKERS = ['api.stripe.com', 'NodeHttpClient'] as const;
export const carriesStripeSdk = (code: string): boolean => STRIPE_SDK_MARKERS.every((marker) => code.includes(marker));
export const LOAD_BUDGET_MS = 40;
/**
 * What the Powertools Tracer (with the X-Ray SDK) adds to a bundle: 125 KB, measured with esbuild on
 * the same settings. A traced bundle's budget rises by that and no more, up to the observability
 * issue's ceiling of 250 KB and 60 ms to load. Functions that would pass it are built untraced
 * (`UNTRACED_FUNCTIONS` in lib/constructs/app-function.ts, `POWERTOOLS_TRACE_ENABLED=false`).
 */
export const TRACER_BYTES = 125 * 1024;
export const TRACED_SIZE_CEILING_BYTES = 250 * 1024;
export const TRACED_LOAD_BUDGET_MS = 60;

export const isTraced = (bundle: Pick<Bundle, 'env'>) => bundle.env.POWERTOOLS_TRACE_ENABLED !== 'false';
/** A bundle's size budget: its own (the common one or its stated exception), plus the tracer where it carries it, up to the ceiling. */
export const sizeBudgetFor = (bundle: Pick<Bundle, 'env' | 'fn'>) => (isTraced(bundle) ? Math.min(budgetOf(bundle.fn) + TRACER_BYTES, TRACED_SIZE_CEILING_BYTES) : budgetOf(bundle.fn));
export const loadBudgetFor = (bundle: Pick<Bundle, 'env'>) => (isTraced(bundle) ? TRACED_LOAD_BUDGET_MS : LOAD_BUDGET_MS);

export interface Bundle {
  /** Logical ID in the template, e.g. `ApiSetStatementFunctionAB99E562`. */
  logicalId: string;
  /** Handler folder under functions/, e.g. `set-statement`. */
  fn: string;
  dir: string;
  /** index.js, minified. */
  bytes: number;
  /** Files the bundle reads at run time beside index.js (phone-metadata/), source maps left out. */
  dataBytes: number;
  /** The AWS SDK packages it requires from outside the bundle (the Lambda runtime provides them). */
  sdkPackages: string[];
  /** The bundle contains the Stripe SDK (it must not: see `carriesStripeSdk`). */
  stripeSdk: boolean;
  /** The environment the stack gives the function; deploy-time tokens replaced by stand-ins. */
  env: Record<string, string>;
}

type Resource = { Type: string; Metadata?: Record<string, string>; Properties: { Environment?: { Variables?: Record<string, unknown> } } };

/** `CustomerStatements-dev/Api/SetStatementFunction/Resource` → `set-statement` (see `pascalCase` in app-function.ts). */
const handlerFolder = (cdkPath: string) =>
  (cdkPath.split('/').at(-2) ?? '')
    .replace(/Function$/, '')
    .replace(/(?<!^)[A-Z]/g, (letter) => `-${letter}`)
    .toLowerCase();

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));

export const readBundles = (cdkOut = CDK_OUT): Bundle[] => {
  const templates = readdirSync(cdkOut).filter((file) => file.endsWith('.template.json'));
  if (templates.length === 0) throw new Error(`No template in ${cdkOut}: run \`npm run synth\` first.`);
  return templates.flatMap((file) =>
    Object.entries(JSON.parse(readFileSync(path.join(cdkOut, file), 'utf8')).Resources as Record<string, Resource>).flatMap(([logicalId, resource]) => {
      const asset = resource.Type === 'AWS::Lambda::Function' ? resource.Metadata?.['aws:asset:path'] : undefined;
      if (!asset) return [];
      const dir = path.join(cdkOut, asset);
      const code = readFileSync(path.join(dir, 'index.js'), 'utf8');
      const data = filesUnder(dir).filter((f) => !f.endsWith('index.js') && !f.endsWith('.map'));
      return [
        {
          logicalId,
          fn: handlerFolder(resource.Metadata?.['aws:cdk:path'] ?? logicalId),
          dir,
          bytes: Buffer.byteLength(code),
          dataBytes: data.reduce((sum, f) => sum + statSync(f).size, 0),
          stripeSdk: carriesStripeSdk(code),
          sdkPackages: [...new Set([...code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((match) => match[1]))].sort(),
          env: Object.fromEntries(
            Object.entries(resource.Properties.Environment?.Variables ?? {}).map(([name, value]) => [name, typeof value === 'string' ? value : `https://example.invalid/${name}`]),
          ),
        },
      ];
    }),
  );
};

/**
 * Runs `code` in a fresh Node process in the bundle's folder, with its environment and Lambda's
 * `AWS_EXECUTION_ENV` (so a traced bundle loads its tracer, as on Lambda). Throws with stderr when it fails.
 */
export const runInBundle = (bundle: Bundle, code: string) =>
  execFileSync(process.execPath, ['--no-warnings', '-e', code], {
    cwd: bundle.dir,
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR', ...bundle.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });

const timed = (run: () => unknown) => {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export interface LoadTime {
  bundle: Bundle;
  /** Loading index.js, above a bare `node -e 0` (the measure). */
  aboveBareMs: number;
  /** Loading index.js, above a process that requires only the same SDK packages: our own code's cost. */
  aboveSdkMs: number;
  /** Requiring those SDK packages alone, above a bare process. */
  sdkMs: number;
}

/**
 * Wall time of fresh processes, `runs` rounds per bundle: a bare `node -e 0`, one that requires the
 * bundle's SDK packages, one that requires index.js, one right after the other. Each figure is the
 * median over the rounds of the difference within a round, so that other load on the machine
 * (which drifts over seconds) touches both sides of a difference alike.
 */
export const measureLoadTimes = (bundles: Bundle[], runs = 5): LoadTime[] =>
  bundles.map((bundle) => {
    const rounds = Array.from({ length: runs }, () => {
      const bare = timed(() => runInBundle(bundle, '0'));
      const sdk = timed(() => runInBundle(bundle, bundle.sdkPackages.map((p) => `require(${JSON.stringify(p)});`).join('') || '0'));
      const load = timed(() => runInBundle(bundle, "require('./index.js')"));
      return { aboveBareMs: load - bare, aboveSdkMs: load - sdk, sdkMs: sdk - bare };
    });
    const figure = (key: keyof (typeof rounds)[number]) => median(rounds.map((round) => round[key]));
    return { bundle, aboveBareMs: figure('aboveBareMs'), aboveSdkMs: figure('aboveSdkMs'), sdkMs: figure('sdkMs') };
  });

export const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** A plain-text table; the first row is the header. Columns of numbers are right-aligned. */
export const table = (rows: string[][]): string => {
  const columns = rows[0].map((_, column) => rows.map((row) => row[column] ?? ''));
  const widths = columns.map((cells) => Math.max(...cells.map((cell) => cell.length)));
  const numeric = columns.map((cells) => cells.slice(1).every((cell) => cell === '' || /^[-+]?\d/.test(cell)));
  const line = (row: string[]) => row.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  return [line(rows[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
};
