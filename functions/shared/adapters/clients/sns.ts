import { SNSClient } from '@aws-sdk/client-sns';
import { traceClient } from '../tracing';

export const sns = traceClient(new SNSClient({}));
