import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Stage } from '../../functions/shared/manifest';
import { StatementsStack } from '../../lib/statements-stack';
import type { PaymentConfig } from '../../lib/config';
import { EMAIL_SENDER, PROD_PAYMENTS } from './synth';

/** Synthesizes the app as bin/app.ts does, AwsSolutions checks included; throws on a finding. */
const synthWithChecks = (stage: Stage, outdir: string, env?: { account: string; region: string }, payments?: PaymentConfig) => {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  new StatementsStack(app, `Nag-${stage}`, { stage, emailSender: EMAIL_SENDER, env, payments: payments ?? (stage === 'prod' ? PROD_PAYMENTS : undefined) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return () => app.synth();
};

describe('cdk-nag AwsSolutions checks', () => {
  let outdir: string;

  beforeEach(() => {
    // Prepare
    outdir = mkdtempSync(path.join(tmpdir(), 'nag-'));
  });

  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  it.each(['dev', 'prod'] as const)('find nothing unacknowledged in the environment-agnostic %s stack', (stage) => {
    // Act / Assess: a finding fails with "Validation failed" and writes validation-report.json.
    expect(synthWithChecks(stage, outdir)).not.toThrow();
  });

  it('find nothing unacknowledged in a dev stack on Stripe (the secret grant)', () => {
    // Act / Assess
    expect(synthWithChecks('dev', outdir, undefined, { gateway: 'stripe', stripeSecretName: 'statements/dev/stripe' })).not.toThrow();
  });

  it('find nothing unacknowledged when the stack has a concrete account and region (as `cdk synth` with credentials)', () => {
    // Act / Assess
    expect(synthWithChecks('prod', outdir, { account: '123456789012', region: 'eu-west-1' })).not.toThrow();
  });
});
