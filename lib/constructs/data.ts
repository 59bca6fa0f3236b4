import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { IDEMPOTENCY_TABLE, TABLE } from '../../functions/shared/manifest';
import { acknowledge } from './nag';

export interface DataProps {
  /** What happens to the tables when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

const { STRING } = dynamodb.AttributeType;

/**
 * The single table, derived from `TABLE` in the manifest (key formats live in `table/keys.ts`), and
 * the Powertools idempotency table. Logical IDs are pinned to the manifest's construct IDs: a changed
 * logical ID makes CloudFormation replace the table, which loses its data (CDK guide, best practices).
 */
export class Data extends Construct {
  readonly table: dynamodb.Table;
  readonly idempotencyTable: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.table = new dynamodb.Table(this, TABLE.id, {
      partitionKey: { name: TABLE.pk, type: STRING },
      sortKey: { name: TABLE.sk, type: STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // The stream router needs both images to tell a changed balance from a no-op replacement.
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TABLE.ttl,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.gsi1.name,
      partitionKey: { name: TABLE.gsi1.pk, type: STRING },
      sortKey: { name: TABLE.gsi1.sk, type: STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    pinLogicalId(this.table, TABLE.id);

    // Idempotency records are short-lived caches of responses: no stream, no PITR needed.
    this.idempotencyTable = new dynamodb.Table(this, IDEMPOTENCY_TABLE.id, {
      partitionKey: { name: IDEMPOTENCY_TABLE.pk, type: STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: IDEMPOTENCY_TABLE.ttl,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    pinLogicalId(this.idempotencyTable, IDEMPOTENCY_TABLE.id);
    acknowledge(this.idempotencyTable, { 'AwsSolutions-DDB3': 'Records live 24 hours at most; restoring them would replay nothing useful.' });
  }
}

/** Keeps a stateful resource's logical ID independent of where its construct sits in the tree. */
export const pinLogicalId = (construct: Construct, logicalId: string): void => {
  (construct.node.defaultChild as CfnResource).overrideLogicalId(logicalId);
};
