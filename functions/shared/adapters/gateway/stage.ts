import type { ProcessorName } from '../../../domain/processor';
import { optionalEnv } from '../env';
import { ENV } from '../../manifest';

/**
 * The processor of this stage, from `PAYMENT_GATEWAY` (default `sandbox`; the stack sets it from
 * CDK context). Its own module so the statement page can ask without loading any adapter.
 */
export const stageProcessor = (): ProcessorName => {
  const name = optionalEnv(ENV.paymentGateway, 'sandbox');
  if (name === 'sandbox' || name === 'stripe') return name;
  throw new Error(`Unknown payment gateway ${name}`);
};
