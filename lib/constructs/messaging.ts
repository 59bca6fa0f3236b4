import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as ses from 'aws-cdk-lib/aws-ses';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { ENV, NOTIFICATION_SOURCE, notificationConcurrencyFor, QUEUES, SEND_RATES, WORKERS, type QueueName, type Stage } from '../../functions/shared/manifest';
import { STREAM_ROUTER_FILTERS, STREAM_ROUTER_SOURCE } from '../../functions/shared/stream-filters';
import { AppFunction, pascalCase } from './app-function';
import { acknowledge } from './nag';

export interface QueuePair {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
}

/**
 * Age of the oldest message that means "the consumer is not keeping up". Webhook jobs wait on
 * purpose while a merchant's endpoint is down (the retry schedule spans about a day), so only an
 * age beyond the whole schedule is alarming there.
 */
const MAX_AGE: Record<QueueName, Duration> = {
  notification: Duration.minutes(5),
  webhook: Duration.hours(30),
  streamFailure: Duration.hours(1),
  // Email events are not urgent, but an hour-old one means their consumer is missing or stuck.
  feedback: Duration.hours(1),
};

/**
 * Every queue in `QUEUES` with its dead-letter queue (`<Id>Dlq`) and alarms: any message in a DLQ,
 * and a main queue whose oldest message is too old.
 */
export interface QueuesProps {
  /** Subscribed to the alarm topic by email. @default - no subscription; subscribe on-call tooling to `alarmTopic`. */
  readonly alarmEmail?: string;
}

