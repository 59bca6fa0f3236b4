import fc from 'fast-check';
import * as z from '../../functions/domain/zod';
import { ERROR_CODES, type ErrorCode } from '../../functions/domain/error-codes';
import { ROUTES, type RouteName } from '../../functions/shared/manifest';
import { merchantWithLocation, type Merchant } from '../support/api';
import { createCustomer } from '../support/fixtures';
import { customerWithStatement, openPayForm, postPayForm } from '../support/payments';
import { stackInfo } from '../support/stack-info';
import { badRequests, fuzzTarget, schemaAccepts, tooLargeRequest, type BadRequest, type FuzzTarget } from './support/bad-requests';
import { merchantView, settled } from './support/stack-state';
import { figures } from './support/figures';

/**
 * Property-based fuzzing of every route in the manifest (new routes are covered as they are added)
 * with bad requests generated from each route's own zod schema: zero 5xx, every 4xx in the
 * documented shape, and nothing written. RELIABILITY_SEED changes the seed, RELIABILITY_FUZZ_RUNS the count.
 */
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261201);
const TOTAL = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 2400);
const MINIMUM = 2000;
const CONCURRENCY = 6;

const fig = figures('fuzzing');

/** The OpenAPI ErrorResponse (scripts/openapi/document.ts): one error body for every JSON 4xx/5xx. */
const ErrorResponse = z.object({
  error: z.looseObject({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string().check(z.minLength(1)),
    fields: z.optional(z.array(z.strictObject({ path: z.string(), message: z.string() })).check(z.minLength(1))),
  }),
  requestId: z.string().check(z.minLength(1)),
});

interface Answer {
  status: number;
  type: string;
  text: string;
}

let retried = 0;

const send = async (request: BadRequest, again = true): Promise<Answer> => {
  const response = await sendOnce(request).catch((error: Error) => {
    // A keep-alive connection the server closed as it was reused: a client sends again, once.
    if (!again) throw error;
    retried++;
    return undefined;
  });
  return response ?? send(request, false);
};

