import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { stackInfo } from './stack-info';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';

/** SDK clients pointed at the test run's emulators, for Prepare and Assess steps. */
export const testClients = () => {
  const { endpoints } = stackInfo();
  const dynamo = new DynamoDBClient({ region, credentials, endpoint: endpoints.dynamoDb });
  return {
    dynamo,
    documents: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    s3: new S3Client({ region, credentials, endpoint: endpoints.fauxqs, forcePathStyle: true }),
    sqs: new SQSClient({ region, credentials, endpoint: endpoints.fauxqs, useQueueUrlAsEndpoint: false }),
  };
};
