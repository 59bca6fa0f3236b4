import { runStatementRun, type StatementRunFigures } from '../bench/statement-run';
import { figures } from './support/figures';

/**
 * A small statement run (issue 16; `npm run bench` runs 10,000 at 50/s and reports the rate) on a
 * local stack of its own, so that no other test's SMS share its rate: 300 statements through
 * setStatements, SMS configured at 20/s and the stand-in answering `Throttled` above 20/s; then
 * 200 configured faster (40/s) than the stand-in allows. Counts only: timings are the bench's. It
 * lives here, where files run one at a time, because its own stack (a second DynamoDB Local and
 * emulators) would otherwise compete with `npm test` for the two cores.
 */
const fig = figures('statement run');

describe('a statement run', () => {
  let run: StatementRunFigures;

  beforeAll(async () => {
    run = await runStatementRun({ statements: 300, configuredRate: 20, carrierRate: 20 });
  }, 170_000);

  it('sets every statement and sends every SMS exactly once, parking none', () => {
    fig.exactly('statements set through setStatements (of 300)', run.statementsSet, 300);
    fig.exactly('item errors', run.itemErrors, 0);
    fig.exactly('SMS in the outbox (one per customer)', run.smsInOutbox, 300);
    fig.exactly('SMS sent twice', run.sentTwice, 0);
    fig.exactly('notification jobs parked', run.parked, 0);
    fig.note('delivered SMS rate / configured 20/s', run.deliveredOverConfigured);
    expect({ set: run.statementsSet, itemErrors: run.itemErrors, sms: run.smsInOutbox, twice: run.sentTwice, parked: run.parked }).toEqual({
      set: 300,
      itemErrors: 0,
      sms: 300,
      twice: 0,
      parked: 0,
    });
  });

  it('keeps within the configured rate: no calendar second holds more than two seconds\' worth', () => {
    // The pacer gives out 20 slots a second and never uses one long past; on a loaded machine a stalled
    // event loop can still land one second's sends together with the next's, hence the tolerance.
    fig.record('most SMS in one calendar second (20/s configured)', run.busiestSecond, '<= 40', run.busiestSecond <= 40);
    expect(run.busiestSecond).toBeLessThanOrEqual(40);
  });
});

describe('a statement run configured faster than the provider allows', () => {
  let run: StatementRunFigures;

  beforeAll(async () => {
    run = await runStatementRun({ statements: 200, configuredRate: 40, carrierRate: 20 });
  }, 170_000);

  it('is throttled by the stand-in, yet every SMS goes out once and none is parked: throttling is not failure', () => {
    fig.record('Throttled answers (configured 40/s, provider 20/s)', run.carrierThrottled, '> 0', run.carrierThrottled > 0);
    fig.exactly('SMS in the outbox despite throttling (of 200)', run.smsInOutbox, 200);
    fig.exactly('SMS sent twice (throttling)', run.sentTwice, 0);
    fig.exactly('notification jobs parked (throttling)', run.parked, 0);
    expect(run.carrierThrottled).toBeGreaterThan(0);
    expect({ set: run.statementsSet, sms: run.smsInOutbox, twice: run.sentTwice, parked: run.parked }).toEqual({ set: 200, sms: 200, twice: 0, parked: 0 });
  });
});
