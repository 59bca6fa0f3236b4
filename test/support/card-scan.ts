import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { testClients } from './clients';
import { stackInfo } from './stack-info';
import { LOCAL_STACK_LOG_ENV } from './global-setup';
import { hasCardCodeField, textAround } from './card-fields';

/** Every item of a table, page by page. */
export const scanAll = async (tableName: string) => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await testClients().documents.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

/** The bodies of messages waiting in every queue and dead-letter queue (peeked: visibility 0). */
export const peekQueues = async () => {
  const bodies: string[] = [];
  for (const queue of Object.values(stackInfo().names.queues)) {
    for (const url of [queue.url, queue.dlqUrl]) {
      const { Messages } = await testClients().sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
      bodies.push(...(Messages ?? []).map((m) => m.Body ?? ''));
    }
  }
  return bodies;
};

/**
 * A secret counts as a whole token: not inside a longer word, number or hyphenated id (a random UUID
 * such as a correlation id can hold "8642" as one of its groups).
 */
const tokenPattern = (secret: string, flags = '') => new RegExp(`(^|[^0-9A-Za-z-])${secret}(?=[^0-9A-Za-z-]|$)`, flags);

export const containsToken = (text: string, secret: string) => tokenPattern(secret).test(text);

/** How often the secret occurs as a token. */
const tokenCount = (text: string, secret: string) => (text.match(tokenPattern(secret, 'g')) ?? []).length;

/** Everything the stack stored, queued, sent or logged: the places card data must never reach. */
export const cardDataHaystacks = async (): Promise<Record<string, string>> => ({
  table: JSON.stringify(await scanAll(stackInfo().names.table)),
  idempotency: JSON.stringify(await scanAll(stackInfo().names.idempotencyTable)),
  queues: JSON.stringify(await peekQueues()),
  outbox: await (await fetch(new URL('/_local/outbox.json', stackInfo().url))).text(),
  stackLog: readFileSync(process.env[LOCAL_STACK_LOG_ENV]!, 'utf8'),
});

/**
 * Each secret found in each haystack, as `secret in where: …context…`, plus any card-code field name
 * outside the logs. With `before` (the same places read before the payments were typed), a secret
 * counts only where it occurs more often than before: a four-digit CVV can also be a fuzzed value
 * an earlier test file left in the shared stack, which no payment of this test put there.
 */
export const cardDataHits = (haystacks: Record<string, string>, secrets: readonly string[], fieldNamesIn: readonly string[], before: Record<string, string> = {}) => [
  ...Object.entries(haystacks).flatMap(([where, text]) =>
    secrets.filter((secret) => tokenCount(text, secret) > tokenCount(before[where] ?? '', secret)).map((secret) => `${secret} in ${where}: …${textAround(text, tokenPattern(secret))}…`),
  ),
  ...fieldNamesIn.filter((where) => hasCardCodeField(haystacks[where] ?? '') && !hasCardCodeField(before[where] ?? '')).map((where) => `card code field in ${where}`),
];
