import { Webhook } from 'standardwebhooks';
import { merchantWithLocation, type Merchant } from '../support/api';
import { adminTarget, closeWebhookClients, eventually, putPayment, startReceiver } from '../support/webhooks';
import { replayWebhooks, setWebhook } from '../../scripts/admin/webhooks';
import { figures } from './support/figures';

/**
 * The receiver is down for the whole retry schedule (the stack runs it compressed: 0,1,1,1 s), then
 * up, then the operator replays (`npm run admin -- replay-webhooks --location …`, the same use case
 * called here): every event delivered, none lost, repeats only with the same webhook-id.
 */
const fig = figures('webhook outage');
const EVENTS = 8;
const SCHEDULE_ATTEMPTS = 4;

const deliveriesOf = async (merchant: Merchant, status: string) =>
  (await merchant.call('GET', '/listWebhookDeliveries', { query: { status, limit: '100' } })).body.items as Array<{ id: string; eventId: string; attemptCount: number; attempts: Array<{ statusCode?: number }> }>;

const closeLater: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closeLater.map((close) => close()));
  closeWebhookClients();
});

describe('webhook receiver down for the whole schedule', () => {
  // Every attempt also waits for one of the location's webhook lanes (4 in flight): patience, not a timing goal.
  it('parks every event, and delivers each after the receiver is back and the deliveries are replayed', async () => {
    let up = false;
    const receiver = await startReceiver(() => ({ status: up ? 200 : 503, body: up ? 'ok' : 'down for maintenance' }));
    closeLater.push(() => receiver.close());
    const merchant = await merchantWithLocation();
    const { secret } = await setWebhook(adminTarget(), { location: merchant.locationId, url: receiver.url });

    const payments = await Promise.all(Array.from({ length: EVENTS }, (_, i) => putPayment(merchant.locationId, `cus_outage${Date.now()}${i}`)));
    const parked = await eventually(async () => {
      const items = await deliveriesOf(merchant, 'parked');
      return items.length === EVENTS ? items : undefined;
    }, 150_000).catch(async (error: Error) => {
      const all = (await merchant.call('GET', '/listWebhookDeliveries', { query: { limit: '100' } })).body.items as Array<{ status: string; attemptCount: number }>;
      throw new Error(`${error.message}: deliveries ${JSON.stringify(all.map((d) => [d.status, d.attemptCount]))}, received ${receiver.received.length}`);
    });
    const attemptsWhileDown = receiver.received.length;

    up = true;
    const replay = await replayWebhooks(adminTarget(), { location: merchant.locationId });
    const delivered = await eventually(async () => {
      const items = await deliveriesOf(merchant, 'delivered');
      return items.length === EVENTS ? items : undefined;
    }, 150_000);
    // Anything still on its way arrives in this second.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const afterUp = receiver.received.slice(attemptsWhileDown);
    const okIds = new Set(afterUp.map((r) => r.headers['webhook-id']));
    const allIds = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    const eventIdOf = (body: string) => (JSON.parse(body) as { id: string }).id;
    const paymentOf = (body: string) => (JSON.parse(body) as { data: { paymentId: string } }).data.paymentId;
    const mismatched = receiver.received.filter((r) => eventIdOf(r.body) !== r.headers['webhook-id']).length;
    const idsPerPayment = new Map<string, Set<string>>();
    receiver.received.forEach((r) => idsPerPayment.set(paymentOf(r.body), (idsPerPayment.get(paymentOf(r.body)) ?? new Set()).add(r.headers['webhook-id'])));
    const unverified = receiver.received.filter((r) => {
      try {
        new Webhook(secret).verify(r.body, r.headers);
        return false;
      } catch {
        return true;
      }
    }).length;
    const lost = payments.filter((p) => ![...afterUp].some((r) => paymentOf(r.body) === p.paymentId)).length;

    fig.note('events while the receiver was down', EVENTS);
    fig.exactly('attempts while down (events x schedule)', attemptsWhileDown, EVENTS * SCHEDULE_ATTEMPTS);
    fig.exactly('deliveries parked after the schedule', parked.length, EVENTS);
    fig.exactly('deliveries replayed', replay.replayed.length, EVENTS);
    fig.exactly('events delivered after replay', okIds.size, EVENTS);
    fig.exactly('events lost', lost, 0);
    fig.exactly('events with more than one webhook-id', [...idsPerPayment.values()].filter((ids) => ids.size > 1).length, 0);
    fig.exactly('requests whose webhook-id is not their event id', mismatched, 0);
    fig.exactly('requests failing signature verification', unverified, 0);
    fig.note('requests after the receiver came back', afterUp.length);

    expect(attemptsWhileDown).toBe(EVENTS * SCHEDULE_ATTEMPTS);
    expect(parked.every((d) => d.attemptCount === SCHEDULE_ATTEMPTS)).toBe(true);
    expect(replay.replayed.sort()).toEqual(parked.map((d) => d.id).sort());
    expect(delivered.map((d) => d.attempts.map((a) => a.statusCode))).toEqual(delivered.map(() => [503, 503, 503, 503, 200]));
    expect(okIds).toEqual(allIds);
    expect(okIds.size).toBe(EVENTS);
    expect(lost).toBe(0);
    expect({ mismatched, unverified }).toEqual({ mismatched: 0, unverified: 0 });
  }, 330_000);
});
