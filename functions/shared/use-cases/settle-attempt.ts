import type { Context } from 'aws-lambda';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { dynamoDb } from '../adapters/clients/dynamodb';
import { requireEnv } from '../adapters/env';
import { ENV, IDEMPOTENCY_TABLE } from '../manifest';
import { gatewayFor } from '../adapters/gateway';
import { paymentStore } from '../repos';
import { logger } from '../adapters/powertools';
import { emitMetric } from '../adapters/metrics';
import { newId } from '../../domain/ids';
import { settlePayment, type SettleRequest } from '../../domain/settle-payment';
import type { AttemptResult, PaymentOutcome, PaymentSource } from '../../domain/payments';
import { clock } from '../adapters/clock';

/** The issue asks for at least 24 h; two days also covers a phone left on the result page overnight. */
export const PAYMENT_IDEMPOTENCY_SECONDS = 48 * 60 * 60;

/** How long a duplicate submission waits for the first one before showing "processing". */
const WAIT_FOR_FIRST_MS = 8_000;
const POLL_MS = 200;


/** `phase`: the post after an authentication step is its own submission of the same attempt (its own idempotency record). */
type AttemptRequest = Omit<SettleRequest, 'source'> & { phase?: 'after_action' | 'submit' };

// Its own persistence layer: Powertools configures a layer once, and the merchant API's layer has
// another payload check and expiry (all handlers share one process in the local runtime).
const config = new IdempotencyConfig({
  eventKeyJmesPath: '[attemptId, phase]',
  // A reused form with another amount (e.g. after the back button) must not replay the old answer.
  payloadValidationJmesPath: '[amountMinor, statementVersion]',
  expiresAfterSeconds: PAYMENT_IDEMPOTENCY_SECONDS,
});
/** Counted inside the idempotent call, so a replayed answer is not counted twice. */
const countOutcome = (outcome: PaymentOutcome) => {
  if (outcome.kind === 'paid') {
    emitMetric('paymentApproved');
    emitMetric('amountPaid', outcome.payment.amountMinor, outcome.payment.currency);
  } else if (outcome.kind === 'declined') {
    emitMetric('paymentDeclined');
  }
};

let settleOnce: ((source: PaymentSource, request: AttemptRequest) => Promise<PaymentOutcome>) | undefined;

const idempotentSettle = () =>
  (settleOnce ??= makeIdempotent(
    // The card (or processor token) is argument 0 and the idempotency payload is argument 1: card data is never hashed or stored.
    async (source: PaymentSource, request: AttemptRequest) => {
      const { phase: _phase, ...settle } = request;
      const outcome = await settlePayment({ gatewayFor, store: paymentStore(), newPaymentId: () => newId('pay'), now: clock.now }, { ...settle, source });
      countOutcome(outcome);
      return outcome;
    },
    {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: requireEnv(ENV.idempotencyTable),
        keyAttr: IDEMPOTENCY_TABLE.pk,
        expiryAttr: IDEMPOTENCY_TABLE.ttl,
        awsSdkV3Client: dynamoDb,
      }),
      config,
      dataIndexArgument: 1,
    },
  ));

/** Lets Powertools expire an in-progress record when the invocation that owns it times out. */
export const registerInvocation = (context: Context) => config.registerLambdaContext(context);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Settles one submission exactly once. A duplicate (double click, browser retry, 20 tabs) that
 * arrives while the first still runs waits for it and shows the same result; if the first takes
 * unusually long, it answers `processing`, which tells the customer not to pay again.
 */
export const settleAttempt = async (source: PaymentSource, request: AttemptRequest): Promise<AttemptResult> => {
  const deadline = performance.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    try {
      const outcome = await idempotentSettle()(source, request);
      if (outcome.kind === 'paid') logger.info('payment completed', { paymentId: outcome.payment.paymentId, amountMinor: outcome.payment.amountMinor });
      else logger.info('payment not completed', { outcome: outcome.kind });
      return outcome;
    } catch (error) {
      if (error instanceof IdempotencyValidationError) return { kind: 'form_reused' };
      if (!(error instanceof IdempotencyAlreadyInProgressError)) throw error;
      if (performance.now() >= deadline) return { kind: 'processing' };
      await sleep(POLL_MS);
    }
  }
};
