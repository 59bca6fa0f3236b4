import type { PaymentGateway } from '../../../domain/payments';
import { optionalEnv } from '../env';
import { ENV } from '../../manifest';
import { sandboxGateway, type SandboxGateway } from './sandbox';
import { stripeGateway } from './stripe';
import { stripeClient } from './stripe-client';
import { stageProcessor } from './stage';

export { stageProcessor };

let sandbox: SandboxGateway | undefined;

/** The sandbox adapter of this process (one per Lambda instance / local runtime). */
export const sandboxInstance = (): SandboxGateway =>
  (sandbox ??= sandboxGateway({ latencyMs: Number(optionalEnv(ENV.sandboxGatewayLatencyMs, '300')) }));

/**
 * The gateway that charges into a processor account: the sandbox takes every location's test cards;
 * Stripe charges the location's connected account, and a location without one cannot take cards
 * (undefined). See docs/payments.md.
 */
export const gatewayFor = (account: string | undefined): PaymentGateway | undefined => {
  if (stageProcessor() === 'sandbox') return sandboxInstance();
  return account ? stripeGateway({ stripe: stripeClient, account }) : undefined;
};
