import { notificationConcurrencyFor, SEND_RATES, STAGES, type Stage } from '../functions/shared/manifest';

/** Checks the `stage` CDK context value (`npx cdk synth -c stage=prod`) against the known stages. */
export const parseStage = (value: unknown): Stage => {
  if (typeof value === 'string' && (STAGES as readonly string[]).includes(value)) return value as Stage;
  throw new Error(`CDK context "stage" must be one of ${STAGES.join(', ')}; got ${JSON.stringify(value)}.`);
};

/**
 * The SES sender address, from `-c emailSender=...`. Production must name a verified identity;
 * other stages fall back to a placeholder so `cdk synth` works out of the box.
 */
export const parseEmailSender = (value: unknown, stage: Stage): string => {
  if (typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value)) return value;
  if (value === undefined && stage !== 'prod') return 'statements@example.com';
  throw new Error('CDK context "emailSender" must be an email address (a verified SES identity).');
};

/** A custom domain and the Route 53 public hosted zone that holds it (its certificate is validated there). */
export interface DomainConfig {
  readonly domainName: string;
  readonly hostedZoneId: string;
}

export interface CustomDomains {
  /** Where merchants call the API, e.g. `api.statements.example`. @default - the execute-api URL */
  readonly api?: DomainConfig;
  /**
   * A short domain for customer links (statement page, tiny link), e.g. `stmt.example`, so an SMS
   * carries `https://stmt.example/t/<code>` instead of the execute-api host and stage.
   * @default - the API domain when set, else the execute-api URL
   */
  readonly links?: DomainConfig;
}

/** The CDK context keys of the custom domains: `-c apiDomain=... -c apiHostedZoneId=...`. */
export const DOMAIN_CONTEXT = {
  api: { domain: 'apiDomain', zone: 'apiHostedZoneId' },
  links: { domain: 'linkDomain', zone: 'linkHostedZoneId' },
} as const;

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

