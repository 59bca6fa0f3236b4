import { execFileSync } from 'node:child_process';
import { BUDGET_EXCEPTIONS, isTraced, kb, LOAD_BUDGET_MS, loadBudgetFor, measureLoadTimes, readBundles, SIZE_BUDGET_BYTES, sizeBudgetFor, TRACED_LOAD_BUDGET_MS, TRACED_SIZE_CEILING_BYTES } from '../../scripts/bundles/measure';
import { section } from './report';

const range = (values: number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} ms`;

/** Cold start: size and load time of every function bundle, from a fresh `npm run synth` (`BENCH_SYNTH=0` reuses cdk.out). */
export const benchBundles = (options: { loadRuns: number; synth: boolean }) => {
  const s = section('Cold start: bundle size and load time');
  if (options.synth) {
    try {
      execFileSync('npm', ['run', 'synth', '--silent'], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`npm run synth failed:\n${String((error as { stderr?: Buffer }).stderr ?? error)}`);
    }
  }
  const loads = measureLoadTimes(readBundles(), options.loadRuns);
  s.text.push(
    `Each function's \`index.js\` from ${options.synth ? 'a fresh `npm run synth`' : 'cdk.out as it was (BENCH_SYNTH=0)'}. Load times are medians over ${options.loadRuns} fresh processes: one requiring index.js, less a bare \`node -e 0\`, or less one requiring only the AWS SDK packages the bundle requires (Lambda's runtime provides the SDK; it loads at cold start before any code of ours).`,
  );
  s.tables.push({
    rows: [
      ['function', 'tracer', 'index.js KB', 'data files KB', 'load ms above bare node', 'above its SDK packages', 'SDK packages alone', 'SDK packages'],
      ...loads.map(({ bundle, aboveBareMs, aboveSdkMs, sdkMs }) => [
        bundle.fn,
        isTraced(bundle) ? 'yes' : 'no',
        kb(bundle.bytes),
        bundle.dataBytes ? kb(bundle.dataBytes) : '',
        aboveBareMs.toFixed(0),
        aboveSdkMs.toFixed(0),
        sdkMs.toFixed(0),
        bundle.sdkPackages.map((p) => p.replace('@aws-sdk/', '')).join(' '),
      ]),
    ],
  });
  const traced = loads.filter((l) => isTraced(l.bundle));
  const untraced = loads.filter((l) => !isTraced(l.bundle));
  const largestOf = (list: typeof loads) => list.reduce((a, b) => (b.bundle.bytes > a.bundle.bytes ? b : a)).bundle;
  const slowestOf = (list: typeof loads) => list.reduce((a, b) => (b.aboveSdkMs > a.aboveSdkMs ? b : a));
  const slowest = slowestOf(loads);
  const slowestAboveBare = loads.reduce((a, b) => (b.aboveBareMs > a.aboveBareMs ? b : a));
  s.text.push(
    `The SDK floor: requiring only the SDK packages a function uses takes ${range(loads.map((l) => l.sdkMs))} above a bare process. So the ${LOAD_BUDGET_MS} ms goal applies to our own code, above the SDK packages it requires; above a bare \`node -e 0\` the bundles take ${range(loads.map((l) => l.aboveBareMs))}.`,
  );
  s.figures = { bundles: loads.map(({ bundle, aboveBareMs, aboveSdkMs, sdkMs }) => ({ fn: bundle.fn, bytes: bundle.bytes, dataBytes: bundle.dataBytes, aboveBareMs, aboveSdkMs, sdkMs })) };
  s.text.push(
    `${traced.length} functions carry the Powertools Tracer (X-Ray SDK); ${untraced.map((l) => l.bundle.fn).join(', ') || 'none'} are built without it because their bundle plus the tracer would pass ${TRACED_SIZE_CEILING_BYTES / 1024} KB (docs/stack.md, Observability).`,
  );
  if (traced.length) {
    const largest = largestOf(traced);
    const slow = slowestOf(traced);
    s.goals.push(
      { goal: `every traced bundle ≤ ${TRACED_SIZE_CEILING_BYTES / 1024} KB (its budget: ${SIZE_BUDGET_BYTES / 1024} KB + the tracer, capped)`, figure: `largest ${kb(largest.bytes)} KB (${largest.fn})`, met: traced.every((l) => l.bundle.bytes <= sizeBudgetFor(l.bundle)) },
      { goal: `every traced bundle's own code loads in ≤ ${TRACED_LOAD_BUDGET_MS} ms (above its SDK packages)`, figure: `slowest ${slow.aboveSdkMs.toFixed(0)} ms (${slow.bundle.fn})`, met: traced.every((l) => l.aboveSdkMs <= loadBudgetFor(l.bundle)) },
    );
  }
  if (untraced.length) {
    const largest = largestOf(untraced);
    const slow = slowestOf(untraced);
    s.goals.push(
      {
        goal: `every untraced bundle ≤ ${SIZE_BUDGET_BYTES / 1024} KB minified${Object.keys(BUDGET_EXCEPTIONS).length ? ` (stated exceptions: ${Object.entries(BUDGET_EXCEPTIONS).map(([fn, e]) => `${fn} ${e.bytes / 1024} KB, ${e.reason}`).join('; ')})` : ''}`,
        figure: `largest ${kb(largest.bytes)} KB (${largest.fn})`,
        met: untraced.every((l) => l.bundle.bytes <= sizeBudgetFor(l.bundle)),
      },
      { goal: `every untraced bundle's own code loads in ≤ ${LOAD_BUDGET_MS} ms (above its SDK packages)`, figure: `slowest ${slow.aboveSdkMs.toFixed(0)} ms (${slow.bundle.fn})`, met: untraced.every((l) => l.aboveSdkMs <= LOAD_BUDGET_MS) },
    );
  }
  s.text.push(`Slowest overall ${slowest.aboveSdkMs.toFixed(0)} ms above its SDK packages (${slowest.bundle.fn}); above bare node up to ${slowestAboveBare.aboveBareMs.toFixed(0)} ms.`);
  return s;
};
