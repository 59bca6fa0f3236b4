import { TABLE } from '../manifest';

/**
 * Key formats of the single table. No key string appears anywhere else.
 * Everything a customer owns shares the partition `CUSTOMER#<id>`, so writes for a location with a
 * million customers spread over a million partitions. See docs/data-model.md.
 */

const key = (pk: string, sk: string) => ({ [TABLE.pk]: pk, [TABLE.sk]: sk }) as { pk: string; sk: string };
const gsi1 = (pk: string, sk: string) => ({ [TABLE.gsi1.pk]: pk, [TABLE.gsi1.sk]: sk }) as { gsi1pk: string; gsi1sk: string };

export const apiKeyKey = (keyId: string) => key(`APIKEY#${keyId}`, 'APIKEY');

export const locationKey = (locationId: string) => key(`LOCATION#${locationId}`, 'LOCATION');

export const customerKey = (customerId: string) => key(`CUSTOMER#${customerId}`, 'CUSTOMER');

/** Lists a location's customers in creation order (ids are time-sortable). */
export const customerListIndexKey = (locationId: string, customerId: string) =>
  gsi1(`LOCATION#${locationId}#CUSTOMERS`, `CUSTOMER#${customerId}`);
export const customerListPartition = (locationId: string) => `LOCATION#${locationId}#CUSTOMERS`;

/** Guards the merchant's own account number: one item per (location, externalId). */
export const externalIdKey = (locationId: string, externalId: string) =>
  key(`LOCATION#${locationId}#EXTERNAL#${externalId}`, 'EXTERNAL_ID');

/** One statement per customer: the key is a function of the customer alone. */
export const statementKey = (customerId: string) => key(`CUSTOMER#${customerId}`, 'STATEMENT');

/** The customer's statement link token and tiny-link code each resolve to the customer. */
export const statementLinkKey = (token: string) => key(`LINK#${token}`, 'LINK');
export const tinyLinkKey = (code: string) => key(`TINY#${code}`, 'TINY');

/** A customer's payments, in time order (payment ids are ULIDs). */
export const paymentKey = (customerId: string, paymentId: string) => key(`CUSTOMER#${customerId}`, `PAYMENT#${paymentId}`);
export const paymentPrefix = 'PAYMENT#';
/** A location's payments in completion order, for the pull API. */
export const paymentListIndexKey = (locationId: string, paymentId: string) =>
  gsi1(`LOCATION#${locationId}#PAYMENTS`, `PAYMENT#${paymentId}`);
export const paymentListPartition = (locationId: string) => `LOCATION#${locationId}#PAYMENTS`;
/**
 * Guards one payment attempt (the pay form's idempotency key, hashed): written in the same
 * transaction as the payment, so a rerun of the attempt finds the payment instead of paying again.
 */
export const paymentAttemptKey = (customerId: string, attemptId: string) => key(`CUSTOMER#${customerId}`, `PAYMENT_ATTEMPT#${attemptId}`);

/** A payment's refunds live next to it in the customer's partition (refund ids are ULIDs). */
export const refundKey = (customerId: string, refundId: string) => key(`CUSTOMER#${customerId}`, `REFUND#${refundId}`);
/**
 * Guards one refund request (location, payment and `Idempotency-Key`, hashed): written in the same
 * transaction as the refund, so a rerun of the request finds the refund instead of refunding again.
 */
export const refundRequestKey = (customerId: string, requestId: string) => key(`CUSTOMER#${customerId}`, `REFUND_REQUEST#${requestId}`);

/** A dispute lives next to its payment, keyed by Stripe's dispute id: a replayed event finds it. */
export const disputeKey = (customerId: string, disputeId: string) => key(`CUSTOMER#${customerId}`, `DISPUTE#${disputeId}`);
/** A failed intent that was never a payment (nothing charged), keyed by the intent id: the merchant is told once. */
export const paymentFailureKey = (customerId: string, intentId: string) => key(`CUSTOMER#${customerId}`, `PAYMENT_FAILURE#${intentId}`);

export const customerPartition = (customerId: string) => `CUSTOMER#${customerId}`;

