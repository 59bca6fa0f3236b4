import { execFileSync } from 'node:child_process';
import { kb, LOAD_BUDGET_MS, measureLoadTimes, readBundles, SIZE_BUDGET_BYTES } from '../../scripts/bundles/measure';
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
      ['function', 'index.js KB', 'data files KB', 'load ms above bare node', 'above its SDK packages', 'SDK packages alone', 'SDK packages'],
      ...loads.map(({ bundle, aboveBareMs, aboveSdkMs, sdkMs }) => [
        bundle.fn,
        kb(bundle.bytes),
        bundle.dataBytes ? kb(bundle.dataBytes) : '',
        aboveBareMs.toFixed(0),
        aboveSdkMs.toFixed(0),
        sdkMs.toFixed(0),
        bundle.sdkPackages.map((p) => p.replace('@aws-sdk/', '')).join(' '),
      ]),
    ],
  });
  const largest = loads.reduce((a, b) => (b.bundle.bytes > a.bundle.bytes ? b : a)).bundle;
  const slowest = loads.reduce((a, b) => (b.aboveSdkMs > a.aboveSdkMs ? b : a));
  const slowestAboveBare = loads.reduce((a, b) => (b.aboveBareMs > a.aboveBareMs ? b : a));
  s.text.push(
    `The SDK floor: requiring only the SDK packages a function uses takes ${range(loads.map((l) => l.sdkMs))} above a bare process. So the ${LOAD_BUDGET_MS} ms goal applies to our own code, above the SDK packages it requires; above a bare \`node -e 0\` the bundles take ${range(loads.map((l) => l.aboveBareMs))}.`,
  );
  s.figures = { bundles: loads.map(({ bundle, aboveBareMs, aboveSdkMs, sdkMs }) => ({ fn: bundle.fn, bytes: bundle.bytes, dataBytes: bundle.dataBytes, aboveBareMs, aboveSdkMs, sdkMs })) };
  s.goals.push(
    { goal: `every bundle (index.js) ≤ ${SIZE_BUDGET_BYTES / 1024} KB minified`, figure: `largest ${kb(largest.bytes)} KB (${largest.fn})`, met: largest.bytes <= SIZE_BUDGET_BYTES },
    {
      goal: `every bundle's own code loads in ≤ ${LOAD_BUDGET_MS} ms (above its SDK packages)`,
      figure: `slowest ${slowest.aboveSdkMs.toFixed(0)} ms (${slowest.bundle.fn}); above bare node up to ${slowestAboveBare.aboveBareMs.toFixed(0)} ms`,
      met: slowest.aboveSdkMs <= LOAD_BUDGET_MS,
    },
  );
  return s;
};
