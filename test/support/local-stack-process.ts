import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { StackInfo } from './stack-info';

const ROOT = path.resolve(__dirname, '..', '..');

export interface LocalStackProcess {
  info: StackInfo;
  /** Stops the stack (SIGTERM, then the process group) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts a local stack of its own (`bin/local.ts --in-memory --json`, what `npm start` runs) in a
 * child process with `env` added, for a scenario that needs settings the shared test stack does
 * not have (a send rate, a worker count) or must not share its rate with other tests.
 */
export const spawnLocalStack = async (env: Record<string, string> = {}): Promise<LocalStackProcess> => {
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/local.ts', '--in-memory', '--json'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'WARN', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const info = await new Promise<StackInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local stack not ready in 60 s:\n${output.slice(-4000)}`)), 60_000);
    timer.unref();
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as StackInfo);
      }
      if (output.length > 100_000) output = output.slice(-50_000);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.DEBUG_LOCAL_STACK) process.stderr.write(chunk);
    });
    child.once('exit', (code) => reject(new Error(`local stack exited (${code}):\n${output.slice(-4000)}`)));
  });
  return {
    info,
    stop: () => stopStackProcess(child),
  };
};

/**
 * Stops a local stack started in its own process group: SIGTERM, and after 8 s SIGKILL to the group
 * (the stack kills its JVM on exit; the group catches anything left).
 */
export const stopStackProcess = (child: ChildProcess): Promise<void> =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      resolve();
    }, 8000).unref();
  });
