/**
 * The one place that names things: routes, functions, queues, table attributes and environment
 * variables. The CDK stack, the local runtime, the OpenAPI generator, handlers and tests all read it.
 * It imports nothing, so every one of them can load it safely.
 */

export type Auth = 'apiKey' | 'none';
export type Method = 'GET' | 'POST';
/** Read-only or read/write access to a table or bucket. */
export type Access = 'RO' | 'RW';

/** What a route's function may touch; the stack grants exactly this and the local runtime mirrors it. */
export interface RouteAccess {
  readonly table: Access;
  /** Statement PDFs in the attachments bucket. */
  readonly attachments?: Access;
  /** Job queues (by logical name) it puts jobs on. */
  readonly sendsTo?: readonly JobQueueName[];
  /** Charges cards through the location's payment gateway. */
  readonly paymentGateway?: boolean;
  /** Reads which processor the stage uses (`PAYMENT_GATEWAY`), never its secret: e.g. to say whether a location takes cards. */
  readonly processorName?: boolean;
  /** Renders Stripe's Payment Element, so it needs the (public) publishable key in a Stripe stage. */
  readonly publishableKey?: boolean;
}

/**
 * Everything one route is, stated once: the HTTP chain, the CDK stack, the local runtime and the
 * OpenAPI generator all read these facts (nothing recovers them from source text).
 */
export interface RouteSpec {
  readonly method: Method;
  /** API Gateway style path; `{name}` marks a path parameter. */
  readonly path: string;
  /** Folder under `functions/` holding `handler.ts` (and `schema.ts`). */
  readonly fn: string;
  readonly auth: Auth;
  readonly summary: string;
  /** What a success answers: JSON, an HTML page, or a 302 redirect. */
  readonly responds: 'json' | 'html' | 'redirect';
  /** The request body's media type, when the route takes one. */
  readonly body?: 'json' | 'form';
  /** Answers 201 when it creates (200 when it updates). @default false */
  readonly creates?: boolean;
  /**
   * `header`: honours the merchant's `Idempotency-Key` header; `form`: the pay form's own key makes
   * each submission settle once. Both keep records in the idempotency table. @default none
   */
  readonly idempotency?: 'header' | 'form';
  /** @default FUNCTION_DEFAULTS.timeoutSeconds */
  readonly timeoutSeconds?: number;
  readonly access: RouteAccess;
}

/** Lambda settings every function has unless its entry says otherwise (stack and local runtime). */
export const FUNCTION_DEFAULTS = { timeoutSeconds: 10, memoryMb: 512 } as const;

/*
 * One constant per route, so that a bundle carries only the routes it names (esbuild drops unused
 * top-level constants, not unused properties of one object); `ROUTES` gathers them for the stack,
 * the local runtime and the OpenAPI generator.
 */
export const setServiceLocationRoute = {
  method: 'POST', path: '/setServiceLocation', fn: 'set-service-location', auth: 'apiKey', summary: 'Create or update the Service Location of the key',
  responds: 'json', body: 'json', creates: true, idempotency: 'header', access: { table: 'RW', processorName: true },
} as const satisfies RouteSpec;

export const getServiceLocationRoute = {
  method: 'GET', path: '/getServiceLocation', fn: 'get-service-location', auth: 'apiKey', summary: 'Read the Service Location of the key',
  responds: 'json', access: { table: 'RO', processorName: true },
} as const satisfies RouteSpec;

export const setCustomerRoute = {
  method: 'POST', path: '/setCustomer', fn: 'set-customer', auth: 'apiKey', summary: 'Create (no id) or update (with id) a Customer',
  responds: 'json', body: 'json', creates: true, idempotency: 'header', access: { table: 'RW' },
} as const satisfies RouteSpec;

export const getCustomerRoute = { method: 'GET', path: '/getCustomer', fn: 'get-customer', auth: 'apiKey', summary: 'Read one Customer', responds: 'json', access: { table: 'RO' } } as const satisfies RouteSpec;

export const listCustomersRoute = {
  method: 'GET', path: '/listCustomers', fn: 'list-customers', auth: 'apiKey', summary: 'List Customers, a page at a time',
  responds: 'json', access: { table: 'RO' },
} as const satisfies RouteSpec;

