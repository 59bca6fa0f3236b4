import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BUCKETS, IDEMPOTENCY_TABLE, QUEUES, TABLE, type QueueName } from '../../functions/shared/manifest';

/** Physical names the local runtime gives the manifest's logical resources. */
export const LOCAL_NAMES = {
  table: TABLE.id,
  idempotencyTable: IDEMPOTENCY_TABLE.id,
  attachmentsBucket: BUCKETS.attachments.id.toLowerCase(),
  queue: (name: QueueName) => QUEUES[name].id,
  dlq: (name: QueueName) => `${QUEUES[name].id}Dlq`,
};

export interface QueueUrls {
  url: string;
  dlqUrl: string;
}

const createTable = async (dynamo: DynamoDBClient, input: ConstructorParameters<typeof CreateTableCommand>[0], ttlAttribute: string) => {
  try {
    await dynamo.send(new CreateTableCommand(input));
    await dynamo.send(
      new UpdateTimeToLiveCommand({ TableName: input.TableName, TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
};

/** Creates the single table (same keys, index and stream as the stack) and the idempotency table. */
export const provisionTables = async (dynamo: DynamoDBClient): Promise<{ streamArn: string }> => {
  await createTable(
    dynamo,
    {
      TableName: LOCAL_NAMES.table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [TABLE.pk, TABLE.sk, TABLE.gsi1.pk, TABLE.gsi1.sk].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE.pk, KeyType: 'HASH' },
        { AttributeName: TABLE.sk, KeyType: 'RANGE' },
      ],
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
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    },
    TABLE.ttl,
  );
  await createTable(
    dynamo,
    {
      TableName: LOCAL_NAMES.idempotencyTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE.pk, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.pk, KeyType: 'HASH' }],
    },
    IDEMPOTENCY_TABLE.ttl,
  );
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: LOCAL_NAMES.table }));
  return { streamArn: Table?.LatestStreamArn ?? '' };
};

export const provisionBucket = async (s3: S3Client): Promise<string> => {
  await s3.send(new CreateBucketCommand({ Bucket: LOCAL_NAMES.attachmentsBucket }));
  return LOCAL_NAMES.attachmentsBucket;
};

/** Creates every manifest queue with its dead-letter queue and redrive policy. */
export const provisionQueues = async (sqs: SQSClient): Promise<Record<QueueName, QueueUrls>> => {
  const entries = await Promise.all(
    (Object.keys(QUEUES) as QueueName[]).map(async (name) => {
      const spec = QUEUES[name];
      const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: LOCAL_NAMES.dlq(name) }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
      const { QueueUrl: url } = await sqs.send(
        new CreateQueueCommand({
          QueueName: LOCAL_NAMES.queue(name),
          Attributes: {
            VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: spec.maxReceiveCount }),
          },
        }),
      );
      return [name, { url: url ?? '', dlqUrl: dlqUrl ?? '' }] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<QueueName, QueueUrls>;
};
