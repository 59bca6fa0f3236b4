import type { Template } from 'aws-cdk-lib/assertions';
import { ENV, QUEUES, WORKERS } from '../../functions/shared/manifest';
import { pascalCase } from '../../lib/constructs/app-function';
import { synthTemplate } from './synth';
import { logicalId, ofType, referencedIds, resource } from './template-helpers';

describe('the stack\'s delivery feedback', () => {
  let template: Template;
  let configurationSet: string;
  let topic: string;
  let queue: string;

  beforeAll(() => {
    // Prepare
    template = synthTemplate();
    configurationSet = logicalId(template, 'AWS::SES::ConfigurationSet', 'FeedbackEmailConfigurationSet');
    topic = logicalId(template, 'AWS::SNS::Topic', 'FeedbackEmailEventsTopic');
    queue = logicalId(template, 'AWS::SQS::Queue', `Queues${QUEUES.feedback.id}`);
  });

  it('has an SES configuration set with reputation metrics, TLS required and bounces and complaints suppressed', () => {
    // Assess
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    expect(resource(template, configurationSet).Properties).toMatchObject({
      ReputationOptions: { ReputationMetricsEnabled: true },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  it('sends the set\'s bounce, complaint and delivery events to the email events topic, which SES may publish to', () => {
    // Act
    const [[, destination]] = ofType(template, 'AWS::SES::ConfigurationSetEventDestination');
    const policies = ofType(template, 'AWS::SNS::TopicPolicy').filter(([, p]) => referencedIds(p.Properties!.Topics).includes(topic));

    // Assess
    expect(referencedIds(destination.Properties!.ConfigurationSetName)).toEqual([configurationSet]);
    expect(destination.Properties!.EventDestination).toMatchObject({
      Enabled: true,
      MatchingEventTypes: ['bounce', 'complaint', 'delivery'],
      SnsDestination: { TopicARN: { Ref: topic } },
    });
    const statements = policies.flatMap(([, p]) => p.Properties!.PolicyDocument.Statement);
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({ Action: 'sns:Publish', Principal: { Service: 'ses.amazonaws.com' } })]));
  });

  it('delivers the topic\'s messages raw to the feedback queue, which has a dead-letter queue', () => {
    // Act
    const subscriptions = ofType(template, 'AWS::SNS::Subscription').filter(([, s]) => referencedIds(s.Properties!.TopicArn).includes(topic));

    // Assess
    expect(subscriptions.map(([, s]) => s.Properties)).toEqual([
      expect.objectContaining({ Protocol: 'sqs', RawMessageDelivery: true, Endpoint: { 'Fn::GetAtt': [queue, 'Arn'] } }),
    ]);
    expect(referencedIds(resource(template, queue).Properties!.RedrivePolicy)).toEqual([logicalId(template, 'AWS::SQS::Queue', `Queues${QUEUES.feedback.id}Dlq`)]);
  });

  it('is consumed by the feedback worker alone, with partial batch failures', () => {
    // Act
    const mappings = ofType(template, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => referencedIds(m.Properties!.EventSourceArn).includes(queue));
    const worker = logicalId(template, 'AWS::Lambda::Function', `Workers${pascalCase(WORKERS.recordFeedback.fn)}Function`);

    // Assess
    expect(mappings).toHaveLength(1);
    expect(referencedIds(mappings[0][1].Properties!.FunctionName)).toEqual([worker]);
    expect(mappings[0][1].Properties!.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('gives the notifier the configuration set\'s name and lets it send with the set', () => {
    // Act
    const notifier = resource(template, logicalId(template, 'AWS::Lambda::Function', `Workers${pascalCase(WORKERS.sendNotification.fn)}Function`));
    const roleId = notifier.Properties!.Role['Fn::GetAtt'][0];
    const statements = ofType(template, 'AWS::IAM::Policy')
      .filter(([, p]) => p.Properties!.Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement);
    const sesSend = statements.find((s: { Action: unknown }) => JSON.stringify(s.Action).includes('ses:SendEmail'));

    // Assess
    expect(notifier.Properties!.Environment.Variables[ENV.emailConfigurationSet]).toEqual({ Ref: configurationSet });
    expect(JSON.stringify(sesSend.Resource)).toContain('configuration-set/');
    expect(referencedIds(sesSend.Resource)).toContain(configurationSet);
  });

  it('has a role SNS can assume to log SMS delivery status, limited to its SMS log groups, and outputs its ARN', () => {
    // Act
    const role = resource(template, logicalId(template, 'AWS::IAM::Role', 'FeedbackSmsDeliveryStatusRole')).Properties!;

    // Assess
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'sns.amazonaws.com' } })]);
    const [statement] = role.Policies[0].PolicyDocument.Statement;
    expect(statement.Action).toContain('logs:PutLogEvents');
    expect(JSON.stringify(statement.Resource)).toContain('DirectPublishToPhoneNumber*');
    template.hasOutput('SmsDeliveryStatusRoleArn', {});
    template.hasOutput('EmailConfigurationSet', {});
  });
});
