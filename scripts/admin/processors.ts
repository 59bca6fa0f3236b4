import { readProcessorLink } from '../../functions/domain/processor';
import { locationsRepo } from '../../functions/shared/repos/locations';
import { LOCATION_ID } from './api-keys';
import type { AdminCommands, AdminTarget } from './support/types';

const checkLocation = (location: string | undefined): string => {
  if (location === undefined || !LOCATION_ID.test(location)) throw new Error(`--location must look like loc_<id>; got ${JSON.stringify(location)}.`);
  return location;
};

/**
 * Connects a Service Location to its Stripe connected account (`acct_…`, from the platform's
 * Connect dashboard): its customers' payments are then made on that account. The id is not secret;
 * the platform key that acts on it stays in Secrets Manager.
 */
export const connectProcessor = async (target: AdminTarget, args: { location?: string; 'stripe-account'?: string }) => {
  const locationId = checkLocation(args.location);
  const link = readProcessorLink({ processor: 'stripe', accountId: args['stripe-account'], connectedAt: new Date().toISOString() });
  if (!link) throw new Error(`--stripe-account must be a Stripe connected account id such as acct_1Nv0FGQ9RKHgCVdK; got ${JSON.stringify(args['stripe-account'])}.`);
  if (!(await locationsRepo(target.tableName, target.documents).setProcessor(locationId, link))) throw new Error(`No Service Location ${locationId}.`);
  return { locationId, processor: link };
};

/** Shows the location's processor account, or that it has none (its customers then see whom to contact). */
export const showProcessor = async (target: AdminTarget, args: { location?: string }) => {
  const locationId = checkLocation(args.location);
  const found = await locationsRepo(target.tableName, target.documents).processor(locationId);
  if (!found.exists) throw new Error(`No Service Location ${locationId}.`);
  return { locationId, processor: found.processor ?? null };
};

/** Disconnects the location: in a Stripe stage its statement page stops offering card payment. */
export const removeProcessor = async (target: AdminTarget, args: { location?: string }) => {
  const locationId = checkLocation(args.location);
  if (!(await locationsRepo(target.tableName, target.documents).setProcessor(locationId, undefined))) throw new Error(`No Service Location ${locationId}.`);
  return { locationId, processor: null };
};

export const processorCommands: AdminCommands = {
  'connect-processor': {
    summary: "Connect a location to its Stripe connected account (--stripe-account acct_…)",
    options: ['location', 'stripe-account'],
    required: ['location', 'stripe-account'],
    run: connectProcessor,
  },
  'show-processor': { summary: "Show a location's processor account", options: ['location'], required: ['location'], run: showProcessor },
  'remove-processor': { summary: "Disconnect a location's processor account", options: ['location'], required: ['location'], run: removeProcessor },
};
