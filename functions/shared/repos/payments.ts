import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { currentCorrelationId } from '../adapters/powertools';
import {
  customerKey,
  customerPartition,
  ITEM_TYPES,
  locationKey,
  paymentAttemptKey,
  paymentKey,
  paymentListIndexKey,
  paymentListPartition,
  paymentPrefix,
  refundKey,
  refundRequestKey,
  statementKey,
} from '../table/keys';
import { TABLE } from '../manifest';
import { batchGet } from '../table/batch-get';
import { transact } from '../table/conditions';
import { decodeCursor, encodeCursor, type Page } from '../table/cursor';
import type { PayableStatement, PaymentRecord } from '../../domain/payments';
import type { RefundRecord } from '../../domain/refunds';
import { DEFAULT_CURRENCY } from '../../domain/money';
import type { PaymentStore } from '../../domain/settle-payment';
import { clock } from '../adapters/clock';

const PAYMENT_FIELDS = [
  'paymentId', 'locationId', 'customerId', 'statementId', 'statementVersion', 'amountMinor', 'currency', 'remainingBeforeMinor',
  'remainingAfterMinor', 'cardBrand', 'cardLast4', 'cardExpMonth', 'cardExpYear', 'gatewayReference', 'completedAt', 'status', 'refundedMinor',
  'gatewayAccount',
] as const;

const REFUND_FIELDS = [
  'refundId', 'paymentId', 'locationId', 'customerId', 'statementId', 'amountMinor', 'currency', 'reason', 'paymentAmountMinor',
  'refundedTotalMinor', 'gatewayReference', 'refundedAt', 'status',
] as const;

const toRefund = (item: Record<string, unknown>): RefundRecord =>
  Object.fromEntries(REFUND_FIELDS.map((f) => [f, item[f]])) as unknown as RefundRecord;

const toPayment = (item: Record<string, unknown>): PaymentRecord =>
  Object.fromEntries(PAYMENT_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])) as unknown as PaymentRecord;

/** The connected account on a location item (`processor`, set by `npm run admin -- connect-processor`). */
export const processorAccountOf = (location: Record<string, unknown>): { processorAccount?: string } => {
  const accountId = (location.processor as { accountId?: unknown } | undefined)?.accountId;
  return typeof accountId === 'string' ? { processorAccount: accountId } : {};
};

/** Attempt guards outlive the 48 h idempotency records, then expire through the table's TTL. */
const ATTEMPT_GUARD_SECONDS = 7 * 24 * 60 * 60;

/**
 * What settling a payment needs (`domain/settle-payment.ts`'s port) and nothing else, so the pay
 * function's bundle leaves out listings and refunds.
 */
