import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { requireEnv } from './env';
import { ENV } from '../manifest';

/**
 * The platform's Stripe secrets, one Secrets Manager secret (CDK context `stripeSecretName`), JSON:
 * `{ "secretKey": "sk_live_…" | "rk_live_…", "webhookSecret": "whsec_…" }`.
 */
export interface StripeSecrets {
  secretKey: string;
  webhookSecret: string;
}

/** Plain checks (not zod: the pay function's bundle is at its budget); the secret is ours, not request input. */
const SECRET_FIELDS: Record<keyof StripeSecrets, RegExp> = {
  secretKey: /^(sk|rk)_(test|live)_[A-Za-z0-9]+$/,
  webhookSecret: /^whsec_[A-Za-z0-9+/=]+$/,
};

/**
 * One load per container: the first caller starts it, later callers share its promise. A failed
 * load is forgotten, so the next request tries again instead of failing until the container dies.
 */
export const loadOnce = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
};

/** Parses the secret's text; an error names the bad fields, never their values. */
export const parseStripeSecrets = (text: string | undefined, secretName: string): StripeSecrets => {
  let json: unknown;
  try {
    json = JSON.parse(text ?? '');
  } catch {
    throw new Error(`Secret ${secretName} is not JSON with secretKey and webhookSecret.`);
  }
  const record = (json ?? {}) as Record<string, unknown>;
  const bad = Object.entries(SECRET_FIELDS).filter(([field, pattern]) => typeof record[field] !== 'string' || !pattern.test(record[field] as string)).map(([field]) => field);
  if (bad.length) throw new Error(`Secret ${secretName} has bad or missing fields: ${bad.join(', ')}.`);
  return { secretKey: record.secretKey as string, webhookSecret: record.webhookSecret as string };
};

/** The secrets of this container, read from Secrets Manager on first use and kept in memory only. */
export const stripeSecrets = loadOnce(async () => {
  const secretName = requireEnv(ENV.stripeSecretName);
  const { SecretString } = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretName }));
  return parseStripeSecrets(SecretString, secretName);
});
