import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchBundles } from './bundles';
import { environment, REPORT_DIR, textTable, writeReport, type Section } from './report';

/**
 * `npm run bench`: every figure of the report from one run, written to bench/report.md and
 * bench/report.json, ending with one table of goals, met or missed.
 *
 * The two local-stack parts run in their own processes (a fresh runtime each, so the request
 * path is measured without the pollers and memory is the runtime's own):
 * - `request-path`: overhead and throughput of setStatement against bare DynamoDB Local calls, and memory;
 * - `pipeline`: round trips per route and job (counted at the SDK clients), and event latency;
 * - `statement-run`: a month-end run through setStatements with SMS paced to the provider's rate
 *   (BENCH_RUN_STATEMENTS, default 10,000; BENCH_RUN_RATE, default 50/s; BENCH_RUN=0 skips it).
 *
 * Knobs: BENCH_SYNTH=0 (reuse cdk.out), BENCH_ROUNDS, BENCH_WARMUP, BENCH_LOAD_RUNS, BENCH_CLIENTS,
 * BENCH_SECONDS, BENCH_SAMPLES; `npm run bench -- --strict` exits 1 when a goal is missed.
 */
const numberFrom = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const OPTIONS = {
  rounds: numberFrom('BENCH_ROUNDS', 300),
  // DynamoDB Local's JVM keeps speeding up for hundreds of calls; measure it warm.
  warmup: numberFrom('BENCH_WARMUP', 1000),
  loadRuns: numberFrom('BENCH_LOAD_RUNS', 5),
  clients: numberFrom('BENCH_CLIENTS', 16),
  seconds: numberFrom('BENCH_SECONDS', 10),
  samples: numberFrom('BENCH_SAMPLES', 30),
};

const PHASES = {
  'request-path': async () => (require('./request-path') as typeof import('./request-path')).benchRequestPath(OPTIONS),
  pipeline: async () => (require('./pipeline') as typeof import('./pipeline')).benchPipeline(OPTIONS),
  'statement-run': async () => (process.env.BENCH_RUN === '0' ? [] : (require('./statement-run-section') as typeof import('./statement-run-section')).benchStatementRun()),
} as const;
type Phase = keyof typeof PHASES;

/** Runs one phase in a child process; it writes its sections as JSON to `out`. */
const runPhase = (phase: Phase, dir: string): Section[] => {
  const out = path.join(dir, `${phase}.json`);
  console.log(`bench: ${phase}…`);
  execFileSync(path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'), [__filename, '--phase', phase, '--out', out], {
    // The handlers' metrics (EMF lines on stdout, as on Lambda) are written, to nowhere.
    stdio: ['ignore', 'ignore', 'inherit'],
    env: process.env,
  });
  return JSON.parse(readFileSync(out, 'utf8')) as Section[];
};

const main = async () => {
  const args = process.argv.slice(2);
  const phaseArg = args.indexOf('--phase');
  if (phaseArg >= 0) {
    const phase = args[phaseArg + 1] as Phase;
    const sections = await PHASES[phase]();
    const { writeFileSync } = (require('node:fs') as typeof import('node:fs'));
    writeFileSync(args[args.indexOf('--out') + 1], JSON.stringify(sections));
    return;
  }
  const startedAt = new Date();
  const started = performance.now();
  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}${Object.keys(process.env).filter((k) => k.startsWith('BENCH_')).map((k) => ` ${k}=${process.env[k]}`).join('')}`;
  console.log('bench: bundles (npm run synth, then each bundle loaded in fresh processes)…');
  const sections: Section[] = [benchBundles({ loadRuns: OPTIONS.loadRuns, synth: process.env.BENCH_SYNTH !== '0' })];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    for (const phase of Object.keys(PHASES) as Phase[]) sections.push(...runPhase(phase, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const goals = writeReport(environment(command), sections, startedAt, (performance.now() - started) / 1000);
  console.log(`\n${textTable([['goal', 'figure', ''], ...goals.map((g) => [g.goal, g.figure, g.met ? 'met' : 'MISSED'])])}`);
  console.log(`\nReport: ${path.relative(process.cwd(), path.join(REPORT_DIR, 'report.md'))} and report.json`);
  const missed = goals.filter((g) => !g.met);
  if (missed.length && args.includes('--strict')) process.exitCode = 1;
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
