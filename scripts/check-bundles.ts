import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isTraced, kb, readBundles, runInBundle, sizeBudgetFor, table } from './bundles/measure';

/**
 * After `npm run synth`: loads every bundled function from cdk.out the way Lambda's Node.js runtime
 * would (CommonJS `index.js`, the AWS SDK from outside the bundle) with the environment the stack
 * gives it, and checks its size against the budget. Catches what template assertions cannot: an
 * ESM-only dependency that esbuild bundled wrongly, a variable a handler requires at cold start
 * that the stack does not set, or a bundle that grew past the size budget (load time is measured by
 * `npm run bench`: unlike size, it is noisy), and that the tracer is in exactly the traced bundles.
 */
const bundles = readBundles();
const problems: string[] = [];
const rows = bundles.map((bundle) => {
  let loads = 'ok';
  try {
    runInBundle(bundle, "if (typeof require('./index.js').handler !== 'function') throw new Error('no handler export')");
  } catch (error) {
    loads = 'FAILED';
    problems.push(`${bundle.fn} (${bundle.logicalId}) does not load:\n${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
  // The tracer is in exactly the bundles the stack says are traced (an untraced one built with it would pass its budget).
  const hasTracer = readFileSync(path.join(bundle.dir, 'index.js'), 'utf8').includes('AWS X-Ray SDK for Javascript');
  if (hasTracer !== isTraced(bundle)) problems.push(`${bundle.fn} (${bundle.logicalId}) ${hasTracer ? 'bundles the X-Ray SDK but is configured untraced' : 'is configured traced but its bundle has no X-Ray SDK'}`);
  const budget = sizeBudgetFor(bundle);
  const fits = bundle.bytes <= budget;
  if (!fits) problems.push(`${bundle.fn} (${bundle.logicalId}) is ${kb(bundle.bytes)} KB, over its ${kb(budget)} KB budget`);
  if (bundle.stripeSdk) problems.push(`${bundle.fn} (${bundle.logicalId}) bundles the Stripe SDK, which only the Stripe layer may carry (lib/constructs/stripe-layer.ts)`);
  return [bundle.fn, bundle.logicalId, isTraced(bundle) ? 'yes' : 'no', kb(bundle.bytes), kb(budget), fits ? 'ok' : 'OVER', bundle.dataBytes ? kb(bundle.dataBytes) : '', loads];
});

console.log(table([['function', 'logical id', 'tracer', 'KB', 'budget KB', 'size', 'data files KB', 'loads'], ...rows]));
if (problems.length) {
  console.error(`\n${problems.join('\n')}`);
  process.exit(1);
}
