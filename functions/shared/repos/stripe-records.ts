import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { disputeKey, ITEM_TYPES, paymentFailureKey, paymentKey } from '../table/keys';
import { TABLE } from '../manifest';
import { transact, writeIf } from '../table/conditions';
import type { DisputeRecord } from '../../domain/disputes';
import type { PaymentFailureRecord } from '../../domain/payment-failures';

/**
 * What Stripe's events record besides payments and refunds: disputes and failed intents. Each is
 * one conditional write keyed by Stripe's own id, so a duplicate or replayed event writes nothing
 * and (the item's INSERT being what sends the merchant's webhook) sends nothing twice.
 */
export const stripeRecordsRepo = (tableName: string, client = documentClient) => ({
  /**
   * The dispute item and the dispute's fields on the payment, in one transaction: the item only if
   * it is new; the payment only if it is this location's completed payment on this account.
   */
  async recordDispute(dispute: DisputeRecord, gatewayAccount: string): Promise<'recorded' | 'duplicate' | 'mismatch'> {
    const written = await transact(client, [
      [
        'dispute',
        {
          Put: {
            TableName: tableName,
            Item: { ...disputeKey(dispute.customerId, dispute.disputeId), [TABLE.type]: ITEM_TYPES.dispute, ...dispute },
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
            Key: paymentKey(dispute.customerId, dispute.paymentId),
            UpdateExpression: 'SET disputeId = :id, disputeStatus = :status, disputedMinor = :amount, disputeReason = :reason, disputedAt = :at',
            ConditionExpression: 'locationId = :location AND #status = :completed AND gatewayAccount = :account',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':id': dispute.disputeId,
              ':status': dispute.status,
              ':amount': dispute.amountMinor,
              ':reason': dispute.reason,
              ':at': dispute.openedAt,
              ':location': dispute.locationId,
              ':completed': 'completed',
              ':account': gatewayAccount,
            },
          },
        },
      ],
    ]);
    if (written.ok) return 'recorded';
    if (written.failed.has('dispute')) return 'duplicate';
    if (written.failed.has('payment')) return 'mismatch';
    throw written.cause;
  },

  /** The failed intent, once. */
  async recordFailure(failure: PaymentFailureRecord): Promise<'recorded' | 'duplicate'> {
    const written = await writeIf(() =>
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...paymentFailureKey(failure.customerId, failure.intentId), [TABLE.type]: ITEM_TYPES.paymentFailure, ...failure },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE.pk },
        }),
      ),
    );
    return written ? 'recorded' : 'duplicate';
  },
});