const parseDomain = (keys: { domain: string; zone: string }, domain: unknown, zone: unknown): DomainConfig | undefined => {
  if (domain === undefined && zone === undefined) return undefined;
  if (domain === undefined) throw new Error(`CDK context "${keys.zone}" is set but "${keys.domain}" is not.`);
  if (typeof domain !== 'string' || !HOSTNAME.test(domain.toLowerCase())) {
    throw new Error(`CDK context "${keys.domain}" must be a domain name such as statements.example (no scheme, path or trailing dot); got ${JSON.stringify(domain)}.`);
  }
  if (zone === undefined) throw new Error(`CDK context "${keys.domain}" needs "${keys.zone}": the ID of the Route 53 hosted zone that holds ${domain}.`);
  // The console and the CLI show IDs both bare and as `/hostedzone/Z...`.
  const zoneId = typeof zone === 'string' ? zone.replace(/^\/hostedzone\//, '') : zone;
  if (typeof zoneId !== 'string' || !HOSTED_ZONE_ID.test(zoneId)) {
    throw new Error(`CDK context "${keys.zone}" must be a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ; got ${JSON.stringify(zone)}.`);
  }
  return { domainName: domain.toLowerCase(), hostedZoneId: zoneId };
};

/**
 * The optional custom domains, from CDK context (`tryGetContext`). Each domain needs its hosted
 * zone's ID; without either key the stack uses the execute-api URL, as before.
 */
export const parseCustomDomains = (context: (key: string) => unknown): CustomDomains => {
  const api = parseDomain(DOMAIN_CONTEXT.api, context(DOMAIN_CONTEXT.api.domain), context(DOMAIN_CONTEXT.api.zone));
  const links = parseDomain(DOMAIN_CONTEXT.links, context(DOMAIN_CONTEXT.links.domain), context(DOMAIN_CONTEXT.links.zone));
  if (api && links && api.domainName === links.domainName) {
    throw new Error(`CDK context "${DOMAIN_CONTEXT.links.domain}" must differ from "${DOMAIN_CONTEXT.api.domain}" (leave it out to use the API domain for links).`);
  }
  return { ...(api ? { api } : {}), ...(links ? { links } : {}) };
};

/** The payment processors a stage can use; the sandbox is the local and test default. */
export const PAYMENT_GATEWAYS = ['sandbox', 'stripe'] as const;
export type PaymentGatewayName = (typeof PAYMENT_GATEWAYS)[number];

/** The CDK context keys of the payment settings: `-c paymentGateway=stripe -c stripeSecretName=...`. */
export const PAYMENT_CONTEXT = { gateway: 'paymentGateway', stripeSecretName: 'stripeSecretName', stripePublishableKey: 'stripePublishableKey' } as const;

/**
 * How a stage takes card payments. With Stripe, `stripeSecretName` names the Secrets Manager secret
 * (JSON `{ "secretKey": "sk_…", "webhookSecret": "whsec_…" }`) that only the functions calling Stripe may read.
 */
export type PaymentConfig =
  | { readonly gateway: 'sandbox' }
  /** `stripePublishableKey` (`pk_…`, public by design) lets the statement page load Stripe's Payment Element. */
  | { readonly gateway: 'stripe'; readonly stripeSecretName: string; readonly stripePublishableKey?: string };

/** A Secrets Manager secret name: letters, digits and `/_+=.@-`, at most 512 characters. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** Throws when a stage may not use the gateway: prod never takes a sandbox payment. The stack checks it too. */
export const assertGatewayAllowed = (stage: Stage, gateway: PaymentGatewayName): void => {
  if (stage === 'prod' && gateway === 'sandbox') {
    throw new Error(
      `The prod stage cannot use the sandbox payment gateway (its test cards would mark real statements paid): set CDK context "${PAYMENT_CONTEXT.gateway}" to "stripe" (-c ${PAYMENT_CONTEXT.gateway}=stripe -c ${PAYMENT_CONTEXT.stripeSecretName}=<secret>).`,
    );
  }
};

/**
 * Reads `paymentGateway` (default `sandbox` outside prod) and `stripeSecretName`. `prod` refuses the
 * sandbox, whose public test cards would mark a real customer's statement paid.
 */
export const parsePaymentConfig = (context: (key: string) => unknown, stage: Stage): PaymentConfig => {
  const value = context(PAYMENT_CONTEXT.gateway);
  if (value !== undefined && !(PAYMENT_GATEWAYS as readonly unknown[]).includes(value)) {
    throw new Error(`CDK context "${PAYMENT_CONTEXT.gateway}" must be one of ${PAYMENT_GATEWAYS.join(', ')}; got ${JSON.stringify(value)}.`);
  }
  const gateway = (value ?? 'sandbox') as PaymentGatewayName;
  assertGatewayAllowed(stage, gateway);
  const secretName = context(PAYMENT_CONTEXT.stripeSecretName);
  if (gateway === 'sandbox') {
    if (secretName !== undefined) throw new Error(`CDK context "${PAYMENT_CONTEXT.stripeSecretName}" is set but "${PAYMENT_CONTEXT.gateway}" is not "stripe".`);
    return { gateway };
  }
  if (typeof secretName !== 'string' || !SECRET_NAME.test(secretName)) {
    throw new Error(`CDK context "${PAYMENT_CONTEXT.gateway}=stripe" needs "${PAYMENT_CONTEXT.stripeSecretName}": the name of the Secrets Manager secret holding the Stripe secret key and webhook signing secret; got ${JSON.stringify(secretName)}.`);
  }
  const publishableKey = context(PAYMENT_CONTEXT.stripePublishableKey);
  if (typeof publishableKey !== 'string' || !/^pk_(test|live)_[A-Za-z0-9]+$/.test(publishableKey)) {
    throw new Error(`CDK context "${PAYMENT_CONTEXT.gateway}=stripe" needs "${PAYMENT_CONTEXT.stripePublishableKey}": the platform's publishable key (pk_live_… or pk_test_…), which the statement page gives Stripe's Payment Element; got ${JSON.stringify(publishableKey)}.`);
  }
  return { gateway, stripeSecretName: secretName, stripePublishableKey: publishableKey };
};

/**
 * How much the stack lets through, from CDK context (docs/statement-runs.md): the API stage's
 * throttling (`apiRateLimit` requests/s steady, `apiBurstLimit` at once), the notification send
 * rates (`smsSendRate` per second for the SMS origination identity, `emailSendRate` for the SES
 * account) and the notification worker's concurrency (`notificationConcurrency` Lambda instances).
 */
export interface Throughput {
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  readonly smsSendRate: number;
  readonly emailSendRate: number;
  readonly notificationConcurrency: number;
}

export const THROUGHPUT_DEFAULTS: Throughput = {
  apiRateLimit: 50,
  apiBurstLimit: 100,
  smsSendRate: SEND_RATES.sms,
  emailSendRate: SEND_RATES.email,
  notificationConcurrency: notificationConcurrencyFor(SEND_RATES),
};

/** A context number: a rate above 0, or a whole number within `range`. */
const contextNumber = (key: keyof Throughput, value: unknown, range?: { min: number; max: number }): number => {
  if (value === undefined) return THROUGHPUT_DEFAULTS[key];
  // `-c key=value` arrives as a string; cdk.json may hold a number.
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const fits = typeof n === 'number' && Number.isFinite(n) && (range ? Number.isInteger(n) && n >= range.min && n <= range.max : n > 0);
  if (!fits) throw new Error(`CDK context "${key}" must be ${range ? `a whole number from ${range.min} to ${range.max}` : 'a number above 0'}; got ${JSON.stringify(value)}.`);
  return n as number;
};

export const parseThroughput = (context: (key: string) => unknown): Throughput => {
  const smsSendRate = contextNumber('smsSendRate', context('smsSendRate'));
  const emailSendRate = contextNumber('emailSendRate', context('emailSendRate'));
  const concurrency = context('notificationConcurrency');
  return {
    apiRateLimit: contextNumber('apiRateLimit', context('apiRateLimit')),
    apiBurstLimit: contextNumber('apiBurstLimit', context('apiBurstLimit'), { min: 1, max: 5000 }),
    smsSendRate,
    emailSendRate,
    // Lambda's SQS event source takes 2 to 1000; without a value, enough for the faster rate.
    notificationConcurrency:
      concurrency === undefined ? notificationConcurrencyFor({ sms: smsSendRate, email: emailSendRate }) : contextNumber('notificationConcurrency', concurrency, { min: 2, max: 1000 }),
  };
};
