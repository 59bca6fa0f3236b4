import { runStatementRun, type StatementRunFigures } from '../bench/statement-run';

/**
 * A small statement run (issue 16; `npm run bench` runs 10,000 at 50/s and checks the rate) on a
 * local stack of its own, so that no other test's SMS share its rate: 300 statements through
 * setStatements, SMS configured at 20/s and the stand-in answering `Throttled` above 20/s.
 * Counts only: timings are the bench's.
 */
describe('a statement run', () => {
  let figures: StatementRunFigures;

  beforeAll(async () => {
    figures = await runStatementRun({ statements: 300, configuredRate: 20, carrierRate: 20 });
  }, 170_000);

  it('sets every statement and sends every SMS exactly once, parking none', () => {
    expect({ set: figures.statementsSet, itemErrors: figures.itemErrors, sms: figures.smsInOutbox, twice: figures.sentTwice, parked: figures.parked }).toEqual({
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
    expect(figures.busiestSecond).toBeLessThanOrEqual(40);
  });
});

describe('a statement run configured faster than the provider allows', () => {
  let figures: StatementRunFigures;

  beforeAll(async () => {
    figures = await runStatementRun({ statements: 200, configuredRate: 40, carrierRate: 20 });
  }, 170_000);

  it('is throttled by the stand-in, yet every SMS goes out once and none is parked: throttling is not failure', () => {
    expect(figures.carrierThrottled).toBeGreaterThan(0);
    expect({ set: figures.statementsSet, sms: figures.smsInOutbox, twice: figures.sentTwice, parked: figures.parked }).toEqual({ set: 200, sms: 200, twice: 0, parked: 0 });
  });
});
