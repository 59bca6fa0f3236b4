import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BUCKETS } from '../../functions/shared/manifest';
import { pinLogicalId } from './data';
import { acknowledge } from './nag';

export interface StorageProps {
  /**
   * What happens to the bucket when the stack is deleted. CloudFormation cannot delete a bucket
   * that still holds objects; `autoDeleteObjects` is left off on purpose (it adds a custom-resource
   * Lambda that may empty a bucket of statements).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Statement PDF attachments: private, encrypted, TLS only. Customers get short-lived signed links. */
export class Storage extends Construct {
  readonly attachments: s3.Bucket;

  constructor(scope: Construct, id: string, props: StorageProps = {}) {
    super(scope, id);
    this.attachments = new s3.Bucket(this, BUCKETS.attachments.id, {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      // A replaced statement's old PDF stays readable for a while for support, then goes.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.attachments, BUCKETS.attachments.id);
    acknowledge(this.attachments, {
      'AwsSolutions-S1': 'Only the functions\' roles and short-lived signed URLs reach the objects; CloudTrail data events are the audit trail if one is needed.',
    });
  }
}
