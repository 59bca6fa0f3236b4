import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseCustomDomains, parseEmailSender, parsePaymentConfig, parseStage, parseThroughput } from '../lib/config';
import { StatementsStack } from '../lib/statements-stack';

const app = new App();
const stage = parseStage(app.node.tryGetContext('stage'));

new StatementsStack(app, `CustomerStatements-${stage}`, {
  stage,
  emailSender: parseEmailSender(app.node.tryGetContext('emailSender'), stage),
  alarmEmail: app.node.tryGetContext('alarmEmail'),
  domains: parseCustomDomains((key) => app.node.tryGetContext(key)),
  payments: parsePaymentConfig((key) => app.node.tryGetContext(key), stage),
  throughput: parseThroughput((key) => app.node.tryGetContext(key)),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

// Synthesis fails on any AwsSolutions finding that is neither fixed nor acknowledged with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
