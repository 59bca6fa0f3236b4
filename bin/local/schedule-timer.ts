import { WORKERS } from '../../functions/shared/manifest';
import { lambdaContext } from './lambda-context';
import { loadHandler } from './handlers';
import type { Poller } from './queue-poller';

/**
 * The EventBridge rule that invokes the scheduler, run locally: a timer calling its handler every
 * `WORKERS.releaseNotifications.everySeconds`, divided by the schedule's time scale (the test stack
 * compresses a day into a second, so the timer ticks every 250 ms there). Runs never overlap.
 */
export const startScheduleTimer = (options: { timeScale: number; log: (message: string) => void }): Poller => {
  const fn = WORKERS.releaseNotifications.fn;
  const intervalMs = Math.max(250, (WORKERS.releaseNotifications.everySeconds * 1000) / Math.max(1, options.timeScale));
  let stopping = false;
  let running: Promise<void> | undefined;
  const tick = async () => {
    try {
      const handler = await loadHandler(fn);
      if (!stopping) await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }, lambdaContext(fn));
    } catch (error) {
      options.log(`${fn}: ${(error as Error).message?.split('\n')[0]}`);
    } finally {
      running = undefined;
    }
  };
  // A tick still running when the next is due is not doubled up (EventBridge would invoke again; the
  // scheduler's conditional release makes that harmless, but locally it would only pile up).
  const timer = setInterval(() => {
    if (!stopping && !running) running = tick();
  }, intervalMs);
  return {
    async stop() {
      stopping = true;
      clearInterval(timer);
      await running;
    },
  };
};
