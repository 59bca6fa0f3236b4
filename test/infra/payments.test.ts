import type { Template } from 'aws-cdk-lib/assertions';
import { ENV, ROUTES } from '../../functions/shared/manifest';
import { parsePaymentConfig } from '../../lib/config';
import { pascalCase } from '../../lib/constructs/app-function';
import { STRIPE_SECRET_NAME, synthTemplate } from './synth';
import { ofType, referencedIds } from './template-helpers';

const context = (values: Record<string, unknown>) => (key: string) => values[key];

const functionsOf = (template: Template) => ofType(template, 'AWS::Lambda::Function');
const functionId = (template: Template, fn: string) =>
  functionsOf(template).find(([id]) => new RegExp(`^Api${pascalCase(fn)}Function[0-9A-F]{8}$`).test(id))![0];
const envOf = (template: Template, id: string): Record<string, unknown> =>
  functionsOf(template).find(([candidate]) => candidate === id)![1].Properties!.Environment.Variables;

/** The functions whose role may read a secret (any `secretsmanager:GetSecretValue` statement). */
const secretReaders = (template: Template): Array<{ roles: string[]; resources: unknown }> =>
  ofType(template, 'AWS::IAM::Policy').flatMap(([, policy]) =>
    (policy.Properties!.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
      .filter((statement) => [statement.Action].flat().includes('secretsmanager:GetSecretValue'))
      .map((statement) => ({ roles: referencedIds(policy.Properties!.Roles), resources: statement.Resource })),
  );

const roleOf = (template: Template, id: string): string =>
  functionsOf(template).find(([candidate]) => candidate === id)![1].Properties!.Role['Fn::GetAtt'][0];

const gatewayRoutes = Object.values(ROUTES).filter((route) => 'paymentGateway' in route.access && route.access.paymentGateway);

describe('the payment gateway of a stage', () => {
  describe('CDK context', () => {
    it('defaults dev and local to the sandbox', () => {
      // Act / Assess
      expect(parsePaymentConfig(context({}), 'dev')).toEqual({ gateway: 'sandbox' });
      expect(parsePaymentConfig(context({}), 'local')).toEqual({ gateway: 'sandbox' });
    });

    it.each([{}, { paymentGateway: 'sandbox' }])('refuses the sandbox in prod (%p), naming the context key to set', (values) => {
      // Act / Assess
      expect(() => parsePaymentConfig(context(values), 'prod')).toThrow(/CDK context "paymentGateway" to "stripe"/);
    });

    it('lets dev use Stripe test mode, and prod Stripe, with the secret name', () => {
      // Act / Assess
      expect(parsePaymentConfig(context({ paymentGateway: 'stripe', stripeSecretName: 'statements/dev/stripe', stripePublishableKey: 'pk_test_abc' }), 'dev')).toEqual({ gateway: 'stripe', stripeSecretName: 'statements/dev/stripe', stripePublishableKey: 'pk_test_abc' });
      expect(parsePaymentConfig(context({ paymentGateway: 'stripe', stripeSecretName: STRIPE_SECRET_NAME, stripePublishableKey: 'pk_live_abc' }), 'prod')).toEqual({ gateway: 'stripe', stripeSecretName: STRIPE_SECRET_NAME, stripePublishableKey: 'pk_live_abc' });
    });

    it.each([
      [{ paymentGateway: 'stripe' }, /needs "stripeSecretName"/],
      [{ paymentGateway: 'stripe', stripeSecretName: 'has spaces' }, /needs "stripeSecretName"/],
      [{ paymentGateway: 'stripe', stripeSecretName: 'x' }, /needs "stripePublishableKey"/],
      [{ paymentGateway: 'stripe', stripeSecretName: 'x', stripePublishableKey: 'sk_live_oops' }, /needs "stripePublishableKey"/],
      [{ paymentGateway: 'adyen' }, /"paymentGateway" must be one of sandbox, stripe/],
      [{ stripeSecretName: 'x' }, /"stripeSecretName" is set but "paymentGateway" is not "stripe"/],
    ])('refuses %p with a clear error', (values, message) => {
      // Act / Assess
      expect(() => parsePaymentConfig(context(values), 'dev')).toThrow(message);
    });
  });

  describe('the stack', () => {
    it('refuses to synthesize prod with the sandbox, naming the context key', () => {
      // Act / Assess
      expect(() => synthTemplate('prod', { payments: { gateway: 'sandbox' } })).toThrow(/"paymentGateway"/);
    });

    it('keeps dev on the sandbox by default, with no secret anywhere', () => {
      // Act
      const template = synthTemplate('dev');

      // Assess
      for (const route of gatewayRoutes) expect(envOf(template, functionId(template, route.fn))[ENV.paymentGateway]).toBe('sandbox');
      expect(secretReaders(template)).toEqual([]);
      for (const [, fn] of functionsOf(template)) expect(fn.Properties!.Environment.Variables).not.toHaveProperty(ENV.stripeSecretName);
    });

    it('synthesizes prod on Stripe: the gateway routes name the secret and only they may read it', () => {
      // Act
      const template = synthTemplate('prod');

      // Assess
      const gatewayIds = gatewayRoutes.map((route) => functionId(template, route.fn));
      for (const id of gatewayIds) {
        expect(envOf(template, id)[ENV.paymentGateway]).toBe('stripe');
        expect(envOf(template, id)[ENV.stripeSecretName]).toBe(STRIPE_SECRET_NAME);
      }
      const readers = secretReaders(template);
      expect(readers.flatMap((reader) => reader.roles).sort()).toEqual(gatewayIds.map((id) => roleOf(template, id)).sort());
      // The grant is on that one secret (its name plus the random suffix Secrets Manager adds), not `*`.
      for (const reader of readers) expect(JSON.stringify(reader.resources)).toContain(`:secret:${STRIPE_SECRET_NAME}-??????`);
      // No secret value in the template: only the name.
      expect(JSON.stringify(template.toJSON())).not.toMatch(/sk_(test|live)_|whsec_/);
      for (const [id, fn] of functionsOf(template)) {
        if (!gatewayIds.includes(id)) expect(fn.Properties!.Environment.Variables).not.toHaveProperty(ENV.stripeSecretName);
      }
    });
  });
});
