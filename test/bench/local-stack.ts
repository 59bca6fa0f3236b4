import { startLocalStack, type LocalStack } from '../../bin/local/stack';
import { STACK_ENV } from '../support/stack-info';

/**
 * The local stack in this process (so the SDK call counter sees the handlers' clients), described
 * the way `test/support` expects, so the benchmark reuses the tests' helpers (merchants, forms,
 * receivers) instead of its own copies.
 */
export const startBenchStack = async (options: { workers: boolean }): Promise<LocalStack> => {
  const stack = await startLocalStack({ port: 0, workers: options.workers, log: () => undefined });
  process.env[STACK_ENV] = JSON.stringify({ url: stack.url, endpoints: stack.endpoints, names: stack.names, lambdaEnvironment: stack.lambdaEnvironment });
  return stack;
};
