import path from 'node:path';

/** Where the handler folders live; each function is `functions/<fn>/handler.ts` (and `schema.ts`). */
export const FUNCTIONS_DIR = path.resolve(__dirname, '..', 'functions');

/** The entry file of a function, without extension: the stack bundles it, the local runtime imports it. */
export const handlerModule = (fn: string): string => path.join(FUNCTIONS_DIR, fn, 'handler');

/** A route's `schema.ts`, read by the OpenAPI generator. */
export const schemaFile = (fn: string): string => path.join(FUNCTIONS_DIR, fn, 'schema.ts');
