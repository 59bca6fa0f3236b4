import type { Template } from 'aws-cdk-lib/assertions';
import { METRICS, QUEUES, ROUTES } from '../../functions/shared/manifest';
import type { Channel } from '../../functions/domain/notifications';
import { THRESHOLDS, WIDGETS } from '../../lib/constructs/observability';
import { synthTemplate } from './synth';
import { dashboardBody, logicalId, ofType, referencedIds, resource } from './template-helpers';

// The Channel dimension's values are the domain's channels, no more and no fewer (checked by tsc).
const channelsAreDomainChannels: readonly Channel[] = METRICS.channels;
const everyDomainChannelListed: [Exclude<Channel, (typeof METRICS.channels)[number]>] extends [never] ? true : false = true;

/** Each alarm of the Observability construct, its threshold and the metrics its expression must read. */
const ALARMS = {
  Api5xxRateAlarm: { threshold: THRESHOLDS.api5xxRatePercent, reads: ['5XXError', 'Count'] },
  ApiLatencyP99Alarm: { threshold: THRESHOLDS.apiP99LatencyMs, reads: ['Latency'] },
  AuthorizerErrorsAlarm: { threshold: THRESHOLDS.authorizerErrors, reads: ['Errors'] },
  NotificationFailureRateAlarm: {
    threshold: THRESHOLDS.notificationFailureRatePercent,
    reads: [METRICS.metrics.notificationSent.name, METRICS.metrics.notificationFailed.name],
  },
  WebhookFailureRateAlarm: {
    threshold: THRESHOLDS.webhookFailureRatePercent,
    reads: [METRICS.metrics.webhookAttempted.name, METRICS.metrics.webhookDelivered.name],
  },
  PaymentErrorsAlarm: { threshold: THRESHOLDS.paymentErrors, reads: ['5XXError', 'Errors'] },
} as const;

/** Metric names an alarm reads, whether it has one metric or a math expression over several. */
const metricNames = (alarm: Record<string, any>): string[] =>
  alarm.MetricName ? [alarm.MetricName] : alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName);

describe('the stack\'s dashboard and alarms', () => {
  let template: Template;
  let body: string;

  beforeAll(() => {
    // Prepare
    template = synthTemplate();
    body = dashboardBody(template);
  });

  it('agrees with the domain on the Channel dimension\'s values', () => {
    // Assess
    expect(channelsAreDomainChannels).toEqual(['sms', 'email']);
    expect(everyDomainChannelListed).toBe(true);
  });

  it('has one dashboard with every widget named', () => {
    // Assess
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    for (const title of Object.values(WIDGETS)) expect({ title, found: body.includes(`"title":"${title}"`) }).toEqual({ title, found: true });
  });

  it('charts each route\'s requests, 4xx, 5xx and latency from API Gateway\'s per-method metrics', () => {
    // Assess
    for (const metric of ['Count', '4XXError', '5XXError', 'Latency']) {
      for (const route of Object.values(ROUTES)) {
        expect(body).toContain(`"AWS/ApiGateway","${metric}","ApiName","MerchantApi","Method","${route.method}","Resource","${route.path}"`);
      }
    }
  });

  it('charts every business metric from the manifest, in its namespace with the service dimension', () => {
    // Assess
    for (const { name } of Object.values(METRICS.metrics)) {
      if (name === METRICS.metrics.amountPaid.name) continue;
      expect(body).toMatch(new RegExp(`"${METRICS.namespace}","${name}",("${METRICS.dimensions.channel}","\\w+",)?"service","${METRICS.service}"`));
    }
    // Amount paid: one line per currency, found by a search over the Currency dimension.
    expect(body).toContain(`SEARCH('{${METRICS.namespace},${METRICS.dimensions.currency},service} MetricName=\\"${METRICS.metrics.amountPaid.name}\\"'`);
  });

  it('charts the webhook success rate as delivered / attempted', () => {
    // Assess
    expect(body).toContain('100 * FILL(delivered, 0) / attempted');
  });

  it('charts the depth and oldest message age of every queue and its dead-letter queue', () => {
    // Assess
    for (const metric of ['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']) {
      for (const { id } of Object.values(QUEUES)) {
        expect(body).toContain(`"label":"${id}"`);
        expect(body).toContain(`"label":"${id}Dlq"`);
      }
      expect(body).toContain(`"AWS/SQS","${metric}"`);
    }
  });

  it('charts errors and throttles of every function', () => {
    // Act
    const functions = ofType(template, 'AWS::Lambda::Function').length;

    // Assess
    expect(body.match(/"AWS\/Lambda","Errors"/g)).toHaveLength(functions);
    expect(body.match(/"AWS\/Lambda","Throttles"/g)).toHaveLength(functions);
  });

  it.each(Object.entries(ALARMS))('has the %s alarm, at its named threshold, notifying the alarm topic', (id, expected) => {
    // Act
    const alarm = resource(template, logicalId(template, 'AWS::CloudWatch::Alarm', `Observability${id}`)).Properties!;

    // Assess
    expect(referencedIds(alarm.AlarmActions)).toEqual([logicalId(template, 'AWS::SNS::Topic', 'QueuesAlarmTopic')]);
    expect(alarm.Threshold).toBe(expected.threshold);
    expect(metricNames(alarm)).toEqual(expect.arrayContaining([...expected.reads]));
  });

  it('judges the notification failure rate over every channel', () => {
    // Act
    const alarm = resource(template, logicalId(template, 'AWS::CloudWatch::Alarm', 'ObservabilityNotificationFailureRateAlarm')).Properties!;
    const channels = alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === METRICS.dimensions.channel).Value);

    // Assess
    expect(new Set(channels)).toEqual(new Set(METRICS.channels));
  });

  it('keeps the queue and stream alarms and shows every alarm in the dashboard', () => {
    // Act
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm').map(([id]) => id);

    // Assess
    expect(alarms.length).toBe(Object.keys(ALARMS).length + 2 * Object.keys(QUEUES).length + 2);
    for (const id of alarms) expect(body).toContain(`"${id}"`);
  });
});