export const setStatementRoute = {
  method: 'POST', path: '/setStatement', fn: 'set-statement', auth: 'apiKey', summary: "Create or replace a Customer's Statement",
  // Stores a PDF of up to 4 MB in S3 before the one UpdateItem.
  responds: 'json', body: 'json', creates: true, idempotency: 'header', timeoutSeconds: 20, access: { table: 'RW', attachments: 'RW' },
} as const satisfies RouteSpec;

export const setStatementsRoute = {
  method: 'POST', path: '/setStatements', fn: 'set-statements', auth: 'apiKey', summary: 'Create or replace up to 100 Statements, one result per item',
  // Up to 100 conditional writes (and PDFs) at a bounded concurrency; API Gateway waits at most 29 s.
  responds: 'json', body: 'json', idempotency: 'header', timeoutSeconds: 29, access: { table: 'RW', attachments: 'RW' },
} as const satisfies RouteSpec;

export const getStatementRoute = {
  method: 'GET', path: '/getStatement', fn: 'get-statement', auth: 'apiKey', summary: "Read a Customer's Statement",
  responds: 'json', access: { table: 'RO' },
} as const satisfies RouteSpec;

export const listPaymentsRoute = { method: 'GET', path: '/listPayments', fn: 'list-payments', auth: 'apiKey', summary: 'List completed Payments', responds: 'json', access: { table: 'RO' } } as const satisfies RouteSpec;

export const refundPaymentRoute = {
  method: 'POST', path: '/refundPayment', fn: 'refund-payment', auth: 'apiKey', summary: 'Refund a Payment, in full or in part',
  // One gateway call and one transaction fit the default timeout.
  responds: 'json', body: 'json', creates: true, idempotency: 'header', access: { table: 'RW', paymentGateway: true },
} as const satisfies RouteSpec;

export const listNotificationsRoute = {
  method: 'GET', path: '/listNotifications', fn: 'list-notifications', auth: 'apiKey', summary: "List a Customer's Statement notifications",
  responds: 'json', access: { table: 'RO' },
} as const satisfies RouteSpec;

export const listWebhookDeliveriesRoute = {
  method: 'GET', path: '/listWebhookDeliveries', fn: 'list-webhook-deliveries', auth: 'apiKey', summary: 'List webhook deliveries and their attempts',
  responds: 'json', access: { table: 'RO' },
} as const satisfies RouteSpec;

export const replayWebhookDeliveriesRoute = {
  method: 'POST', path: '/replayWebhookDeliveries', fn: 'replay-webhook-deliveries', auth: 'apiKey', summary: 'Replay one or all parked webhook deliveries',
  responds: 'json', body: 'json', access: { table: 'RW', sendsTo: ['webhook'] },
} as const satisfies RouteSpec;

export const statementPageRoute = {
  method: 'GET', path: '/s/{token}', fn: 'statement-page', auth: 'none', summary: 'The Customer statement page (HTML)',
  responds: 'html', access: { table: 'RO', processorName: true, publishableKey: true },
} as const satisfies RouteSpec;

export const payStatementRoute = {
  method: 'POST', path: '/s/{token}/pay', fn: 'pay-statement', auth: 'none', summary: 'Pay a statement by card (form post)',
  // The sandbox gateway adds realistic latency; a real processor can take seconds.
  responds: 'html', body: 'form', idempotency: 'form', timeoutSeconds: 29, access: { table: 'RW', paymentGateway: true, publishableKey: true },
} as const satisfies RouteSpec;

export const statementAttachmentRoute = {
  method: 'GET', path: '/s/{token}/attachment', fn: 'get-attachment', auth: 'none', summary: 'Redirect to a short-lived link to the PDF',
  responds: 'redirect', access: { table: 'RO', attachments: 'RO' },
} as const satisfies RouteSpec;

export const tinyLinkRoute = {
  method: 'GET', path: '/t/{code}', fn: 'follow-tiny-link', auth: 'none', summary: 'Redirect a tiny link to its statement link',
  responds: 'redirect', access: { table: 'RO' },
} as const satisfies RouteSpec;

export const stripeWebhookRoute = {
  method: 'POST', path: '/stripeWebhook', fn: 'stripe-webhook', auth: 'none', summary: "Stripe's events for the connected accounts (signed with the platform's webhook secret)",
  // No CX-API-Key: the Stripe-Signature header, checked with the signing secret from Secrets Manager, is the credential.
  responds: 'json', body: 'json', timeoutSeconds: 20, access: { table: 'RW', paymentGateway: true },
} as const satisfies RouteSpec;

