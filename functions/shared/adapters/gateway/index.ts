import type { PaymentGateway } from '../../../domain/payments';
import { optionalEnv } from '../env';
import { ENV } from '../../manifest';
import { sandboxGateway, type SandboxGateway } from './sandbox';

let sandbox: SandboxGateway | undefined;

/** The sandbox adapter of this process (one per Lambda instance / local runtime). */
export const sandboxInstance = (): SandboxGateway =>
  (sandbox ??= sandboxGateway({ latencyMs: Number(optionalEnv(ENV.sandboxGatewayLatencyMs, '300')) }));

/**
 * The adapter named by `PAYMENT_GATEWAY` (default `sandbox`). A real processor's adapter is added
 * here, next to the sandbox (docs/payments.md).
 */
export const paymentGateway = (): PaymentGateway => {
  const name = optionalEnv(ENV.paymentGateway, 'sandbox');
  if (name === 'sandbox') return sandboxInstance();
  throw new Error(`Unknown payment gateway ${name}`);
};
