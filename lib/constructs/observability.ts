import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRICS, QUEUES, ROUTES, type MetricKey, type QueueName, type RouteName, type Stage } from '../../functions/shared/manifest';
import type { QueuePair } from './messaging';

/**
 * Alarm thresholds. Each rate alarm also needs a minimum volume in its period, so that one failed
 * request out of three at night does not page anyone.
 */
export const THRESHOLDS = {
  /** Period every alarm evaluates; `evaluationPeriods` of them in a row must breach. */
  period: Duration.minutes(5),
  evaluationPeriods: 3,
  /** Share of API requests answered 5xx (ours or API Gateway's), in percent. */
  api5xxRatePercent: 1,
  /** Requests in a period below which the 5xx rate is not judged. */
  api5xxMinRequests: 20,
  /**
   * p99 of API Gateway's Latency over the whole API. Handlers take milliseconds; a cold start adds
   * about a second; a card processor can take a few. Three seconds sustained is not any of those.
   */
  apiP99LatencyMs: 3000,
  /** Authorizer invocations that threw or timed out: each one is a 500 to a merchant. Any is too many. */
  authorizerErrors: 1,
  /**
   * Notifications failed for good, as a share of those sent or failed. Some failures are expected
   * (numbers that cannot take SMS, mistyped addresses); a jump means a provider or setup problem.
   */
  notificationFailureRatePercent: 10,
  notificationMinVolume: 10,
  /**
   * Webhook attempts not answered 2xx, as a share of attempts. One merchant's endpoint being down
   * retries slowly (docs/webhooks.md) and hardly moves this; all of them failing means our pusher is broken.
   */
  webhookFailureRatePercent: 25,
  webhookMinAttempts: 20,
  /** Pay submissions that errored (a 5xx on the pay route, or the function failing). Money is involved: any. */
  paymentErrors: 1,
} as const;

/** Every dashboard widget's title, so tests and people can find them. */
export const WIDGETS = {
  apiRequests: 'API requests per route',
  api4xx: 'API 4xx per route',
  api5xx: 'API 5xx per route',
  apiLatency: 'API latency p99 per route (ms)',
  statements: 'Statements set',
  notifications: 'Notifications by channel',
  reminders: 'Reminders and quiet hours',
  payments: 'Payments',
  amountPaid: 'Amount paid (minor units, per currency)',
  denials: 'Authorizer denials',
  webhooks: 'Webhook attempts',
  webhookSuccess: 'Webhook success rate (%)',
  webhookLatency: 'Webhook latency (ms)',
  queueDepth: 'Queue depth (visible messages)',
  queueAge: 'Oldest message age (s)',
  lambdaErrors: 'Lambda errors per function',
  lambdaThrottles: 'Lambda throttles per function',
  email: 'Email reputation (account, %)',
  smsSpend: 'SMS spend this month (USD, account)',
  alarms: 'Alarms',
} as const;

export interface ObservabilityProps {
  readonly stage: Stage;
  readonly restApi: apigw.RestApi;
  /** Route functions by route name. */
  readonly routeFunctions: Readonly<Record<RouteName, lambda.IFunction>>;
  readonly authorizerFunction: lambda.IFunction;
  /** Worker functions by worker name (stream router, notifier, webhook pusher). */
  readonly workerFunctions: Readonly<Record<string, lambda.IFunction>>;
  readonly queues: Readonly<Record<QueueName, QueuePair>>;
  readonly alarmTopic: sns.ITopic;
  /** Alarms made elsewhere (queues, stream router), shown in the dashboard's alarm widget. @default - none */
  readonly otherAlarms?: readonly cloudwatch.IAlarm[];
}

const { period } = THRESHOLDS;

