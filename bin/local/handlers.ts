import { AsyncLocalStorage } from 'node:async_hooks';
import { handlerModule } from '../../lib/source-paths';

type AnyHandler = (event: unknown, context: unknown) => Promise<unknown>;

const loaded = new Map<string, Promise<AnyHandler>>();

/**
 * Which function the current code runs in. On AWS each function is its own process; here they
 * share one, so a tool that watches the process (the benchmark's SDK call counter) asks this.
 */
const invocation = new AsyncLocalStorage<{ fn: string }>();

/** The function whose invocation is running here, if any. */
export const runningFunction = (): string | undefined => invocation.getStore()?.fn;

/**
 * Loads `functions/<fn>/handler.ts` once, as a Lambda cold start would, after the runtime has set
 * the environment the stack would give it. Each call of the handler runs inside its function's
 * invocation scope (`runningFunction`).
 */
export const loadHandler = (fn: string): Promise<AnyHandler> => {
  let handler = loaded.get(fn);
  if (!handler) {
    handler = import(handlerModule(fn)).then(
      (module: { handler: AnyHandler }) =>
        (event: unknown, context: unknown) =>
          invocation.run({ fn }, () => module.handler(event, context)),
    );
    loaded.set(fn, handler);
  }
  return handler;
};
