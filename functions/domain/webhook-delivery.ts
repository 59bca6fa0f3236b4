import { nextStep, type NextStep } from './webhook-schedule';

/**
 * A webhook delivery: one event for one location's endpoint, with every attempt made for it.
 * `pending` → (`retrying` …) → `delivered` | `parked`; a replay moves `parked` back to `pending`
 * with a fresh retry schedule (`roundAttempts` restarts at 0, `attempts` keeps the history).
 */
export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'parked';
export const DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'parked'] as const satisfies readonly DeliveryStatus[];

export interface DeliveryAttempt {
  at: string;
  url: string;
  /** The receiver's HTTP status, when it answered. */
  statusCode?: number;
  /** Why no status: timeout, connection refused, address not allowed… */
  error?: string;
  latencyMs: number;
  /** The start of the response body, at most {@link EXCERPT_LENGTH} characters. */
  responseExcerpt?: string;
}

export interface WebhookDelivery {
  deliveryId: string;
  locationId: string;
  eventId: string;
  eventType: string;
  /** For `payment.completed` deliveries. */
  paymentId?: string;
  customerId: string;
  /** The exact JSON that is signed and sent, the same on every attempt and replay. */
  payload: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  attemptCount: number;
  /** Attempts since the delivery was created or last replayed; drives the retry schedule. */
  roundAttempts: number;
  createdAt: string;
  updatedAt: string;
  nextAttemptAt?: string;
  deliveredAt?: string;
  parkedAt?: string;
  parkReason?: string;
}

export const EXCERPT_LENGTH = 200;

export const excerpt = (text: string): string => (text.length > EXCERPT_LENGTH ? text.slice(0, EXCERPT_LENGTH) : text);

/** Standard Webhooks: any 2xx means the receiver has the event. */
export const isDelivered = (attempt: Pick<DeliveryAttempt, 'statusCode'>) =>
  attempt.statusCode !== undefined && attempt.statusCode >= 200 && attempt.statusCode < 300;

export type AttemptOutcome =
  | { status: 'delivered' }
  | { status: 'retrying'; waitSeconds: number; nextAttemptAt: string }
  | { status: 'parked'; reason: string };

/** Decides what follows an attempt, given how many attempts this round has now made. */
export const outcomeOf = (
  attempt: DeliveryAttempt,
  roundAttemptsMade: number,
  schedule: readonly number[],
  now: Date,
  random?: () => number,
): AttemptOutcome => {
  if (isDelivered(attempt)) return { status: 'delivered' };
  const step: NextStep = nextStep(roundAttemptsMade, schedule, random);
  if (step.action === 'park') {
    return { status: 'parked', reason: `No 2xx answer after ${roundAttemptsMade} attempts; last: ${attempt.statusCode ?? attempt.error}` };
  }
  return { status: 'retrying', waitSeconds: step.waitSeconds, nextAttemptAt: new Date(now.getTime() + step.waitSeconds * 1000).toISOString() };
};

/** What the merchant API shows of a delivery. */
export const toDeliveryView = (delivery: WebhookDelivery) => ({
  id: delivery.deliveryId,
  eventId: delivery.eventId,
  eventType: delivery.eventType,
  ...(delivery.paymentId ? { paymentId: delivery.paymentId } : {}),
  customerId: delivery.customerId,
  status: delivery.status,
  attemptCount: delivery.attemptCount,
  attempts: delivery.attempts,
  createdAt: delivery.createdAt,
  updatedAt: delivery.updatedAt,
  ...(delivery.nextAttemptAt && delivery.status === 'retrying' ? { nextAttemptAt: delivery.nextAttemptAt } : {}),
  ...(delivery.deliveredAt ? { deliveredAt: delivery.deliveredAt } : {}),
  ...(delivery.parkedAt && delivery.status === 'parked' ? { parkedAt: delivery.parkedAt, parkReason: delivery.parkReason } : {}),
  event: JSON.parse(delivery.payload) as unknown,
});
