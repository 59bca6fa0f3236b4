import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

/** The SES events that reach the feedback queue: what tells us an email did or did not arrive. */
export const EMAIL_FEEDBACK_EVENTS = [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.DELIVERY] as const;

/** Where SNS writes SMS delivery status (`sns/<region>/<account>/DirectPublishToPhoneNumber` and its `/Failure` twin). */
const SMS_LOG_GROUPS = `sns/${Aws.REGION}/${Aws.ACCOUNT_ID}/DirectPublishToPhoneNumber`;

export interface FeedbackProps {
  /** Receives each SES event as raw JSON (`QUEUES.feedback`); its consumer is the feedback worker. */
  readonly queue: sqs.IQueue;
}

/**
 * Delivery feedback from the providers. Email: an SES configuration set whose bounce, complaint and
 * delivery events go to an SNS topic and from there to the feedback queue. SMS: SNS can log each
 * SMS's delivery status to CloudWatch Logs, but that is an account-wide setting (`SetSMSAttributes`,
 * no CloudFormation resource); this construct only makes the role SNS needs for it, and
 * docs/stack.md gives the one command that turns it on.
 */
export class Feedback extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly emailEventsTopic: sns.Topic;
  readonly smsDeliveryStatusRole: iam.Role;

  constructor(scope: Construct, id: string, props: FeedbackProps) {
    super(scope, id);
    this.configurationSet = new ses.ConfigurationSet(this, 'EmailConfigurationSet', {
      reputationMetrics: true,
      // Addresses that bounced or complained are not mailed again (the account's suppression list).
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // The email carries the customer's statement link, which is the credential to the statement page.
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });

    this.emailEventsTopic = new sns.Topic(this, 'EmailEventsTopic', { displayName: 'Customer Statements email events', enforceSSL: true });
    acknowledge(this.emailEventsTopic, {
      'AwsSolutions-SNS2':
        'SES cannot publish to a topic under the AWS-managed SNS key; a customer-managed key would cost a fixed $1 a month for events that pass straight through to the SSE-encrypted feedback queue.',
    });
    // Raw delivery: the queue receives the SES event itself, not an SNS envelope around it.
    this.emailEventsTopic.addSubscription(new SqsSubscription(props.queue, { rawMessageDelivery: true }));
    this.configurationSet.addEventDestination('ToEmailEventsTopic', {
      destination: ses.EventDestination.snsTopic(this.emailEventsTopic),
      events: [...EMAIL_FEEDBACK_EVENTS],
    });

    this.smsDeliveryStatusRole = new iam.Role(this, 'SmsDeliveryStatusRole', {
      description: 'Lets SNS write SMS delivery status to CloudWatch Logs (aws sns set-sms-attributes DeliveryStatusIAMRole=...).',
      assumedBy: new iam.ServicePrincipal('sns.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      inlinePolicies: {
        WriteSmsDeliveryStatus: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy'],
              resources: [`arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${SMS_LOG_GROUPS}*`],
            }),
          ],
        }),
      },
    });
    acknowledge(this.smsDeliveryStatusRole, {
      // Pseudo-parameters (not the stack's env) keep this finding's name the same with or without a concrete account.
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber*]':
        'SNS names its two SMS log groups and their streams itself; the wildcard covers only sns/<region>/<account>/DirectPublishToPhoneNumber*.',
    });
  }
}
