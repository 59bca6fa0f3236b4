import { Logger } from '@aws-lambda-powertools/logger';

/** One logger per function, created at cold start. Never log card data, phone numbers or emails. */
export const logger = new Logger({ serviceName: 'customer-statements' });
