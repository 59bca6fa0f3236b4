import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/clients/dynamodb';
import { disputeKey, paymentFailureKey, paymentKey, STRIPE_ITEM_TYPES } from '../table/keys';
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
            Item: { ...disputeKey(dispute.customerId, dispute.disputeId), [TABLE.type]: STRIPE_ITEM_TYPES.dispute, ...dispute },
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

  /**
   * A decided dispute's status on its item and on the payment (when the payment still shows this
   * dispute), in one transaction; 'unknown' when the dispute is not recorded (yet). A replay sets
   * the same values again.
   */
  async closeDispute(customerId: string, paymentId: string, disputeId: string, status: string): Promise<'recorded' | 'unknown'> {
    const written = await transact(client, [
      [
        'dispute',
        {
          Update: {
            TableName: tableName,
            Key: disputeKey(customerId, disputeId),
            UpdateExpression: 'SET #status = :status',
            ConditionExpression: 'attribute_exists(#pk) AND paymentId = :payment',
            ExpressionAttributeNames: { '#pk': TABLE.pk, '#status': 'status' },
            ExpressionAttributeValues: { ':status': status, ':payment': paymentId },
          },
        },
      ],
      [
        'payment',
        {
          Update: {
            TableName: tableName,
            Key: paymentKey(customerId, paymentId),
            UpdateExpression: 'SET disputeStatus = :status',
            ConditionExpression: 'disputeId = :id',
            ExpressionAttributeValues: { ':status': status, ':id': disputeId },
          },
        },
      ],
    ]);
    if (written.ok) return 'recorded';
    if (written.failed.has('dispute')) return 'unknown';
    // The payment shows a later dispute: only this dispute's own item changes.
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: disputeKey(customerId, disputeId),
        UpdateExpression: 'SET #status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status },
      }),
    );
    return 'recorded';
  },

  /** The failed intent, once. */
  async recordFailure(failure: PaymentFailureRecord): Promise<'recorded' | 'duplicate'> {
    const written = await writeIf(() =>
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...paymentFailureKey(failure.customerId, failure.intentId), [TABLE.type]: STRIPE_ITEM_TYPES.paymentFailure, ...failure },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE.pk },
        }),
      ),
    );
    return written ? 'recorded' : 'duplicate';
  },
});
