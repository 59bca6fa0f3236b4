import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { QUEUES, WORKERS, type QueueName, type Stage } from '../functions/shared/manifest';
import { assertGatewayAllowed, THROUGHPUT_DEFAULTS, type CustomDomains, type PaymentConfig, type Throughput } from './config';
import { Api } from './constructs/api';
import { CustomDomain, domainUrl } from './constructs/custom-domain';
import { Data } from './constructs/data';
import { Feedback } from './constructs/feedback';
import { Queues, Workers } from './constructs/messaging';
import { Observability } from './constructs/observability';
import { Storage } from './constructs/storage';

export interface StatementsStackProps extends StackProps {
  readonly stage: Stage;
  /** Verified SES identity statement emails are sent from. */
  readonly emailSender: string;
  /** Email address subscribed to the stack's alarms. @default - none */
  readonly alarmEmail?: string;
  /** Custom domains for the API and for customer links. @default - the execute-api URL for both */
  readonly domains?: CustomDomains;
  /** The card processor and, for Stripe, its secret. @default - the sandbox (refused in prod) */
  readonly payments?: PaymentConfig;
  /** API throttling, send rates and notification concurrency. @default THROUGHPUT_DEFAULTS */
  readonly throughput?: Throughput;
}

/** Wires the constructs together; resource details live in `lib/constructs/`. */
export class StatementsStack extends Stack {
  constructor(scope: Construct, id: string, props: StatementsStackProps) {
    super(scope, id, props);
    const payments = props.payments ?? { gateway: 'sandbox' };
    assertGatewayAllowed(props.stage, payments.gateway);
    // Production data outlives the stack; other stages clean up after themselves.
    const removalPolicy = props.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const throughput = props.throughput ?? THROUGHPUT_DEFAULTS;

    const data = new Data(this, 'Data', { removalPolicy });
    const storage = new Storage(this, 'Storage', { removalPolicy });
    const queues = new Queues(this, 'Queues', { alarmEmail: props.alarmEmail });
    const feedback = new Feedback(this, 'Feedback', { queue: queues.queues.feedback.queue });
    // Customer links use the short domain, else the API domain, else the execute-api URL.
    const linkDomain = props.domains?.links ?? props.domains?.api;
    const linkBaseUrl = linkDomain && domainUrl(linkDomain.domainName);
    const api = new Api(this, 'Api', {
      stage: props.stage,
      payments,
      publicBaseUrl: linkBaseUrl,
      table: data.table,
      idempotencyTable: data.idempotencyTable,
      attachments: storage.attachments,
      queues: { notification: queues.queues.notification.queue, webhook: queues.queues.webhook.queue },
      throttlingRateLimit: throughput.apiRateLimit,
      throttlingBurstLimit: throughput.apiBurstLimit,
    });
    const workers = new Workers(this, 'Workers', {
      stage: props.stage,
      table: data.table,
      queues: queues.queues,
      publicBaseUrl: linkBaseUrl ?? api.url,
      emailSender: props.emailSender,
      emailConfigurationSet: feedback.configurationSet,
      alarmTopic: queues.alarmTopic,
      sendRates: { sms: throughput.smsSendRate, email: throughput.emailSendRate },
      notificationConcurrency: throughput.notificationConcurrency,
    });
    if (props.domains?.api) {
      const domain = new CustomDomain(this, 'ApiDomain', { ...props.domains.api, restApi: api.restApi });
      new CfnOutput(this, 'ApiDomainUrl', { value: domain.url });
    }
    if (props.domains?.links) {
      const domain = new CustomDomain(this, 'LinkDomain', { ...props.domains.links, restApi: api.restApi });
      new CfnOutput(this, 'LinkDomainUrl', { value: domain.url });
    }
    const observability = new Observability(this, 'Observability', {
      stage: props.stage,
      restApi: api.restApi,
      routeFunctions: api.functions,
      authorizerFunction: api.authorizerFunction,
      workerFunctions: {
        [WORKERS.streamRouter.fn]: workers.streamRouter,
        [WORKERS.sendNotification.fn]: workers.sendNotification,
        [WORKERS.pushWebhook.fn]: workers.pushWebhook,
        [WORKERS.recordFeedback.fn]: workers.recordFeedback,
        [WORKERS.releaseNotifications.fn]: workers.releaseNotifications,
      },
      queues: queues.queues,
      alarmTopic: queues.alarmTopic,
      otherAlarms: [...queues.alarms, ...workers.alarms],
    });

    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
    new CfnOutput(this, 'DashboardName', { value: observability.dashboard.dashboardName });
    new CfnOutput(this, 'EmailConfigurationSet', { value: feedback.configurationSet.configurationSetName });
    // For the one-time account setting that turns SMS delivery-status logging on (docs/stack.md).
    new CfnOutput(this, 'SmsDeliveryStatusRoleArn', { value: feedback.smsDeliveryStatusRole.roleArn });
    // `cdk deploy --outputs-file` keeps these for `npm run admin -- <command> --outputs <file>`.
    for (const { id, queue, dlq } of Object.entries(QUEUES).map(([name, spec]) => ({ id: spec.id, ...queues.queues[name as QueueName] }))) {
      new CfnOutput(this, `${id}Url`, { value: queue.queueUrl });
      new CfnOutput(this, `${id}DlqUrl`, { value: dlq.queueUrl });
    }
  }
}
