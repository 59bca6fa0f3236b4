import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { SESClient } from '@aws-sdk/client-ses';

/**
 * SDK clients, created once per cold start. Endpoints come from the standard
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, which is all the local runtime changes.
 */
export const dynamoDb = new DynamoDBClient({});
export const documentClient = DynamoDBDocumentClient.from(dynamoDb, {
  marshallOptions: { removeUndefinedValues: true },
});
// S3 emulators answer path-style requests only; on AWS virtual-hosted style is the default.
export const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
// fauxqs hands out queue URLs on `sqs.<region>.localhost`, which does not resolve here; the SDK
// would otherwise send to the queue URL's host instead of the configured endpoint.
export const sqs = new SQSClient({ useQueueUrlAsEndpoint: !process.env.AWS_ENDPOINT_URL_SQS });
export const sns = new SNSClient({});
export const ses = new SESClient({});
