import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueName } from '../../../functions/shared/manifest';

export interface QueueUrls {
  url: string;
  dlqUrl: string;
}

/** Where a command acts: the running local stack, or a deployed stack in an AWS account. */
export interface AdminTarget {
  kind: 'local' | 'aws';
  region: string;
  tableName: string;
  documents: DynamoDBDocumentClient;
  sqs: SQSClient;
  /** Queue URLs by manifest name; throws with a hint when the target does not know one. */
  queue(name: QueueName): QueueUrls;
  /** Shortcut for `queue('webhook').url`. */
  readonly webhookQueueUrl: string;
  /** The local runtime delivers webhooks to http://localhost receivers; a deployed stack never does. */
  allowLoopback: boolean;
}

/**
 * One admin command. `options` are `--name <value>` strings and `flags` are booleans; `run` gets
 * them by their kebab-case names and returns what the CLI prints (one JSON line with `--json`).
 */
export interface AdminCommand {
  summary?: string;
  options: readonly string[];
  required?: readonly string[];
  flags?: readonly string[];
  // Commands declare their own argument shapes; the dispatcher checks `required` before calling.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command narrows its own args
  run(target: AdminTarget, args: any): Promise<unknown>;
}

export type AdminCommands = Record<string, AdminCommand>;
