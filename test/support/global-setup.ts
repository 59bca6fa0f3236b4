import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { STACK_ENV } from './stack-info';

const ROOT = path.resolve(__dirname, '..', '..');

/** Names the file holding everything the local stack printed (stdout and stderr) during the run. */
export const LOCAL_STACK_LOG_ENV = 'LOCAL_STACK_LOG_FILE';

/**
 * Starts one local stack (`bin/local.ts --in-memory`) for the whole test run on free ports, exactly
 * what `npm start` runs. Test files isolate themselves by using their own locations (API keys).
 */
export default async function globalSetup(): Promise<void> {
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/local.ts', '--in-memory', '--json'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', ...testOverrides() },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Kept for tests that must prove what the stack never logs (card numbers, CVVs).
  const logFile = path.join(os.tmpdir(), `customer-statements-local-stack-${process.pid}.log`);
  const log = createWriteStream(logFile);
  child.stdout.on('data', (chunk: Buffer) => log.write(chunk));
  child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
  process.env[LOCAL_STACK_LOG_ENV] = logFile;
  const ready = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (line) resolve(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.DEBUG_LOCAL_STACK) process.stderr.write(chunk);
    });
    child.once('exit', (code) => reject(new Error(`local stack exited (${code}):\n${output}`)));
    setTimeout(() => reject(new Error(`local stack not ready in 60 s:\n${output}`)), 60_000).unref();
  });
  process.env[STACK_ENV] = ready;
  (globalThis as Record<string, unknown>).__LOCAL_STACK__ = child;
  child.stdout.resume();
  child.stderr.resume();
}

/** Environment the tests want the local runtime to have (compressed schedules and the like). */
const testOverrides = (): Record<string, string> => ({
  // INFO, so that test/integration/observability.test.ts can follow one statement through the logs.
  POWERTOOLS_LOG_LEVEL: 'INFO',
  // Run the authorizer on every request, so revocation and isolation tests see each key checked.
  LOCAL_AUTHORIZER_CACHE_TTL_SECONDS: '0',
  // The payment sandbox answers in 300 ms by default; tests keep some latency so races stay real.
  SANDBOX_GATEWAY_LATENCY_MS: '60',
  // Quiet hours and reminder days pass a day per second (an 11-hour night in under half a second),
  // as the webhook schedule below is compressed: tests at any hour see held messages go out.
  NOTIFICATION_SCHEDULE_TIME_SCALE: '86400',
  // Notification retries after a provider failure come back at once instead of after 30 s, 60 s, ...
  NOTIFICATION_RETRY_BASE_SECONDS: '0',
  // Many test files send SMS at once; pacing at the production default (3/s) would only slow them.
  // test/reliability/statement-runs.test.ts starts its own stack to measure pacing.
  SMS_SEND_RATE_PER_SECOND: '500',
  EMAIL_SEND_RATE_PER_SECOND: '500',
  // As many notification pollers as before pacing (the rates above would call for 50).
  NOTIFICATION_CONCURRENCY: '3',
  // Webhook retries wait 1 s instead of Svix's 5 s … 10 h: four attempts in about three seconds.
  WEBHOOK_RETRY_SCHEDULE_SECONDS: '0,1,1,1',
});
