import { Match, type Template } from 'aws-cdk-lib/assertions';
import { BUCKETS, IDEMPOTENCY_TABLE, TABLE } from '../../functions/shared/manifest';
import { synthTemplate } from './synth';
import { resource } from './template-helpers';

describe('the stack\'s data stores', () => {
  let template: Template;

  beforeAll(() => {
    // Prepare
    template = synthTemplate();
  });

  it('keeps the table\'s logical ID (a new one would make CloudFormation replace the table and lose its data)', () => {
    // Act
    const table = resource(template, TABLE.id);

    // Assess
    expect(table.Type).toBe('AWS::DynamoDB::Table');
  });

  it('keys the table by pk/sk with gsi1, on demand, with PITR, KMS encryption, a NEW_AND_OLD_IMAGES stream and TTL', () => {
    // Act
    const { Properties } = resource(template, TABLE.id);

    // Assess
    expect(Properties).toMatchObject({
      KeySchema: [
        { AttributeName: TABLE.pk, KeyType: 'HASH' },
        { AttributeName: TABLE.sk, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: TABLE.ttl, Enabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: TABLE.gsi1.name,
          KeySchema: [
            { AttributeName: TABLE.gsi1.pk, KeyType: 'HASH' },
            { AttributeName: TABLE.gsi1.sk, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    expect(Properties!.AttributeDefinitions).toEqual(
      expect.arrayContaining([TABLE.pk, TABLE.sk, TABLE.gsi1.pk, TABLE.gsi1.sk].map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
  });

  it('sets an explicit removal policy on the stateful resources', () => {
    // Assess
    for (const id of [TABLE.id, IDEMPOTENCY_TABLE.id, BUCKETS.attachments.id]) {
      expect({ id, policy: (resource(template, id) as { DeletionPolicy?: string }).DeletionPolicy }).toEqual({ id, policy: expect.any(String) });
    }
  });

  it('retains the table and the bucket, and protects the table from deletion, in prod', () => {
    // Act
    const prod = synthTemplate('prod');

    // Assess
    expect((resource(prod, TABLE.id) as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
    expect((resource(prod, BUCKETS.attachments.id) as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
    expect(resource(prod, TABLE.id).Properties!.DeletionProtectionEnabled).toBe(true);
  });

  it('has the Powertools idempotency table keyed by id with the expiration TTL', () => {
    // Act
    const { Properties } = resource(template, IDEMPOTENCY_TABLE.id);

    // Assess
    expect(Properties).toMatchObject({
      KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.pk, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TABLE.ttl, Enabled: true },
    });
  });

  it('keeps attachments in a private, encrypted bucket', () => {
    // Act
    const { Properties } = resource(template, BUCKETS.attachments.id);

    // Assess
    expect(Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  it('refuses every request to the bucket that is not over TLS', () => {
    // Assess
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: BUCKETS.attachments.id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});
