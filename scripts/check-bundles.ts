import { budgetOf, kb, readBundles, runInBundle, SIZE_BUDGET_BYTES, table } from './bundles/measure';

/**
 * After `npm run synth`: loads every bundled function from cdk.out the way Lambda's Node.js runtime
 * would (CommonJS `index.js`, the AWS SDK from outside the bundle) with the environment the stack
 * gives it, and checks its size against the budget. Catches what template assertions cannot: an
 * ESM-only dependency that esbuild bundled wrongly, a variable a handler requires at cold start
 * that the stack does not set, or a bundle that grew past the size budget (load time is measured by
 * `npm run bench`: unlike size, it is noisy).
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
  const budget = budgetOf(bundle.fn);
  const fits = bundle.bytes <= budget;
  if (!fits) problems.push(`${bundle.fn} (${bundle.logicalId}) is ${kb(bundle.bytes)} KB, over its ${kb(budget)} KB budget`);
  if (bundle.stripeSdk) problems.push(`${bundle.fn} (${bundle.logicalId}) bundles the Stripe SDK, which only the Stripe layer may carry (lib/constructs/stripe-layer.ts)`);
  return [bundle.fn, bundle.logicalId, kb(bundle.bytes), fits ? (budget === SIZE_BUDGET_BYTES ? 'ok' : `ok (${kb(budget)})`) : 'OVER', bundle.dataBytes ? kb(bundle.dataBytes) : '', loads];
});

console.log(table([['function', 'logical id', `KB (budget ${kb(SIZE_BUDGET_BYTES)})`, 'size', 'data files KB', 'loads'], ...rows]));
if (problems.length) {
  console.error(`\n${problems.join('\n')}`);
  process.exit(1);
}