const sendOnce = async (request: BadRequest): Promise<Answer> => {
  const response = await fetch(new URL(request.target, stackInfo().url), { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
};

/**
 * A bulk request whose body is usable but whose items are bad answers 200 with one result per item
 * (docs/statement-runs.md): each must be a documented 4xx error, none a write and none a 5xx.
 */
const batchProblem = (text: string): string | undefined => {
  let results: Array<{ status?: number; error?: { code?: string } }>;
  try {
    results = (JSON.parse(text) as { results: typeof results }).results;
  } catch {
    return 'bulk answer that is not JSON';
  }
  if (!Array.isArray(results) || results.length === 0) return `bulk answer without results: ${text.slice(0, 200)}`;
  for (const result of results) {
    const code = result.error?.code as keyof typeof ERROR_CODES | undefined;
    if (!result.status || result.status < 400 || result.status >= 500) return `bulk item answered ${result.status}`;
    if (!code || !ERROR_CODES[code] || ERROR_CODES[code].status !== result.status) return `bulk item error ${code} with status ${result.status}`;
  }
  return undefined;
};

/** What is wrong with the answer to a bad request, if anything. */
const problemWith = (target: FuzzTarget, request: BadRequest, answer: Answer): string | undefined => {
  if (answer.status === 0) return answer.text;
  if (answer.status >= 500) return `status ${answer.status}`;
  if (answer.status < 400) {
    // A read of an id nobody has may answer an empty list; nothing else may succeed.
    if (request.forged && request.method === 'GET' && answer.status === 200) return undefined;
    if (request.tolerated) return undefined;
    if (answer.status === 200 && target.route === ROUTES.setStatements) return batchProblem(answer.text);
    return `accepted with ${answer.status}`;
  }
  if (answer.type.startsWith('application/json')) {
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      return 'JSON error that is not JSON';
    }
    const parsed = ErrorResponse.safeParse(body);
    if (!parsed.success) return `error body not in the documented shape: ${answer.text.slice(0, 200)}`;
    if (ERROR_CODES[parsed.data.error.code].status !== answer.status) return `code ${parsed.data.error.code} with status ${answer.status}`;
    return undefined;
  }
  if (target.route.responds !== 'json' && answer.type.startsWith('text/html') && /^<!doctype html>/i.test(answer.text.trimStart())) return undefined;
  return `4xx of type ${answer.type || 'none'}`;
};

/** Runs `work` over `items` with at most `limit` at a time. */
const pool = async <T>(items: T[], limit: number, work: (item: T) => Promise<void>) => {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
};

describe('fuzzing every route with bad requests', () => {
  let merchant: Merchant;
  let realPath: Record<string, string>;

  beforeAll(async () => {
    merchant = await merchantWithLocation();
    await createCustomer(merchant, { externalId: 'FUZZ-1' });
    const links = await customerWithStatement(merchant, { balanceDue: '80.00' });
    const paid = await postPayForm(links.statementUrl, { ...(await openPayForm(links.statementUrl)), amount: '10.00' });
    if (paid.status !== 200) throw new Error(`payment failed: ${paid.status}`);
    realPath = { token: links.token, code: new URL(links.tinyUrl).pathname.split('/').pop()! };
  });

  it(`answers ${MINIMUM}+ generated bad requests with a documented 4xx, never a 5xx, and writes nothing`, async () => {
    const started = Date.now();
    const counts0 = await settled();
    const view0 = await merchantView(merchant);
    const ctx = { key: merchant.key, realPath };

    const names = Object.keys(ROUTES) as RouteName[];
    const targets = names.map((name) => fuzzTarget(name, ROUTES[name]));
    const perRoute = Math.ceil(TOTAL / targets.length);
    // Generate first (fast-check, fixed seed per route), then send a few at a time.
    const requests: Array<{ target: FuzzTarget; request: BadRequest }> = [];
    let discarded = 0;
    targets.forEach((target, i) => {
      const arbitrary = badRequests(target, ctx).filter((request) => {
        // A request the schema accepts could write; send it only when its ids are forged or the route checks a free-text form itself.
        const keep = !schemaAccepts(target, request) || request.forged === true || target.route.body === 'form';
        if (!keep) discarded++;
        return keep;
      });
      fc.sample(arbitrary, { seed: SEED + i, numRuns: perRoute }).forEach((request) => requests.push({ target, request }));
      if (target.route.method === 'POST') requests.push({ target, request: tooLargeRequest(target, ctx) });
    });

    const problems: Array<{ route: string; kind: string; target: string; body?: string; problem: string }> = [];
    const byStatus = new Map<number, number>();
    const kinds = new Set<string>();
    let serverErrors = 0;
    // A bulk request whose items were all refused still answered 200, and Powertools keeps that answer
    // for its Idempotency-Key (a retry must get it again): an idempotency record, not a write of data.
    let answeredBatchesWithKey = 0;
    await pool(requests, CONCURRENCY, async ({ target, request }) => {
      const answer = await send(request).catch((error: Error): Answer => ({ status: 0, type: '', text: `no answer: ${error.message} (${String((error.cause as Error)?.message)})` }));
      byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
      kinds.add(request.kind.split('+')[0]);
      if (answer.status >= 500) serverErrors++;
      const headerNames = Object.keys(request.headers ?? {}).map((name) => name.toLowerCase());
      if (answer.status === 200 && target.route === ROUTES.setStatements && headerNames.includes('idempotency-key')) answeredBatchesWithKey++;
      const problem = problemWith(target, request, answer);
      if (problem) {
        const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body.slice(0, 300) : `bytes ${Buffer.from(request.body).toString('hex').slice(0, 60)}`;
        problems.push({ route: request.route, kind: request.kind, target: request.target.slice(0, 200), body, problem });
      }
    });

    const counts1 = await settled();
    const view1 = await merchantView(merchant);
    const seconds = (Date.now() - started) / 1000;

    fig.note('seed (RELIABILITY_SEED)', SEED);
    fig.note('routes fuzzed (from the manifest)', targets.length);
    fig.note('kinds of bad request', [...kinds].sort().join(', '));
    fig.note('statuses', [...byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', '));
    fig.note('valid requests not sent (schema accepted them)', discarded);
    fig.atLeast('bad requests sent', requests.length, MINIMUM);
    fig.exactly('5xx answers', serverErrors, 0);
    fig.exactly('answers not in the documented shape (or accepted)', problems.length - serverErrors, 0);
    fig.exactly('items written to the table', counts1.table - counts0.table, 0);
    fig.exactly('idempotency records beyond the answers to keep (all-refused bulk requests with a key)', counts1.idempotency - counts0.idempotency - answeredBatchesWithKey, 0);
    fig.record('merchant view identical before and after', JSON.stringify(view1) === JSON.stringify(view0) ? 'yes' : 'no', '= yes', JSON.stringify(view1) === JSON.stringify(view0));
    fig.note('fuzzing seconds', Number(seconds.toFixed(1)));

    fig.note('requests sent again after a closed keep-alive connection', retried);
    const tally = Object.entries(problems.reduce<Record<string, number>>((acc, p) => ({ ...acc, [`${p.route} ${p.problem.slice(0, 40)}`]: (acc[`${p.route} ${p.problem.slice(0, 40)}`] ?? 0) + 1 }), {}));
    expect(view1).toEqual(view0);
    expect({ tally, examples: problems.slice(0, 12) }).toEqual({ tally: [], examples: [] });
    expect(requests.length).toBeGreaterThanOrEqual(MINIMUM);
    expect(counts1).toEqual({ ...counts0, idempotency: counts0.idempotency + answeredBatchesWithKey });
    expect(view1).toEqual(view0);
  });
});
