import { requireEnv } from '../env';
import { ENV } from '../manifest';
import { apiKeysRepo } from './api-keys';
import { locationsRepo } from './locations';
import { customersRepo } from './customers';
import { statementsRepo } from './statements';
import { webhookConfigsRepo, webhookDeliveriesRepo } from './webhooks';
import { notificationsRepo } from './notifications';
import { linksRepo } from './links';
export type { LinkTarget, StatementPageData } from './links';
import { paymentsRepo } from './payments';

/**
 * Repositories bound to the table named in the environment, created on first use so that a
 * module importing this file does not need every variable.
 */
const once = <T>(make: () => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

export const apiKeys = once(() => apiKeysRepo(requireEnv(ENV.table)));
export const locations = once(() => locationsRepo(requireEnv(ENV.table)));
export const customers = once(() => customersRepo(requireEnv(ENV.table)));
export const statements = once(() => statementsRepo(requireEnv(ENV.table)));
export const webhookConfigs = once(() => webhookConfigsRepo(requireEnv(ENV.table)));
export const webhookDeliveries = once(() => webhookDeliveriesRepo(requireEnv(ENV.table)));
export const notifications = once(() => notificationsRepo(requireEnv(ENV.table)));
export const links = once(() => linksRepo(requireEnv(ENV.table)));
export const payments = once(() => paymentsRepo(requireEnv(ENV.table)));
