import { parseArgs } from 'node:util';
import newman, { type NewmanRunSummary } from 'newman';
import { COLLECTION_FILE, ENVIRONMENT_FILE } from './postman';
import { GUIDE_FOLDER } from './postman/guide';

/**
 * `npm run postman:run`: sends the Postman collection's getting started folder with newman to a
 * running service, and fails when any of its checks fails. It starts nothing itself.
 *
 *   API=http://localhost:3000 KEY=cx_… npm run postman:run
 *   npm run postman:run -- --url http://localhost:3300 --key cx_…
 *
 * The key's location gets the guide's Service Location, customer and statement, like the README's
 * curl examples; running it again with the same key passes too (the customer exists by then).
 */

export interface PostmanRunOptions {
  url: string;
  apiKey: string;
  /** newman reporters; `cli` prints each request and check. @default ['cli'] */
  reporters?: string[];
}

export interface PostmanRunResult {
  requests: number;
  assertions: number;
  failures: Array<{ request: string; test: string; message: string }>;
}

export const runPostman = (options: PostmanRunOptions): Promise<PostmanRunResult> =>
  new Promise((resolve, reject) => {
    newman.run(
      {
        collection: COLLECTION_FILE,
        environment: ENVIRONMENT_FILE,
        envVar: [
          { key: 'baseUrl', value: options.url.replace(/\/+$/, '') },
          { key: 'apiKey', value: options.apiKey },
        ],
        folder: GUIDE_FOLDER,
        reporters: options.reporters ?? ['cli'],
        // A 4xx/5xx is for the request's own checks to judge; a network failure fails the run.
        bail: false,
        timeoutRequest: 30_000,
      },
      (error: Error | null, summary: NewmanRunSummary) => {
        if (error) return reject(error);
        const { stats } = summary.run;
        resolve({
          requests: stats.requests.total ?? 0,
          assertions: stats.assertions.total ?? 0,
          failures: summary.run.failures.map((failure) => ({
            request: (failure.source as { name?: string } | undefined)?.name ?? '',
            test: (failure.error as { test?: string }).test ?? failure.at,
            message: failure.error.message,
          })),
        });
      },
    );
  });

if (require.main === module) {
  const { values } = parseArgs({ options: { url: { type: 'string' }, key: { type: 'string' } } });
  const url = values.url ?? process.env.API ?? `http://localhost:${process.env.PORT ?? 3000}`;
  const apiKey = values.key ?? process.env.KEY;
  if (!apiKey) {
    console.error('postman:run: pass --key cx_… or set KEY (npm run admin --silent -- create-key --json issues one).');
    process.exit(2);
  }
  runPostman({ url, apiKey }).then(
    (result) => {
      if (result.failures.length) {
        console.error(`postman:run: ${result.failures.length} check(s) failed against ${url}`);
        process.exit(1);
      }
      console.log(`postman:run: ${result.requests} requests, ${result.assertions} checks passed against ${url}`);
    },
    (error: Error) => {
      console.error(`postman:run: ${error.message}`);
      process.exit(1);
    },
  );
}