export const paymentStoreRepo = (tableName: string, client = documentClient) => {
  const get = async (customerId: string, paymentId: string): Promise<PaymentRecord | undefined> => {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: paymentKey(customerId, paymentId), ConsistentRead: true }));
    return Item ? toPayment(Item) : undefined;
  };

  const paymentOfAttempt = async (customerId: string, attemptId: string): Promise<PaymentRecord | undefined> => {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: paymentAttemptKey(customerId, attemptId), ConsistentRead: true }));
    return typeof Item?.paymentId === 'string' ? get(customerId, Item.paymentId) : undefined;
  };

  const store: PaymentStore = {
    /** The statement, its location's currency and an earlier run's payment: one BatchGetItem. */
    async loadForPayment(customerId, locationId, attemptId) {
      const [statement, location, guard] = await batchGet(
        tableName,
        [statementKey(customerId), locationKey(locationId), paymentAttemptKey(customerId, attemptId)],
        client,
      );
      const priorPayment = typeof guard?.paymentId === 'string' ? await get(customerId, guard.paymentId) : undefined;
      if (!statement || !location || statement.locationId !== locationId) return { priorPayment };
      const payable: PayableStatement = {
        customerId,
        locationId,
        statementId: statement.statementId as string | undefined,
        version: Number(statement.version ?? 0),
        remainingMinor: Number(statement.remainingMinor ?? 0),
        currency: String(location.currency ?? DEFAULT_CURRENCY),
        ...processorAccountOf(location),
      };
      return { statement: payable, priorPayment };
    },

    /**
     * The payment, its attempt guard and the statement's new paid/remaining amounts in one
     * transaction. The statement condition is what keeps the balance from going below zero when
     * two tabs pay at once, and what refuses a payment against a replaced statement.
     */
    async record(payment, attemptId) {
      const now = Math.floor(clock.now().getTime() / 1000);
      const written = await transact(client, [
        [
          'payment',
          {
            Put: {
              TableName: tableName,
              Item: {
                ...paymentKey(payment.customerId, payment.paymentId),
                ...paymentListIndexKey(payment.locationId, payment.paymentId),
                [TABLE.type]: ITEM_TYPES.payment,
                ...payment,
                ...(currentCorrelationId() ? { correlationId: currentCorrelationId() } : {}),
              },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': TABLE.pk },
            },
          },
        ],
        [
          'attemptGuard',
          {
            Put: {
              TableName: tableName,
              Item: {
                ...paymentAttemptKey(payment.customerId, attemptId),
                [TABLE.type]: ITEM_TYPES.paymentAttempt,
                paymentId: payment.paymentId,
                [TABLE.ttl]: now + ATTEMPT_GUARD_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': TABLE.pk },
            },
          },
        ],
        [
          'statement',
          {
            Update: {
              TableName: tableName,
              Key: statementKey(payment.customerId),
              UpdateExpression: 'SET paidMinor = paidMinor + :amount, remainingMinor = remainingMinor - :amount, lastPaymentAt = :at',
              ConditionExpression: 'version = :version AND remainingMinor >= :amount AND locationId = :location',
              ExpressionAttributeValues: {
                ':amount': payment.amountMinor,
                ':version': payment.statementVersion,
                ':location': payment.locationId,
                ':at': payment.completedAt,
              },
            },
          },
        ],
      ]);
      if (written.ok) return { result: 'recorded' };
      if (written.failed.has('attemptGuard')) {
        const earlier = await paymentOfAttempt(payment.customerId, attemptId);
        if (earlier) return { result: 'duplicate', payment: earlier };
      }
      if (written.failed.has('statement')) return { result: 'conflict' };
      throw written.cause;
    },
  };

  return { ...store, get };
};

