import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ENV } from '../manifest';

/**
 * The base URL customers reach the API at. Workers get it from `PUBLIC_BASE_URL`; API handlers
 * derive it from the request (passing the API's own URL into its functions would be a cycle in CDK).
 */
export const publicBaseUrl = (event?: Pick<APIGatewayProxyEvent, 'requestContext'>): string => {
  const configured = process.env[ENV.publicBaseUrl];
  if (configured) return configured.replace(/\/+$/, '');
  const context = event?.requestContext;
  if (context?.domainName) {
    const stage = context.stage && context.stage !== '$default' && !context.domainName.includes(context.stage) ? `/${context.stage}` : '';
    return `https://${context.domainName}${stage}`;
  }
  throw new Error(`Missing environment variable ${ENV.publicBaseUrl}`);
};