export class Queues extends Construct {
  readonly queues: Record<QueueName, QueuePair>;
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Every alarm of the stack notifies this topic. */
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: QueuesProps = {}) {
    super(scope, id);
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Customer Statements alarms', enforceSSL: true });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    acknowledge(this.alarmTopic, {
      'AwsSolutions-SNS2': 'Alarm notifications carry no customer data; CloudWatch cannot publish to a topic under the AWS-managed SNS key.',
    });
    const queues = {} as Record<QueueName, QueuePair>;
    for (const [name, spec] of Object.entries(QUEUES) as Array<[QueueName, (typeof QUEUES)[QueueName]]>) {
      const dlq = new sqs.Queue(this, `${spec.id}Dlq`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // The longest SQS allows: parked jobs wait for a person to redrive them.
        retentionPeriod: Duration.days(14),
      });
      const queue = new sqs.Queue(this, spec.id, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(name === 'streamFailure' ? 14 : 4),
        deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
      });
      queues[name] = { queue, dlq };
      this.alarms.push(
        new cloudwatch.Alarm(this, `${spec.id}DlqDepthAlarm`, {
          alarmDescription: `Jobs parked in ${spec.id}Dlq: inspect with \`npm run admin -- list-parked\`, then redrive.`,
          metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        new cloudwatch.Alarm(this, `${spec.id}AgeAlarm`, {
          alarmDescription: `${spec.id} is not being drained.`,
          metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
          threshold: MAX_AGE[name].toSeconds(),
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    // Each message here is a stream batch the router gave up on: someone must look at it.
    const streamFailure = queues.streamFailure.queue;
    this.alarms.push(
      new cloudwatch.Alarm(this, `${QUEUES.streamFailure.id}DepthAlarm`, {
        alarmDescription: 'The stream router gave up on table changes; notifications or webhooks may be missing.',
        metric: streamFailure.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.queues = queues;
    for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(this.alarmTopic));
  }
}

export interface WorkersProps {
  readonly stage: Stage;
  readonly table: ITable;
  readonly queues: Record<QueueName, QueuePair>;
  /** Base URL of the deployed API, for the statement links in notifications. */
  readonly publicBaseUrl: string;
  /** Verified SES identity that statement emails come from. */
  readonly emailSender: string;
  /** The configuration set statement emails are sent with (their events feed `QUEUES.feedback`). */
  readonly emailConfigurationSet: ses.IConfigurationSet;
  readonly alarmTopic: sns.ITopic;
  /** Sends per second per channel (docs/statement-runs.md). @default SEND_RATES */
  readonly sendRates?: { readonly sms: number; readonly email: number };
  /** Lambda instances the notification queue's event source runs at most (2–1000). @default notificationConcurrencyFor(sendRates) */
  readonly notificationConcurrency?: number;
}

/** Stream router (table stream → queues), the notification sender, the webhook pusher and the feedback recorder. */
export class Workers extends Construct {
  readonly streamRouter: AppFunction;
  readonly sendNotification: AppFunction;
  readonly pushWebhook: AppFunction;
  readonly recordFeedback: AppFunction;
  readonly releaseNotifications: AppFunction;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: WorkersProps) {
    super(scope, id);
    const { queues } = props;
    const worker = (fn: string) => new AppFunction(this, `${pascalCase(fn)}Function`, { fn, stage: props.stage, timeout: Duration.seconds(30) });

    // The router reads nothing: the stream images carry all it needs to decide on jobs.
    this.streamRouter = worker(WORKERS.streamRouter.fn)
      .bindQueueSender(queues.notification.queue, ENV.notificationQueueUrl)
      .bindQueueSender(queues.webhook.queue, ENV.webhookQueueUrl);
    // Filters and settings are shared with the local stream poller, so both invoke the router alike.
    const source = STREAM_ROUTER_SOURCE;
    this.streamRouter.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: source.batchSize,
        maxBatchingWindow: Duration.seconds(source.maxBatchingWindowSeconds),
        filters: STREAM_ROUTER_FILTERS.map((pattern) => lambda.FilterCriteria.filter(pattern)),
        reportBatchItemFailures: source.reportBatchItemFailures,
        // Halves a failing batch until the bad record is alone, so good records are not held back.
        bisectBatchOnError: source.bisectBatchOnError,
        retryAttempts: source.retryAttempts,
        maxRecordAge: Duration.seconds(source.maxRecordAgeSeconds),
        parallelizationFactor: source.parallelizationFactor,
        onFailure: new SqsDlq(queues.streamFailure.queue),
      }),
    );
    // Records waiting in the stream are notifications and webhooks not yet queued.
    const iteratorAge = new cloudwatch.Alarm(this, 'StreamRouterIteratorAgeAlarm', {
      alarmDescription: 'The stream router is falling behind the table\'s changes.',
      metric: this.streamRouter.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: Duration.minutes(5).toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    iteratorAge.addAlarmAction(new SnsAction(props.alarmTopic));
    this.alarms.push(iteratorAge);

    this.sendNotification = worker(WORKERS.sendNotification.fn)
      .bindTable(props.table, 'RW')
      // Statement links in SMS and email point at the deployed API.
      .setEnv(ENV.publicBaseUrl, props.publicBaseUrl)
      .setEnv(ENV.emailSender, props.emailSender)
      .setEnv(ENV.emailConfigurationSet, props.emailConfigurationSet.configurationSetName)
      // Sets the visibility of a failed job to its backoff delay (consuming grants that action), and
      // sends a waiting job back as a fresh message (a busy provider is not a failed attempt).
      .bindQueueSender(queues.notification.queue, ENV.notificationQueueUrl)
      // Parks a job whose copies failed `maxReceiveCount` times in all (the redrive policy counts one copy).
      .bindQueueSender(queues.notification.dlq, ENV.notificationDlqUrl)
      .setEnv(ENV.smsSendRatePerSecond, String(props.sendRates?.sms ?? SEND_RATES.sms))
      .setEnv(ENV.emailSendRatePerSecond, String(props.sendRates?.email ?? SEND_RATES.email))
      // A send that fails at once on every channel tells the merchant (notification.failed).
      .bindQueueSender(queues.webhook.queue, ENV.webhookQueueUrl);
    // Few instances, each sending its batch side by side and pacing to the rate, so jobs wait in the
    // queue rather than being throttled by the provider.
    this.sendNotification.addEventSource(
      new SqsEventSource(queues[WORKERS.sendNotification.queue].queue, {
        batchSize: NOTIFICATION_SOURCE.batchSize,
        maxConcurrency: props.notificationConcurrency ?? notificationConcurrencyFor(props.sendRates ?? SEND_RATES),
        reportBatchItemFailures: true,
      }),
    );
    this.sendNotification.addToRolePolicy(
      new iam.PolicyStatement({
        // SMS goes straight to a phone number, which has no ARN: SNS only accepts Resource "*" for
        // Publish with PhoneNumber (and for the opt-out check).
        actions: ['sns:Publish', 'sns:CheckIfPhoneNumberIsOptedOut'],
        resources: ['*'],
      }),
    );
    this.sendNotification.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        // A send that names a configuration set is authorized against the set too.
        resources: [
          Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' }),
          Stack.of(this).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: props.emailConfigurationSet.configurationSetName }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': props.emailSender } },
      }),
    );
    // cdk-nag names the finding by the rendered ARN: concrete when the stack has an env, tokens otherwise.
    const stack = Stack.of(this);
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    acknowledge(this.sendNotification, {
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:${region}:${account}:identity/*]`]:
        'SES checks both the sender and the recipient identity in the sandbox; the ses:FromAddress condition pins the sender.',
    });

    this.pushWebhook = worker(WORKERS.pushWebhook.fn)
      .bindTable(props.table, 'RW')
      // Waits between attempts by changing the job's visibility on its queue (the event source grants
      // that), and parks a delivery on the dead-letter queue after the last attempt.
      .bindQueueSender(queues.webhook.queue, ENV.webhookQueueUrl)
      .bindQueueSender(queues.webhook.dlq, ENV.webhookDlqUrl);
    this.pushWebhook.addEventSource(
      new SqsEventSource(queues[WORKERS.pushWebhook.queue].queue, { batchSize: 10, reportBatchItemFailures: true }),
    );

    // Bounces, complaints and deliveries: updates notification records and the customer's email
    // suppression, queues the send on the other channel and the merchant's notification.failed webhook.
    this.recordFeedback = worker(WORKERS.recordFeedback.fn)
      .bindTable(props.table, 'RW')
      .bindQueueSender(queues.notification.queue, ENV.notificationQueueUrl)
      .bindQueueSender(queues.webhook.queue, ENV.webhookQueueUrl);
    this.recordFeedback.addEventSource(
      new SqsEventSource(queues[WORKERS.recordFeedback.queue].queue, { batchSize: 10, reportBatchItemFailures: true }),
    );

    // The scheduler: notifications held for quiet hours and reminders planned for a day sit in the
    // table (sparse index by release time); every minute this queues the ones whose time has come.
    this.releaseNotifications = worker(WORKERS.releaseNotifications.fn)
      .bindTable(props.table, 'RW')
      .bindQueueSender(queues.notification.queue, ENV.notificationQueueUrl);
    new events.Rule(this, 'ReleaseNotificationsSchedule', {
      description: 'Queues scheduled notifications (quiet hours over, reminder days) every minute.',
      schedule: events.Schedule.rate(Duration.seconds(WORKERS.releaseNotifications.everySeconds)),
      targets: [new targets.LambdaFunction(this.releaseNotifications, { retryAttempts: 2 })],
    });
  }
}
