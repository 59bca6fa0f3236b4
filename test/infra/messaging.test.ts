import type { Template } from 'aws-cdk-lib/assertions';
import { ENV, QUEUES, TABLE, WORKERS, type QueueName } from '../../functions/shared/manifest';
import { ITEM_TYPES, STRIPE_ITEM_TYPES } from '../../functions/shared/table/keys';
import { pascalCase } from '../../lib/constructs/app-function';
import { EMAIL_SENDER, synthTemplate } from './synth';
import { logicalId, ofType, referencedIds, resource, roleActions } from './template-helpers';

const queueNames = Object.keys(QUEUES) as QueueName[];
const queueId = (template: Template, name: QueueName, suffix = '') => logicalId(template, 'AWS::SQS::Queue', `Queues${QUEUES[name].id}${suffix}`);
const workerId = (template: Template, fn: string) => logicalId(template, 'AWS::Lambda::Function', `Workers${pascalCase(fn)}Function`);

describe('the stack\'s queues and workers', () => {
  let template: Template;

  beforeAll(() => {
    // Prepare
    template = synthTemplate();
  });

  it.each(queueNames)('gives the %s queue a dead-letter queue with the manifest\'s receive count', (name) => {
    // Act
    const { Properties } = resource(template, queueId(template, name));

    // Assess
    expect(Properties!.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [queueId(template, name, 'Dlq'), 'Arn'] },
      maxReceiveCount: QUEUES[name].maxReceiveCount,
    });
    expect(Properties!.VisibilityTimeout).toBe(QUEUES[name].visibilityTimeoutSeconds);
  });

  it.each(queueNames)('alarms when anything lands in the %s dead-letter queue and when the queue backs up', (name) => {
    // Act
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties!);
    const on = (id: string, metric: string) => alarms.filter((a) => a.MetricName === metric && referencedIds(a.Dimensions).includes(id));

    // Assess
    expect(on(queueId(template, name, 'Dlq'), 'ApproximateNumberOfMessagesVisible')).toEqual([
      expect.objectContaining({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' }),
    ]);
    expect(on(queueId(template, name), 'ApproximateAgeOfOldestMessage')).toEqual([expect.objectContaining({ ComparisonOperator: 'GreaterThanThreshold' })]);
  });

  it('sends every alarm to the alarm topic, including the stream router falling behind', () => {
    // Act
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties!);
    const topic = logicalId(template, 'AWS::SNS::Topic', 'QueuesAlarmTopic');

    // Assess
    for (const alarm of alarms) expect(referencedIds(alarm.AlarmActions)).toEqual([topic]);
    expect(alarms.filter((a) => a.MetricName === 'IteratorAge')).toHaveLength(1);
  });

  it('invokes the stream router only for statements with a version and for new payments and refunds, with partial failures, bisect and an on-failure queue', () => {
    // Act
    const mappings = ofType(template, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => referencedIds(m.Properties!.EventSourceArn).includes(TABLE.id));

    // Assess
    expect(mappings).toHaveLength(1);
    const [, { Properties }] = mappings[0];
    expect(referencedIds(Properties!.FunctionName)).toEqual([workerId(template, WORKERS.streamRouter.fn)]);
    expect(Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: expect.any(Number),
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(template, 'streamFailure'), 'Arn'] } } },
    });
    expect(Properties!.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([
      {
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: { NewImage: { type: { S: [ITEM_TYPES.statement] }, version: { N: [{ 'anything-but': ['0'] }] } } },
      },
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: [ITEM_TYPES.payment] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: [ITEM_TYPES.refund] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: [STRIPE_ITEM_TYPES.dispute, STRIPE_ITEM_TYPES.paymentFailure] } } } },
    ]);
  });

  it.each([WORKERS.sendNotification, WORKERS.pushWebhook])('feeds $fn from its queue in batches of 10 with partial batch failures', (worker) => {
    // Act
    const mappings = ofType(template, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => referencedIds(m.Properties!.FunctionName).includes(workerId(template, worker.fn)));

    // Assess
    expect(mappings.map(([, m]) => m.Properties)).toEqual([
      expect.objectContaining({
        EventSourceArn: { 'Fn::GetAtt': [queueId(template, worker.queue), 'Arn'] },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ]);
  });

  it('caps the notification worker\'s concurrency on its event source and gives it the send rates, from context', () => {
    // Act
    const custom = synthTemplate('dev', { throughput: { apiRateLimit: 50, apiBurstLimit: 100, smsSendRate: 20, emailSendRate: 7, notificationConcurrency: 4 } });
    const mappingOf = (t: Template) =>
      ofType(t, 'AWS::Lambda::EventSourceMapping').find(([, m]) => referencedIds(m.Properties!.FunctionName).includes(workerId(t, WORKERS.sendNotification.fn)))![1].Properties!;
    const envOf = (t: Template) => resource(t, workerId(t, WORKERS.sendNotification.fn)).Properties!.Environment.Variables;

    // Assess
    expect(mappingOf(template).ScalingConfig).toEqual({ MaximumConcurrency: 3 });
    expect(mappingOf(custom).ScalingConfig).toEqual({ MaximumConcurrency: 4 });
    expect(envOf(template)).toMatchObject({ [ENV.smsSendRatePerSecond]: '3', [ENV.emailSendRatePerSecond]: '14' });
    expect(envOf(custom)).toMatchObject({ [ENV.smsSendRatePerSecond]: '20', [ENV.emailSendRatePerSecond]: '7', [ENV.notificationDlqUrl]: expect.anything() });
  });

  it.each([WORKERS.sendNotification, WORKERS.pushWebhook])('gives the $queue queue a visibility timeout no shorter than $fn\'s timeout (else the mapping cannot be created)', (worker) => {
    // Act
    const timeout = resource(template, workerId(template, worker.fn)).Properties!.Timeout;

    // Assess
    expect(QUEUES[worker.queue].visibilityTimeoutSeconds).toBeGreaterThanOrEqual(timeout);
  });

  it('lets the router send jobs to the notification and webhook queues', () => {
    // Act
    const { Variables } = resource(template, workerId(template, WORKERS.streamRouter.fn)).Properties!.Environment;

    // Assess
    expect(referencedIds(Variables[ENV.notificationQueueUrl])).toEqual([queueId(template, 'notification')]);
    expect(referencedIds(Variables[ENV.webhookQueueUrl])).toEqual([queueId(template, 'webhook')]);
    expect(roleActions(template, workerId(template, WORKERS.streamRouter.fn))).toContain('sqs:SendMessage');
  });

  it('lets only the notifier send SMS and email, from the configured sender', () => {
    // Act
    const notifier = workerId(template, WORKERS.sendNotification.fn);
    const others = ofType(template, 'AWS::Lambda::Function').map(([id]) => id).filter((id) => id !== notifier);

    // Assess
    expect(roleActions(template, notifier)).toEqual(expect.arrayContaining(['sns:Publish', 'ses:SendEmail']));
    expect(resource(template, notifier).Properties!.Environment.Variables[ENV.emailSender]).toBe(EMAIL_SENDER);
    for (const id of others) {
      expect({ id, sends: roleActions(template, id).filter((a) => a.startsWith('sns:') || a.startsWith('ses:')) }).toEqual({ id, sends: [] });
    }
  });

  it('gives the notifier the public base URL of the API for statement links', () => {
    // Act
    const url = resource(template, workerId(template, WORKERS.sendNotification.fn)).Properties!.Environment.Variables[ENV.publicBaseUrl];

    // Assess
    expect(JSON.stringify(url)).toContain('execute-api');
  });

  it('runs the scheduler every minute from an EventBridge rule, allowed to send to the notification queue only', () => {
    // Act
    const scheduler = workerId(template, WORKERS.releaseNotifications.fn);
    const rules = ofType(template, 'AWS::Events::Rule').map(([, rule]) => rule.Properties!);
    const env = resource(template, scheduler).Properties!.Environment.Variables;

    // Assess
    expect(rules).toContainEqual(expect.objectContaining({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' }));
    const rule = rules.find((r) => r.ScheduleExpression === 'rate(1 minute)')!;
    expect(referencedIds(rule.Targets)).toContain(scheduler);
    expect(referencedIds(env[ENV.notificationQueueUrl])).toContain(queueId(template, 'notification'));
    expect(env[ENV.webhookQueueUrl]).toBeUndefined();
    expect(roleActions(template, scheduler).filter((a) => a.startsWith('sns:') || a.startsWith('ses:'))).toEqual([]);
  });
});
