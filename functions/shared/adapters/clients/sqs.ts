import { SQSClient } from '@aws-sdk/client-sqs';
import { traceClient } from '../tracing';

/**
 * fauxqs hands out queue URLs on `sqs.<region>.localhost`, which does not resolve here; the SDK
 * would otherwise send to the queue URL's host instead of the configured endpoint.
 */
export const sqs = traceClient(new SQSClient({ useQueueUrlAsEndpoint: !process.env.AWS_ENDPOINT_URL_SQS }));
