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
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      const handler = await loadHandler(fn);
      await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }, lambdaContext(fn));
    } catch (error) {
      options.log(`${fn}: ${(error as Error).message?.split('\n')[0]}`);
    }
  };
  const timer = setInterval(() => {
    if (stopping) return;
    running = running.then(tick);
  }, intervalMs);
  return {
    async stop() {
      stopping = true;
      clearInterval(timer);
      await running;
    },
  };
};
