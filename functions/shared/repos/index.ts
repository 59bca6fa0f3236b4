import { requireEnv } from '../adapters/env';
import { ENV } from '../manifest';
import { apiKeysRepo } from './api-keys';
import { locationsRepo } from './locations';
import { customersRepo } from './customers';
import { statementsRepo } from './statements';
import { webhookConfigsRepo } from './webhook-configs';
import { webhookDeliveriesRepo } from './webhook-deliveries';
import { eventSubjectsRepo } from './event-subjects';
import { notificationsRepo } from './notifications';
import { linksRepo } from './links';
import { locationAddressRepo } from './location-address';
import { sendSlotsRepo } from './send-slots';
import { webhookLanesRepo } from './webhook-lanes';
export type { LinkTarget, StatementPageData } from './links';
import { paymentStoreRepo, paymentsRepo } from './payments';

/**
 * Repositories bound to the table named in the environment, created on first use so that a
 * module importing this file does not need every variable. `@__PURE__` lets esbuild drop the
 * repositories a function never calls, and with them their modules' code.
 */
const once = <T>(make: () => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

export const apiKeys = /* @__PURE__ */ once(() => apiKeysRepo(requireEnv(ENV.table)));
export const locations = /* @__PURE__ */ once(() => locationsRepo(requireEnv(ENV.table)));
/** Only a location's address (set-customer reads the country of a national-format phone number). */
export const locationAddresses = /* @__PURE__ */ once(() => locationAddressRepo(requireEnv(ENV.table)));
export const customers = /* @__PURE__ */ once(() => customersRepo(requireEnv(ENV.table)));
export const statements = /* @__PURE__ */ once(() => statementsRepo(requireEnv(ENV.table)));
export const webhookConfigs = /* @__PURE__ */ once(() => webhookConfigsRepo(requireEnv(ENV.table)));
export const webhookDeliveries = /* @__PURE__ */ once(() => webhookDeliveriesRepo(requireEnv(ENV.table)));
export const eventSubjects = /* @__PURE__ */ once(() => eventSubjectsRepo(requireEnv(ENV.table)));
export const notifications = /* @__PURE__ */ once(() => notificationsRepo(requireEnv(ENV.table)));
export const links = /* @__PURE__ */ once(() => linksRepo(requireEnv(ENV.table)));
export const sendSlots = /* @__PURE__ */ once(() => sendSlotsRepo(requireEnv(ENV.table)));
export const webhookLanes = /* @__PURE__ */ once(() => webhookLanesRepo(requireEnv(ENV.table)));
export const payments = /* @__PURE__ */ once(() => paymentsRepo(requireEnv(ENV.table)));
/** Only what settling a payment needs (the pay function). */
export const paymentStore = /* @__PURE__ */ once(() => paymentStoreRepo(requireEnv(ENV.table)));
