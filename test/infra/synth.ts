import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Stage } from '../../functions/shared/manifest';
import { StatementsStack, type StatementsStackProps } from '../../lib/statements-stack';

export const EMAIL_SENDER = 'statements@example.com';

/** prod refuses the sandbox gateway, so a prod synth in tests uses Stripe with this secret name unless told otherwise. */
export const STRIPE_SECRET_NAME = 'customer-statements/prod/stripe';
export const PROD_PAYMENTS = { gateway: 'stripe', stripeSecretName: STRIPE_SECRET_NAME, stripePublishableKey: 'pk_live_testsynth' } as const;

/**
 * Synthesizes the stack once for a test file. Bundling ~20 functions with esbuild is what
 * `npm run synth` (run by .ci/run) proves; here it is skipped with CDK's own switch
 * (`aws:cdk:bundling-stacks` = none), which keeps every entry-file check and the template identical
 * apart from asset hashes. Set INFRA_BUNDLE=1 to bundle here too.
 */
export const synthTemplate = (stage: Stage = 'dev', props: Partial<StatementsStackProps> = {}): Template => {
  const app = new App({
    context: process.env.INFRA_BUNDLE ? {} : { 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new StatementsStack(app, 'Test', { stage, emailSender: EMAIL_SENDER, ...(stage === 'prod' ? { payments: PROD_PAYMENTS } : {}), ...props });
  return Template.fromStack(stack);
};
