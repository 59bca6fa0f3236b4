import { buildSync } from 'esbuild';
import { BUDGET_EXCEPTIONS, budgetOf, carriesStripeSdk, SIZE_BUDGET_BYTES } from '../../scripts/bundles/measure';

const bundle = (entry: string, external: string[] = []) =>
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', minify: true, write: false, external: ['@aws-sdk/*', ...external], logLevel: 'silent' }).outputFiles[0].text;

describe('the bundle size budget', () => {
  it('has one stated exception, pay-statement, for the Stripe adapter, at most 11 KB over the common budget', () => {
    // Act / Assess
    expect(Object.keys(BUDGET_EXCEPTIONS)).toEqual(['pay-statement']);
    expect(BUDGET_EXCEPTIONS['pay-statement'].reason).toMatch(/Stripe/);
    expect(budgetOf('pay-statement') - SIZE_BUDGET_BYTES).toBeLessThanOrEqual(11 * 1024);
    expect(budgetOf('set-statement')).toBe(SIZE_BUDGET_BYTES);
  });

  it('tells a bundle with the Stripe SDK from the pay function, which requires it from the layer', () => {
    // Act
    const sdk = bundle(require.resolve('stripe'));
    const pay = bundle('functions/pay-statement/handler.ts', ['stripe']);

    // Assess
    expect(carriesStripeSdk(sdk)).toBe(true);
    expect(carriesStripeSdk(pay)).toBe(false);
    expect(pay).toContain('require("stripe")');
  });
});
