import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Records why a cdk-nag AwsSolutions finding is accepted on a construct and everything under it.
 * IDs with a `[...]` part name one finding (e.g. one wildcard resource), as cdk-nag 3 reports them.
 */
export const acknowledge = (scope: IConstruct, findings: Record<string, string>): void => {
  for (const [id, reason] of Object.entries(findings)) Validations.of(scope).acknowledge({ id, reason });
};
