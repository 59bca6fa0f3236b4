import { handlerModule } from '../../lib/source-paths';

type AnyHandler = (event: unknown, context: unknown) => Promise<unknown>;

const loaded = new Map<string, Promise<AnyHandler>>();

/**
 * Loads `functions/<fn>/handler.ts` once, as a Lambda cold start would, after the runtime has set
 * the environment the stack would give it.
 */
export const loadHandler = (fn: string): Promise<AnyHandler> => {
  let handler = loaded.get(fn);
  if (!handler) {
    handler = import(handlerModule(fn)).then((module: { handler: AnyHandler }) => module.handler);
    loaded.set(fn, handler);
  }
  return handler;
};