/** A custom metric from `METRICS`, with the `service` dimension Powertools adds and its own one. */
export const businessMetric = (key: MetricKey, value?: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric => {
  const spec = METRICS.metrics[key];
  const dimension = 'dimension' in spec && value !== undefined ? { [METRICS.dimensions[spec.dimension]]: value } : {};
  return new cloudwatch.Metric({
    namespace: METRICS.namespace,
    metricName: spec.name,
    dimensionsMap: { [METRICS.dimensions.service]: METRICS.service, ...dimension },
    statistic: 'Sum',
    period,
    ...props,
  });
};

/**
 * The CloudWatch dashboard of the stage and the alarms on the API, the authorizer, notifications,
 * webhooks and payments, all notifying `alarmTopic`. Queue and stream alarms live with the queues.
 */
export class Observability extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { restApi } = props;
    const stageName = restApi.deploymentStage.stageName;
    const routes = Object.entries(ROUTES) as Array<[RouteName, (typeof ROUTES)[RouteName]]>;

    // Per-method metrics exist because the stage has detailed metrics on (api.ts, `metricsEnabled`).
    const routeMetric = (metricName: string, name: RouteName, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiName: restApi.restApiName, Method: ROUTES[name].method, Resource: ROUTES[name].path, Stage: stageName },
        statistic,
        period,
        label: name,
      });
    const perRoute = (metricName: string, statistic: string) => routes.map(([name]) => routeMetric(metricName, name, statistic));

    const functions: Array<[string, lambda.IFunction]> = [
      ...(Object.entries(props.routeFunctions) as Array<[string, lambda.IFunction]>),
      ['authorizer', props.authorizerFunction],
      ...Object.entries(props.workerFunctions),
    ];
    const queueLines = (metric: (queue: QueuePair['queue'], label: string) => cloudwatch.IMetric) =>
      (Object.entries(props.queues) as Array<[QueueName, QueuePair]>).flatMap(([name, pair]) => [
        metric(pair.queue, QUEUES[name].id),
        metric(pair.dlq, `${QUEUES[name].id}Dlq`),
      ]);

    const webhookSuccess = new cloudwatch.MathExpression({
      expression: '100 * FILL(delivered, 0) / attempted',
      usingMetrics: { attempted: businessMetric('webhookAttempted'), delivered: businessMetric('webhookDelivered') },
      label: 'delivered / attempted',
      period,
    });

    const perChannel = (key: 'notificationSent' | 'notificationFailed', prefix: string) =>
      Object.fromEntries(METRICS.channels.map((channel) => [`${prefix}_${channel}`, businessMetric(key, channel)]));
    const sumOf = (ids: string[]) => ids.map((id) => `FILL(${id}, 0)`).join(' + ');
    const failedIds = METRICS.channels.map((channel) => `failed_${channel}`);
    const sentIds = METRICS.channels.map((channel) => `sent_${channel}`);

    this.alarms.push(
      this.rateAlarm('Api5xxRateAlarm', {
        description: `More than ${THRESHOLDS.api5xxRatePercent}% of API requests answered 5xx (at least ${THRESHOLDS.api5xxMinRequests} requests per period).`,
        usingMetrics: {
          errors: restApi.deploymentStage.metricServerError({ period, statistic: 'Sum' }),
          requests: restApi.deploymentStage.metricCount({ period, statistic: 'Sum' }),
        },
        errors: 'FILL(errors, 0)',
        total: 'FILL(requests, 0)',
        minVolume: THRESHOLDS.api5xxMinRequests,
        thresholdPercent: THRESHOLDS.api5xxRatePercent,
      }),
      new cloudwatch.Alarm(this, 'ApiLatencyP99Alarm', {
        alarmDescription: `API p99 latency above ${THRESHOLDS.apiP99LatencyMs} ms for ${THRESHOLDS.evaluationPeriods} periods in a row.`,
        metric: restApi.deploymentStage.metricLatency({ period, statistic: 'p99' }),
        threshold: THRESHOLDS.apiP99LatencyMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: THRESHOLDS.evaluationPeriods,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'AuthorizerErrorsAlarm', {
        alarmDescription: 'The CX-API-Key authorizer failed: merchants get 500s on every keyed route.',
        metric: props.authorizerFunction.metricErrors({ period, statistic: 'Sum' }),
        threshold: THRESHOLDS.authorizerErrors,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      this.rateAlarm('NotificationFailureRateAlarm', {
        description: `More than ${THRESHOLDS.notificationFailureRatePercent}% of notifications failed for good (SMS and email together).`,
        usingMetrics: { ...perChannel('notificationSent', 'sent'), ...perChannel('notificationFailed', 'failed') },
        errors: sumOf(failedIds),
        total: sumOf([...sentIds, ...failedIds]),
        minVolume: THRESHOLDS.notificationMinVolume,
        thresholdPercent: THRESHOLDS.notificationFailureRatePercent,
      }),
      this.rateAlarm('WebhookFailureRateAlarm', {
        description: `More than ${THRESHOLDS.webhookFailureRatePercent}% of webhook attempts were not answered 2xx (at least ${THRESHOLDS.webhookMinAttempts} attempts per period).`,
        usingMetrics: { attempted: businessMetric('webhookAttempted'), delivered: businessMetric('webhookDelivered') },
        errors: 'FILL(attempted, 0) - FILL(delivered, 0)',
        total: 'FILL(attempted, 0)',
        minVolume: THRESHOLDS.webhookMinAttempts,
        thresholdPercent: THRESHOLDS.webhookFailureRatePercent,
      }),
      new cloudwatch.Alarm(this, 'PaymentErrorsAlarm', {
        alarmDescription: 'Card payments are erroring (5xx on the pay route, or the pay function failing or timing out).',
        metric: new cloudwatch.MathExpression({
          expression: 'FILL(answered5xx, 0) + FILL(failed, 0)',
          usingMetrics: {
            answered5xx: routeMetric('5XXError', 'payStatement', 'Sum'),
            failed: props.routeFunctions.payStatement.metricErrors({ period, statistic: 'Sum' }),
          },
          label: 'errored payments',
          period,
        }),
        threshold: THRESHOLDS.paymentErrors,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(props.alarmTopic));

    const graph = (title: string, left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}) =>
      new cloudwatch.GraphWidget({ title, left, width: 8, height: 6, period, ...extra });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(24),
      widgets: [
        [new cloudwatch.TextWidget({ markdown: `# Customer Statements (${props.stage})\nAPI, business metrics (\`${METRICS.namespace}\`), queues and functions. Alarms go to the alarm topic.`, width: 24, height: 2 })],
        [
          graph(WIDGETS.apiRequests, perRoute('Count', 'Sum'), { width: 12 }),
          graph(WIDGETS.apiLatency, perRoute('Latency', 'p99'), { width: 12 }),
        ],
        [graph(WIDGETS.api4xx, perRoute('4XXError', 'Sum'), { width: 12 }), graph(WIDGETS.api5xx, perRoute('5XXError', 'Sum'), { width: 12 })],
        [
          graph(WIDGETS.statements, [businessMetric('statementSet', undefined, { label: 'set' })]),
          graph(
            WIDGETS.notifications,
            METRICS.channels.flatMap((channel) => [
              businessMetric('notificationSent', channel, { label: `${channel} sent` }),
              businessMetric('notificationFailed', channel, { label: `${channel} failed` }),
              businessMetric('notificationDeferred', channel, { label: `${channel} deferred` }),
              businessMetric('feedbackUnmatched', channel, { label: `${channel} feedback unmatched` }),
            ]),
          ),
          graph(WIDGETS.payments, [
            businessMetric('paymentApproved', undefined, { label: 'approved' }),
            businessMetric('paymentDeclined', undefined, { label: 'declined' }),
            businessMetric('paymentRefunded', undefined, { label: 'refunded' }),
          ]),
        ],
        [
          graph(
            WIDGETS.reminders,
            [
            businessMetric('reminderScheduled', undefined, { label: 'reminders planned' }),
            ...METRICS.channels.map((channel) => businessMetric('reminderSent', channel, { label: `reminders sent (${channel})` })),
            businessMetric('reminderSkipped', undefined, { label: 'reminders skipped' }),
            businessMetric('notificationHeld', undefined, { label: 'held for quiet hours' }),
            ],
            { width: 24 },
          ),
        ],
        [
          graph(WIDGETS.amountPaid, [
            // One line per currency that has been paid in, without listing the currencies here.
            new cloudwatch.MathExpression({
              expression: `SEARCH('{${METRICS.namespace},${METRICS.dimensions.currency},${METRICS.dimensions.service}} MetricName="${METRICS.metrics.amountPaid.name}"', 'Sum', ${period.toSeconds()})`,
              usingMetrics: {},
              label: '',
              period,
            }),
          ]),
          graph(WIDGETS.denials, [businessMetric('apiKeyDenied', undefined, { label: 'denied keys' })]),
          new cloudwatch.AlarmStatusWidget({ title: WIDGETS.alarms, alarms: [...this.alarms, ...(props.otherAlarms ?? [])], width: 8, height: 6 }),
        ],
        [
          graph(WIDGETS.webhooks, [
            businessMetric('webhookAttempted', undefined, { label: 'attempted' }),
            businessMetric('webhookDelivered', undefined, { label: 'delivered' }),
            businessMetric('webhookParked', undefined, { label: 'parked' }),
          ]),
          graph(WIDGETS.webhookSuccess, [webhookSuccess], { leftYAxis: { min: 0, max: 100 } }),
          graph(WIDGETS.webhookLatency, [
            businessMetric('webhookLatency', undefined, { statistic: 'p50', label: 'p50' }),
            businessMetric('webhookLatency', undefined, { statistic: 'p99', label: 'p99' }),
          ]),
        ],
        [
          graph(WIDGETS.queueDepth, queueLines((queue, label) => queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label })), { width: 12 }),
          graph(WIDGETS.queueAge, queueLines((queue, label) => queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum', label })), { width: 12 }),
        ],
        [
          graph(WIDGETS.lambdaErrors, functions.map(([name, fn]) => fn.metricErrors({ period, statistic: 'Sum', label: name })), { width: 12 }),
          graph(WIDGETS.lambdaThrottles, functions.map(([name, fn]) => fn.metricThrottles({ period, statistic: 'Sum', label: name })), { width: 12 }),
        ],
        [
          // SES suspends sending at a 10% bounce or 0.5% complaint rate; these are the account's.
          graph(WIDGETS.email, [
            new cloudwatch.Metric({ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate', statistic: 'Maximum', period: Duration.hours(1), label: 'bounce rate' }),
            new cloudwatch.Metric({ namespace: 'AWS/SES', metricName: 'Reputation.ComplaintRate', statistic: 'Maximum', period: Duration.hours(1), label: 'complaint rate' }),
          ], { width: 12 }),
          graph(WIDGETS.smsSpend, [
            new cloudwatch.Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', statistic: 'Maximum', period: Duration.hours(1), label: 'USD' }),
          ], { width: 12 }),
        ],
      ],
    });
  }

  /**
   * `100 * errors / total` above a threshold, judged only in periods with at least `minVolume`
   * (`errors` and `total` are expressions over `usingMetrics`).
   */
  private rateAlarm(
    id: string,
    spec: { description: string; usingMetrics: Record<string, cloudwatch.IMetric>; errors: string; total: string; minVolume: number; thresholdPercent: number },
  ): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, id, {
      alarmDescription: spec.description,
      metric: new cloudwatch.MathExpression({
        expression: `IF((${spec.total}) >= ${spec.minVolume}, 100 * (${spec.errors}) / (${spec.total}), 0)`,
        usingMetrics: spec.usingMetrics,
        label: 'percent',
        period,
      }),
      threshold: spec.thresholdPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: THRESHOLDS.evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
