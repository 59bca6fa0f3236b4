import { SESClient } from '@aws-sdk/client-ses';
import { traceClient } from '../tracing';

export const ses = traceClient(new SESClient({}));
