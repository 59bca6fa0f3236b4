import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { QUEUES, type QueueName } from '../../functions/shared/manifest';
import { NotificationJob } from '../../functions/domain/notifications';
import { notificationsRepo } from '../../functions/shared/repos/notifications';
import type { AdminCommands, AdminTarget } from './support/types';
import { WAIT_ATTRIBUTES } from '../../functions/domain/send-pacing';

/**
 * Parked jobs: `list-parked` shows what sits in a queue's dead-letter queue (with the error the
 * notification record kept), `redrive` moves it back to the queue for another round of attempts.
 * Written with plain Receive/Send/Delete rather than SQS's StartMessageMoveTask, which the local
 * emulator lacks, so both targets run the same code.
 */

const queueName = (value: string | undefined): QueueName => {
  if (value && value in QUEUES) return value as QueueName;
  throw new Error(`--queue must be one of ${Object.keys(QUEUES).join(', ')}.`);
};

/** How long a listed message stays hidden from other readers while this command pages through the DLQ. */
const PEEK_SECONDS = 20;

const receiveAll = async (target: AdminTarget, queueUrl: string, limit: number): Promise<Message[]> => {
  const messages: Message[] = [];
  while (messages.length < limit) {
    const { Messages = [] } = await target.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, limit - messages.length),
        VisibilityTimeout: PEEK_SECONDS,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    messages.push(...Messages);
  }
  return messages;
};

/** Makes peeked messages visible again at once. */
const release = async (target: AdminTarget, queueUrl: string, messages: Message[]) => {
  for (let i = 0; i < messages.length; i += 10) {
    const batch = messages.slice(i, i + 10);
    await target.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle ?? '', VisibilityTimeout: 0 })),
      }),
    );
  }
};

const parseBody = (body: string | undefined): unknown => {
  try {
    return JSON.parse(body ?? '');
  } catch {
    return body;
  }
};

/** The notification record's view of a parked notification job: why it failed and how often it was tried. */
const notificationState = async (target: AdminTarget, body: unknown) => {
  const job = NotificationJob.safeParse(body);
  if (!job.success) return {};
  const records = await notificationsRepo(target.tableName, target.documents).listForCustomer(job.data.customerId);
  const record = records.find((r) => r.jobId === job.data.jobId);
  return record ? { status: record.status, attempts: record.attempts, lastError: record.lastError, updatedAt: record.updatedAt } : {};
};

export const listParked = async (target: AdminTarget, args: { queue?: string; limit?: string }) => {
  const name = queueName(args.queue);
  const { dlqUrl } = target.queue(name);
  const messages = await receiveAll(target, dlqUrl, Number(args.limit ?? 100));
  await release(target, dlqUrl, messages);
  const jobs = await Promise.all(
    messages.map(async (message) => {
      const body = parseBody(message.Body);
      return {
        messageId: message.MessageId,
        sentAt: message.Attributes?.SentTimestamp ? new Date(Number(message.Attributes.SentTimestamp)).toISOString() : undefined,
        receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
        job: body,
        ...(name === 'notification' ? await notificationState(target, body) : {}),
      };
    }),
  );
  return { queue: name, dlq: `${QUEUES[name].id}Dlq`, count: jobs.length, jobs };
};

/**
 * Moves parked jobs (all, or the one `--message-id` names) back to their queue. Each is sent
 * before it is deleted from the DLQ: a crash in between leaves a copy in both, and the workers
 * recognise a job they already finished by its id.
 */
export const redrive = async (target: AdminTarget, args: { queue?: string; 'message-id'?: string; limit?: string }) => {
  const name = queueName(args.queue);
  const { url, dlqUrl } = target.queue(name);
  const messages = await receiveAll(target, dlqUrl, Number(args.limit ?? 1000));
  const chosen = args['message-id'] ? messages.filter((m) => m.MessageId === args['message-id']) : messages;
  await release(target, dlqUrl, messages.filter((m) => !chosen.includes(m)));
  const moved: string[] = [];
  for (const message of chosen) {
    await target.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: message.Body ?? '',
        MessageAttributes: Object.fromEntries(
          // A fresh round of attempts: the failures and wait a parked job carries stay behind.
          Object.entries(message.MessageAttributes ?? {}).filter(([key]) => !(Object.values(WAIT_ATTRIBUTES) as string[]).includes(key)).map(([key, value]) => [key, { DataType: value.DataType, StringValue: value.StringValue, BinaryValue: value.BinaryValue }]),
        ),
      }),
    );
    await target.sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle ?? '' }));
    moved.push(message.MessageId ?? '');
  }
  if (args['message-id'] && moved.length === 0) throw new Error(`No parked message ${args['message-id']} in ${QUEUES[name].id}Dlq.`);
  return { queue: name, redriven: moved.length, messageIds: moved };
};

export const queueCommands: AdminCommands = {
  'list-parked': { summary: "List jobs parked in a queue's dead-letter queue (notification, webhook, streamFailure)", options: ['queue', 'limit'], required: ['queue'], run: listParked },
  redrive: { summary: 'Move parked jobs (all, or --message-id) back to their queue', options: ['queue', 'message-id', 'limit'], required: ['queue'], run: redrive },
};