export const ROUTES = {
  setServiceLocation: setServiceLocationRoute,
  getServiceLocation: getServiceLocationRoute,
  setCustomer: setCustomerRoute,
  getCustomer: getCustomerRoute,
  listCustomers: listCustomersRoute,
  setStatement: setStatementRoute,
  setStatements: setStatementsRoute,
  getStatement: getStatementRoute,
  listPayments: listPaymentsRoute,
  refundPayment: refundPaymentRoute,
  listNotifications: listNotificationsRoute,
  listWebhookDeliveries: listWebhookDeliveriesRoute,
  replayWebhookDeliveries: replayWebhookDeliveriesRoute,
  statementPage: statementPageRoute,
  payStatement: payStatementRoute,
  statementAttachment: statementAttachmentRoute,
  tinyLink: tinyLinkRoute,
  stripeWebhook: stripeWebhookRoute,
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;

/** The API Gateway Lambda authorizer for `auth: 'apiKey'` routes. */
export const AUTHORIZER = {
  fn: 'authorize',
  header: 'CX-API-Key',
  /** Seconds API Gateway caches an authorizer answer per key; a revoked key stops working within it. */
  cacheTtlSeconds: 60,
} as const;

/** Queue-driven and stream-driven workers. */
export const WORKERS = {
  streamRouter: { fn: 'stream-router' },
  sendNotification: { fn: 'send-notification', queue: 'notification' },
  pushWebhook: { fn: 'push-webhook', queue: 'webhook' },
  /** SES and SMS delivery feedback: notification status, email suppression, fallback channel, `notification.failed`. */
  recordFeedback: { fn: 'record-feedback', queue: 'feedback' },
  /**
   * The scheduler: every `everySeconds` (an EventBridge rule deployed, a timer locally) it puts the
   * notifications whose time has come (quiet hours over, a reminder's day) on the notification queue.
   */
  releaseNotifications: { fn: 'release-notifications', everySeconds: 60 },
} as const;

/**
 * How fast notifications go out, per channel, by default (CDK context `smsSendRate`, `emailSendRate`
 * override them; docs/statement-runs.md). A toll-free number sends 3 SMS/s (10DLC and short codes
 * more, set by the carriers); SES starts production accounts at 14 emails/s (the sandbox allows 1).
 * Going over only costs retries (a throttled send waits and is not counted as a failure), so the
 * defaults are the common starting points rather than the lowest possible.
 */
export const SEND_RATES = { sms: 3, email: 14 } as const;

/**
 * The notification worker's SQS event source: at most `maxConcurrency` Lambda instances (AWS's
 * minimum is 2; CDK context `notificationConcurrency`), each sending its batch's records side by
 * side, paced to `SEND_RATES`. The local runtime runs the same number of pollers.
 */
export const NOTIFICATION_SOURCE = { batchSize: 10, maxConcurrency: 2 } as const;

/**
 * Instances enough to keep the fastest channel's rate busy: a batch of 10 waits for its slots and its
 * round trips, so an instance sends about 5 a second (measured locally, `npm run bench`); never fewer
 * than AWS's minimum of 2. The pacer, not this number, keeps the rate.
 */
export const SENDS_PER_INSTANCE_PER_SECOND = 5;
export const notificationConcurrencyFor = (rates: { sms: number; email: number }): number =>
  Math.max(NOTIFICATION_SOURCE.maxConcurrency, Math.ceil(Math.max(rates.sms, rates.email) / SENDS_PER_INSTANCE_PER_SECOND));

/**
 * Webhook attempts in flight at once per location (`WEBHOOK_CONCURRENCY_PER_LOCATION` overrides it):
 * one merchant's burst of payments reaches its endpoint a few at a time and leaves the worker free
 * for other locations' deliveries.
 */
export const WEBHOOK_LANES_PER_LOCATION = 4;

/** Logical queue names; each has a dead-letter queue named `<name>Dlq`. */
export const QUEUES = {
  notification: { id: 'NotificationQueue', visibilityTimeoutSeconds: 60, maxReceiveCount: 5, urlEnv: 'NOTIFICATION_QUEUE_URL' },
  webhook: { id: 'WebhookQueue', visibilityTimeoutSeconds: 60, maxReceiveCount: 1000, urlEnv: 'WEBHOOK_QUEUE_URL' },
  streamFailure: { id: 'StreamFailureQueue', visibilityTimeoutSeconds: 60, maxReceiveCount: 1 },
  /** SES bounce, complaint and delivery events (configuration set → SNS topic → here, raw SES event JSON). */
  feedback: { id: 'FeedbackQueue', visibilityTimeoutSeconds: 60, maxReceiveCount: 5 },
} as const;

export type QueueName = keyof typeof QUEUES;
/** The queues that carry jobs for a worker (the stream failure queue only collects records). */
export type JobQueueName = 'notification' | 'webhook';

/** Attribute and index names of the single table. Key formats live in `table/keys.ts`. */
export const TABLE = {
  id: 'StatementsTable',
  pk: 'pk',
  sk: 'sk',
  /** Item type discriminator, e.g. `CUSTOMER`, `STATEMENT`, `PAYMENT`. */
  type: 'type',
  ttl: 'expiresAt',
  gsi1: { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' },
} as const;

/** Powertools idempotency records: its persistence layer wants a table keyed by `id` alone. */
export const IDEMPOTENCY_TABLE = { id: 'IdempotencyTable', pk: 'id', ttl: 'expiration' } as const;

export const BUCKETS = { attachments: { id: 'AttachmentsBucket' } } as const;

/** Environment variable names; CDK sets them from generated resource names, the local runtime from its own. */
export const ENV = {
  stage: 'STAGE',
  table: 'TABLE_NAME',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  attachmentsBucket: 'ATTACHMENTS_BUCKET',
  notificationQueueUrl: QUEUES.notification.urlEnv,
  notificationDlqUrl: 'NOTIFICATION_DLQ_URL',
  webhookQueueUrl: QUEUES.webhook.urlEnv,
  webhookDlqUrl: 'WEBHOOK_DLQ_URL',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  emailSender: 'EMAIL_SENDER',
  /** First retry delay of a notification after a provider failure; doubles per attempt. */
  notificationRetryBaseSeconds: 'NOTIFICATION_RETRY_BASE_SECONDS',
  webhookRetryScheduleSeconds: 'WEBHOOK_RETRY_SCHEDULE_SECONDS',
  webhookAllowLoopback: 'WEBHOOK_ALLOW_LOOPBACK',
  webhookConcurrencyPerLocation: 'WEBHOOK_CONCURRENCY_PER_LOCATION',
  paymentGateway: 'PAYMENT_GATEWAY',
  sandboxGatewayLatencyMs: 'SANDBOX_GATEWAY_LATENCY_MS',
  /**
   * Divides the wait of a scheduled notification (quiet hours, reminder days) by this factor; 1
   * deployed. The local runtime's tests compress a day into a second, as they compress the webhook
   * retry schedule.
   */
  scheduleTimeScale: 'NOTIFICATION_SCHEDULE_TIME_SCALE',
  /** Secrets Manager secret (JSON: `secretKey`, `webhookSecret`) of the platform's Stripe account; read once per container. */
  stripeSecretName: 'STRIPE_SECRET_NAME',
  /** The platform's publishable key (`pk_…`, public): the statement page hands it to Stripe's Payment Element. */
  stripePublishableKey: 'STRIPE_PUBLISHABLE_KEY',
  /** Sends per second the notification worker allows itself on SMS (one origination identity) and on email (the SES account); see `SEND_RATES`. */
  smsSendRatePerSecond: 'SMS_SEND_RATE_PER_SECOND',
  emailSendRatePerSecond: 'EMAIL_SEND_RATE_PER_SECOND',
  /** SES configuration set to send statement emails with, so their bounces, complaints and deliveries reach `QUEUES.feedback`. */
  emailConfigurationSet: 'EMAIL_CONFIGURATION_SET',
} as const;

export const STAGES = ['local', 'dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Request limits shared by the API description, the handlers and the local runtime. */
export const LIMITS = {
  /** Lambda's synchronous payload limit is 6 MB; this keeps room for the event envelope. */
  maxBodyBytes: 5_800_000,
  maxAttachmentBytes: 4 * 1024 * 1024,
  /** Items of one `POST /setStatements`; the whole body still fits `maxBodyBytes`. */
  maxStatementsPerBatch: 100,
  maxPageSize: 100,
  defaultPageSize: 25,
} as const;

/**
 * The body API Gateway returns when the authorizer rejects a key (a Gateway Response in the stack,
 * the same literal in the local runtime), with the request's `requestId` added like every error body.
 */
export const UNAUTHORIZED_BODY = {
  error: { code: 'unauthorized', message: 'A valid CX-API-Key header is required.' },
} as const;

/**
 * The custom metrics the functions emit (Powertools Metrics, EMF) and the dashboard and alarms read
 * (`lib/constructs/observability.ts`). A CloudWatch metric is its namespace, name and *exact* set of
 * dimensions: Powertools adds `service` to every metric, so each one below carries
 * `{ service: METRICS.service }` plus the dimension its entry names, and nothing else (emit a
 * per-channel or per-currency metric with `metrics.singleMetric()` so other dimensions stay off it).
 * Units are Powertools `MetricUnit` values. The stack sets `POWERTOOLS_METRICS_NAMESPACE` and
 * `POWERTOOLS_SERVICE_NAME` from here.
 */
export const METRICS = {
  namespace: 'CustomerStatements',
  /** The value of the `service` dimension (Powertools' `serviceName`). */
  service: 'customer-statements',
  dimensions: { service: 'service', channel: 'Channel', currency: 'Currency' },
  /** Values of the `Channel` dimension: the domain's `Channel`. */
  channels: ['sms', 'email'],
  metrics: {
    /** A statement was created or replaced (setStatement answered 200/201). */
    statementSet: { name: 'StatementSet', unit: 'Count' },
    /** The provider accepted an SMS or email. */
    notificationSent: { name: 'NotificationSent', unit: 'Count', dimension: 'channel' },
    /** A send failed for good (invalid number, rejected address, last attempt used). */
    notificationFailed: { name: 'NotificationFailed', unit: 'Count', dimension: 'channel' },
    /** A statement, reminder or refund message was held for the end of the recipient's quiet hours. */
    notificationHeld: { name: 'NotificationHeld', unit: 'Count' },
    /** A reminder was planned for a statement's reminder day. */
    reminderScheduled: { name: 'ReminderScheduled', unit: 'Count' },
    /** The provider accepted a reminder (also counted in `NotificationSent`). */
    reminderSent: { name: 'ReminderSent', unit: 'Count', dimension: 'channel' },
    /** A reminder was skipped or cancelled: paid, replaced, excluded, or the plan was turned off. */
    reminderSkipped: { name: 'ReminderSkipped', unit: 'Count' },
    /** A send failed for now and was put back on the queue with a backoff. */
    notificationDeferred: { name: 'NotificationDeferred', unit: 'Count', dimension: 'channel' },
    paymentApproved: { name: 'PaymentApproved', unit: 'Count' },
    paymentDeclined: { name: 'PaymentDeclined', unit: 'Count' },
    /** An approved payment's amount in minor units (a sum is only meaningful within one currency). */
    amountPaid: { name: 'AmountPaid', unit: 'None', dimension: 'currency' },
    /** A payment was refunded, in part or in full (POST /refundPayment). */
    paymentRefunded: { name: 'PaymentRefunded', unit: 'Count' },
    /** One HTTP attempt to a merchant's webhook endpoint, whatever its outcome. */
    webhookAttempted: { name: 'WebhookAttempted', unit: 'Count' },
    /** An attempt the receiver answered with 2xx. */
    webhookDelivered: { name: 'WebhookDelivered', unit: 'Count' },
    /** A delivery gave up after its last scheduled attempt and was parked for replay. */
    webhookParked: { name: 'WebhookParked', unit: 'Count' },
    /** Milliseconds from sending an attempt to its answer (or to the timeout). A measurement, so a noun. */
    webhookLatency: { name: 'WebhookLatency', unit: 'Milliseconds' },
    /**
     * A provider event about a message no notification claims, after the feedback queue's last receive
     * (an event that raced ahead of the send's bookkeeping is retried and matched before then).
     */
    feedbackUnmatched: { name: 'FeedbackUnmatched', unit: 'Count', dimension: 'channel' },
    /** The authorizer refused a CX-API-Key (unknown or revoked; a missing header never reaches it). */
    apiKeyDenied: { name: 'ApiKeyDenied', unit: 'Count' },
  },
} as const;

export type MetricKey = keyof typeof METRICS.metrics;
