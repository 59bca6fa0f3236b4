import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traceClient } from '../tracing';

/**
 * The DynamoDB client, created once per cold start. Each SDK client has its own module, so a
 * function loads only the SDK packages it uses (loading one client package costs tens of ms of
 * cold start). Endpoints come from the standard `AWS_ENDPOINT_URL_<SERVICE>` variables, which is
 * all the local runtime changes.
 */
export const dynamoDb = traceClient(new DynamoDBClient({}));
export const documentClient = DynamoDBDocumentClient.from(dynamoDb, {
  marshallOptions: { removeUndefinedValues: true },
});
