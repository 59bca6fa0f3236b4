import { S3Client } from '@aws-sdk/client-s3';
import { traceClient } from '../tracing';

/** S3 emulators answer path-style requests only; on AWS virtual-hosted style is the default. */
export const s3 = traceClient(new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) }));
