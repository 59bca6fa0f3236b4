import type { Template } from 'aws-cdk-lib/assertions';
import { QUEUES } from '../../functions/shared/manifest';
import { WIDGETS } from '../../lib/constructs/observability';
import { synthTemplate } from './synth';
import { dashboardBody, logicalId, ofType, referencedIds } from './template-helpers';

describe('the prod stack', () => {
  let template: Template;

  beforeAll(() => {
    // Prepare
    template = synthTemplate('prod');
  });

  it('has the dashboard, titled for prod, with every widget', () => {
    // Act
    const body = dashboardBody(template);

    // Assess
    expect(body).toContain('# Customer Statements (prod)');
    for (const title of Object.values(WIDGETS)) expect(body).toContain(`"title":"${title}"`);
  });

  it('has every alarm, each notifying the alarm topic', () => {
    // Act
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties!);
    const topic = logicalId(template, 'AWS::SNS::Topic', 'QueuesAlarmTopic');

    // Assess: six in Observability, two per queue, the stream failure depth and the router's iterator age.
    expect(alarms).toHaveLength(6 + 2 * Object.keys(QUEUES).length + 2);
    for (const alarm of alarms) expect(referencedIds(alarm.AlarmActions)).toEqual([topic]);
  });

  it('has the SES configuration set with its event destination', () => {
    // Assess
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 1);
  });
});
