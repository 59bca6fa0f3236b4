import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { customerKey, disputeKey, paymentFailureKey, paymentKey, refundKey } from '../table/keys';
import type { CustomerRecord, PaymentRecord } from '../../domain/webhook-event';
import type { RefundRecord } from '../../domain/refunds';
import type { DisputeRecord } from '../../domain/disputes';
import type { PaymentFailureRecord } from '../../domain/payment-failures';

/** The records a webhook event is about (a payment, a refund, a customer), read consistently in one round trip each. */
export const eventSubjectsRepo = (tableName: string, client = documentClient) => {
  /** An item and its customer, consistently, in one round trip. */
  const withCustomer = async <T>(key: { pk: string; sk: string }, customerId: string, what: string): Promise<{ item?: T; customer?: CustomerRecord }> => {
    const { Responses, UnprocessedKeys } = await client.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [key, customerKey(customerId)], ConsistentRead: true } } }),
    );
    if (UnprocessedKeys?.[tableName]?.Keys?.length) throw new Error(`${what} read throttled`);
    const items = Responses?.[tableName] ?? [];
    return { item: items.find((i) => i.sk === key.sk) as T | undefined, customer: items.find((i) => i.sk === customerKey(customerId).sk) as CustomerRecord | undefined };
  };
  return {
    /** A customer, for the merchant's externalId in an event about them. */
    async customer(customerId: string): Promise<CustomerRecord | undefined> {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: customerKey(customerId) }));
      return Item ? { customerId, externalId: (Item.externalId as string | undefined) ?? null } : undefined;
    },

    /** The payment an event is about and its customer (for the merchant's externalId), in one round trip. */
    async paymentWithCustomer(customerId: string, paymentId: string): Promise<{ payment?: PaymentRecord & { status?: string }; customer?: CustomerRecord }> {
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [paymentKey(customerId, paymentId), customerKey(customerId)], ConsistentRead: true } } }),
      );
      // Throttled keys come back unprocessed: fail the job (it is retried) rather than take the payment for missing.
      if (UnprocessedKeys?.[tableName]?.Keys?.length) throw new Error('payment read throttled');
      const items = Responses?.[tableName] ?? [];
      return {
        payment: items.find((i) => i.sk === paymentKey(customerId, paymentId).sk) as (PaymentRecord & { status?: string }) | undefined,
        customer: items.find((i) => i.sk === customerKey(customerId).sk) as CustomerRecord | undefined,
      };
    },

    /** The refund and its customer, consistently, in one round trip. */
    async refundWithCustomer(customerId: string, refundId: string): Promise<{ refund?: RefundRecord; customer?: CustomerRecord }> {
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [refundKey(customerId, refundId), customerKey(customerId)], ConsistentRead: true } } }),
      );
      if (UnprocessedKeys?.[tableName]?.Keys?.length) throw new Error('refund read throttled');
      const items = Responses?.[tableName] ?? [];
      return {
        refund: items.find((i) => i.sk === refundKey(customerId, refundId).sk) as RefundRecord | undefined,
        customer: items.find((i) => i.sk === customerKey(customerId).sk) as CustomerRecord | undefined,
      };
    },

    /** A dispute (Stripe's `charge.dispute.created`, recorded once) and its customer. */
    async disputeWithCustomer(customerId: string, disputeId: string): Promise<{ dispute?: DisputeRecord; customer?: CustomerRecord }> {
      const { item, customer } = await withCustomer<DisputeRecord>(disputeKey(customerId, disputeId), customerId, 'dispute');
      return { dispute: item, customer };
    },

    /** A failed intent (never a payment) and its customer. */
    async failureWithCustomer(customerId: string, intentId: string): Promise<{ failure?: PaymentFailureRecord; customer?: CustomerRecord }> {
      const { item, customer } = await withCustomer<PaymentFailureRecord>(paymentFailureKey(customerId, intentId), customerId, 'payment failure');
      return { failure: item, customer };
    },
  };
};