/** Payments as the merchant API reads them: listings and refunds, on top of the settle store. */
export const paymentsRepo = (tableName: string, client = documentClient) => {
  const store = paymentStoreRepo(tableName, client);
  // Inside the factory, so the pay function's bundle (which tree-shakes this factory away) stays byte for byte as it was.
  const disputeFields = ['disputeId', 'disputeStatus', 'disputedMinor', 'disputeReason'] as const;
  /** A payment as the listings show it: with its dispute, when there is one (the settle store leaves those fields out). */
  const toListedPayment = (item: Record<string, unknown>): PaymentRecord => ({
    ...toPayment(item),
    ...Object.fromEntries(disputeFields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])),
  });
  const refundOfRequest = async (customerId: string, requestId: string): Promise<RefundRecord | undefined> => {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: refundRequestKey(customerId, requestId), ConsistentRead: true }));
    if (typeof Item?.refundId !== 'string') return undefined;
    const { Item: refund } = await client.send(new GetCommand({ TableName: tableName, Key: refundKey(customerId, Item.refundId), ConsistentRead: true }));
    return refund ? toRefund(refund) : undefined;
  };

  return {
    ...store,
    refundOfRequest,

    /**
     * A payment of the location by id alone: the location's payment index holds only its own
     * payments, so another tenant's payment id finds nothing. Then a consistent read of the item.
     */
    async findInLocation(locationId: string, paymentId: string): Promise<PaymentRecord | undefined> {
      const { Items } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE.gsi1.name,
          KeyConditionExpression: '#pk = :pk AND #sk = :sk',
          ExpressionAttributeNames: { '#pk': TABLE.gsi1.pk, '#sk': TABLE.gsi1.sk },
          ExpressionAttributeValues: {
            ':pk': paymentListPartition(locationId),
            ':sk': paymentListIndexKey(locationId, paymentId)[TABLE.gsi1.sk],
          },
        }),
      );
      const customerId = Items?.[0]?.customerId;
      if (typeof customerId !== 'string') return undefined;
      const payment = await store.get(customerId, paymentId);
      return payment?.locationId === locationId ? payment : undefined;
    },

    /**
     * The refund, its request guard and the payment's new refunded total in one transaction. The
     * payment condition (refunded total unchanged since it was read, and within what was paid) is
     * what keeps two refunds from ever returning more than the payment took.
     */
    async recordRefund(refund: RefundRecord, requestId: string, refundedBeforeMinor: number): Promise<{ result: 'recorded' } | { result: 'duplicate'; refund: RefundRecord } | { result: 'conflict' }> {
      const unchanged = refundedBeforeMinor === 0 ? '(attribute_not_exists(refundedMinor) OR refundedMinor = :before)' : 'refundedMinor = :before';
      const written = await transact(client, [
        [
          'refund',
          {
            Put: {
              TableName: tableName,
              Item: { ...refundKey(refund.customerId, refund.refundId), [TABLE.type]: ITEM_TYPES.refund, ...refund },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': TABLE.pk },
            },
          },
        ],
        [
          'requestGuard',
          {
            Put: {
              TableName: tableName,
              Item: { ...refundRequestKey(refund.customerId, requestId), [TABLE.type]: ITEM_TYPES.refundRequest, refundId: refund.refundId },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': TABLE.pk },
            },
          },
        ],
        [
          'payment',
          {
            Update: {
              TableName: tableName,
              Key: paymentKey(refund.customerId, refund.paymentId),
              UpdateExpression: 'SET refundedMinor = :after, lastRefundAt = :at',
              ConditionExpression: `locationId = :location AND #status = :completed AND amountMinor >= :after AND ${unchanged}`,
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':after': refund.refundedTotalMinor,
                ':before': refundedBeforeMinor,
                ':location': refund.locationId,
                ':completed': 'completed',
                ':at': refund.refundedAt,
              },
            },
          },
        ],
      ]);
      if (written.ok) return { result: 'recorded' };
      if (written.failed.has('requestGuard')) {
        const earlier = await refundOfRequest(refund.customerId, requestId);
        if (earlier) return { result: 'duplicate', refund: earlier };
      }
      if (written.failed.has('payment')) return { result: 'conflict' };
      throw written.cause;
    },

    async getRefund(customerId: string, refundId: string): Promise<RefundRecord | undefined> {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: refundKey(customerId, refundId), ConsistentRead: true }));
      return Item ? toRefund(Item) : undefined;
    },

    /** The customer's payments, newest first; `undefined` when the customer is not the location's. */
    async listForCustomer(locationId: string, customerId: string, limit: number, cursor?: string): Promise<Page<PaymentRecord> | undefined> {
      const partition = customerPartition(customerId);
      const [{ Item: customer }, { Items, LastEvaluatedKey }] = await Promise.all([
        client.send(new GetCommand({ TableName: tableName, Key: customerKey(customerId), ProjectionExpression: 'locationId' })),
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
            ExpressionAttributeNames: { '#pk': TABLE.pk, '#sk': TABLE.sk },
            ExpressionAttributeValues: { ':pk': partition, ':prefix': paymentPrefix },
            ScanIndexForward: false,
            Limit: limit,
            ExclusiveStartKey: decodeCursor(cursor, { [TABLE.pk]: partition }),
          }),
        ),
      ]);
      if (customer?.locationId !== locationId) return undefined;
      return { items: (Items ?? []).map(toListedPayment), nextCursor: encodeCursor(LastEvaluatedKey) };
    },

    /**
     * The location's payments after a cursor, oldest first (payment ids are time-sortable ULIDs),
     * for reconciliation. The cursor names the last payment seen, so it can be stored and polled.
     */
    async listForLocation(locationId: string, limit: number, afterPaymentId?: string): Promise<{ items: PaymentRecord[]; hasMore: boolean }> {
      const partition = paymentListPartition(locationId);
      const after = afterPaymentId ? paymentListIndexKey(locationId, afterPaymentId)[TABLE.gsi1.sk] : paymentPrefix;
      const { Items, LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE.gsi1.name,
          KeyConditionExpression: '#pk = :pk AND #sk > :after',
          ExpressionAttributeNames: { '#pk': TABLE.gsi1.pk, '#sk': TABLE.gsi1.sk },
          ExpressionAttributeValues: { ':pk': partition, ':after': after },
          Limit: limit,
        }),
      );
      return { items: (Items ?? []).map(toListedPayment), hasMore: Boolean(LastEvaluatedKey) };
    },
  };
};
