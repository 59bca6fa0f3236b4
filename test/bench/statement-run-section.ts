import { runStatementRun } from './statement-run';
import { section, type Section } from './report';

/**
 * The statement run of the scale issue as a report section: BENCH_RUN_STATEMENTS (10,000) statements
 * through setStatements, SMS configured at BENCH_RUN_RATE (50/s) and the SMS stand-in throttling above it.
 */
export const benchStatementRun = async (): Promise<Section[]> => {
  const statements = Number(process.env.BENCH_RUN_STATEMENTS ?? 10_000);
  const rate = Number(process.env.BENCH_RUN_RATE ?? 50);
  const f = await runStatementRun({ statements, configuredRate: rate, carrierRate: rate, log: (message) => process.stderr.write(`  ${message}\n`) });
  const s = section('Statement run: setStatements and paced SMS');
  s.text.push(
    `${statements} statements sent with \`setStatements\` (100 a request) on the local stack, the SMS send rate configured at ${rate}/s and the SMS stand-in answering \`Throttled\` above ${rate}/s, as SNS does. Delivered rate is from the first to the last SMS. The API ratio compares statements per second through setStatements with as many bare UpdateItems, measured after the run on the same DynamoDB Local.`,
  );
  s.tables.push({
    rows: [
      ['figure', 'value'],
      ['statements set (of)', `${f.statementsSet} (${f.statements}) in ${f.requests} requests, ${f.itemErrors} item errors`],
      ['SMS in the outbox / sent twice / parked', `${f.smsInOutbox} / ${f.sentTwice} / ${f.parked}`],
      ['Throttled answers from the stand-in (retried, not failures)', String(f.carrierThrottled)],
      ['delivered rate', `${f.deliveredRate.toFixed(2)}/s = ${f.deliveredOverConfigured.toFixed(3)} × configured; busiest second ${f.busiestSecond}`],
      ['first request to last SMS', `${f.firstRequestToLastSmsSeconds.toFixed(1)} s`],
      ['setStatements vs bare UpdateItems', `${f.setStatementsPerSecond.toFixed(0)} vs ${f.bareUpdateItemsPerSecond.toFixed(0)} per s = ${f.setStatementsOverBare.toFixed(2)} ×`],
    ],
  });
  s.figures = { ...f };
  const complete = f.statementsSet === statements && f.smsInOutbox === statements && f.sentTwice === 0 && f.parked === 0;
  s.goals.push(
    { goal: `statement run: all ${statements} set, ${statements} SMS, 0 parked, 0 sent twice`, figure: `${f.statementsSet} set, ${f.smsInOutbox} SMS, ${f.parked} parked, ${f.sentTwice} twice`, met: complete },
    { goal: 'statement run: delivered rate ≥ 0.9 × configured rate', figure: `${f.deliveredOverConfigured.toFixed(3)} × (${f.firstRequestToLastSmsSeconds.toFixed(0)} s from first request to last SMS)`, met: f.deliveredOverConfigured >= 0.9 },
  );
  return [s];
};
