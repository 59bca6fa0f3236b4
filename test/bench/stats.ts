import { performance } from 'node:perf_hooks';

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export interface Percentiles {
  name: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

export const percentilesOf = (name: string, values: number[]): Percentiles => {
  const sorted = [...values].sort((a, b) => a - b);
  return { name, count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
};

export type Operation = (i: number) => Promise<unknown>;

/**
 * Runs the operations interleaved, one of each per round, so drift on the machine (JIT warm-up,
 * other load) touches every measure alike; then reports the percentiles of each.
 */
export const measureInterleaved = async (operations: Record<string, Operation>, options: { rounds: number; warmup: number }) => {
  const entries = Object.entries(operations);
  for (let i = 0; i < options.warmup; i++) for (const [, run] of entries) await run(-1 - i);
  const times = new Map(entries.map(([name]) => [name, [] as number[]]));
  for (let i = 0; i < options.rounds; i++) {
    for (const [name, run] of entries) {
      const start = performance.now();
      await run(i);
      times.get(name)!.push(performance.now() - start);
    }
  }
  return Object.fromEntries(entries.map(([name]) => [name, percentilesOf(name, times.get(name)!)]));
};

/** Runs `clients` loops of `operation` for `seconds`; counts completions and errors. */
export const measureThroughput = async (operation: Operation, options: { clients: number; seconds: number }) => {
  const deadline = performance.now() + options.seconds * 1000;
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let i = 0; performance.now() < deadline; i++) {
        try {
          await operation(client * 1_000_000 + i);
          done++;
        } catch (error) {
          errors++;
          firstError ??= String(error).slice(0, 300);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { done, errors, firstError, seconds, perSecond: done / seconds };
};

export const ms = (value: number) => value.toFixed(2);