/**
 * A customer's notification record, keyed by the job id so that a redelivered job finds the record
 * of its first delivery (the send is claimed with a conditional write on this key).
 */
export const notificationKey = (customerId: string, jobId: string) => key(`CUSTOMER#${customerId}`, `NOTIFICATION#${jobId}`);
export const notificationPrefix = 'NOTIFICATION#';
/** Finds a notification from the provider's message id in a bounce, complaint or delivery event. */
export const notificationByMessageIndexKey = (channel: string, providerMessageId: string) => gsi1(`PROVIDER_MESSAGE#${channel}#${providerMessageId}`, 'NOTIFICATION');

/**
 * Notifications waiting for their time (quiet hours, a reminder's day), by release time: a sparse
 * key, set while a record is `scheduled` or `queued` and removed when it is claimed. Spread over a
 * few partitions so a statement run held overnight does not write one hot key; the scheduler
 * queries each for what is due.
 */
export const SCHEDULE_SHARDS = 4;
const shardOf = (jobId: string) => [...jobId].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 7) % SCHEDULE_SHARDS;
export const scheduledPartition = (shard: number) => `SCHEDULED#${shard}`;
export const scheduledIndexKey = (jobId: string, releaseAt: string) => gsi1(scheduledPartition(shardOf(jobId)), `${releaseAt}#${jobId}`);

/** A location's webhook endpoint and signing secrets, next to the location item. */
export const webhookConfigKey = (locationId: string) => key(`LOCATION#${locationId}`, 'WEBHOOK_CONFIG');

/**
 * One item per webhook delivery (its attempts inside), in its own partition so a busy location's
 * retries do not all write to one partition key.
 */
export const webhookDeliveryKey = (deliveryId: string) => key(`WEBHOOK_DELIVERY#${deliveryId}`, 'WEBHOOK_DELIVERY');
/** A location's deliveries, newest first when read backwards (delivery ids are time-sortable). */
export const webhookDeliveryListIndexKey = (locationId: string, deliveryId: string) =>
  gsi1(`LOCATION#${locationId}#WEBHOOK_DELIVERIES`, `DELIVERY#${deliveryId}`);
export const webhookDeliveryListPartition = (locationId: string) => `LOCATION#${locationId}#WEBHOOK_DELIVERIES`;

/** The item-type values stored in `TABLE.type`. */
/**
 * One counter per channel and calendar second: how many send slots of that second are taken. The
 * second is in the partition key, so a run's counters spread over partitions; they expire by TTL.
 */
export const sendSlotsKey = (channel: string, epochSecond: number) => key(`SEND_SLOTS#${channel}#${epochSecond}`, 'SEND_SLOTS');

/** One of a location's webhook lanes: held (with a lease) while an attempt to its endpoint is in flight. */
export const webhookLaneKey = (locationId: string, lane: number) => key(`WEBHOOK_LANE#${locationId}#${lane}`, 'WEBHOOK_LANE');

export const ITEM_TYPES = {
  apiKey: 'API_KEY',
  location: 'LOCATION',
  customer: 'CUSTOMER',
  externalId: 'EXTERNAL_ID',
  statement: 'STATEMENT',
  statementLink: 'STATEMENT_LINK',
  tinyLink: 'TINY_LINK',
  payment: 'PAYMENT',
  paymentAttempt: 'PAYMENT_ATTEMPT',
  refund: 'REFUND',
  refundRequest: 'REFUND_REQUEST',
  notification: 'NOTIFICATION',
  webhookConfig: 'WEBHOOK_CONFIG',
  webhookDelivery: 'WEBHOOK_DELIVERY',
  sendSlots: 'SEND_SLOTS',
  webhookLane: 'WEBHOOK_LANE',
} as const;

/**
 * The item types only Stripe's events write (disputes, failed intents). Apart from `ITEM_TYPES`
 * because esbuild keeps an object whole: the pay function's bundle, which reads `ITEM_TYPES`, stays
 * at its budget exception's size without them.
 */
export const STRIPE_ITEM_TYPES = { dispute: 'DISPUTE', paymentFailure: 'PAYMENT_FAILURE' } as const;
