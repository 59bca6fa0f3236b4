/**
 * A queue worker that dies mid-batch: the local runtime's SQS poller (what Lambda's event source
 * mapping does) runs one worker function on one queue in this process, and the process kills
 * itself with SIGKILL as it is about to send the KILL_AT-th message to the provider (an SDK
 * middleware counts the calls), or is killed from outside (the webhook receiver does that). Nothing
 * is mocked: the batch's other sends are wherever they had got to, as when a Lambda instance dies.
 *
 * Environment: the stack's Lambda environment, plus WORKER_FN (`send-notification`), WORKER_QUEUE_URL,
 * and optionally KILL_AT with KILL_ON_COMMAND (e.g. `SendEmailCommand`).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { startQueuePoller } from '../../../bin/local/queue-poller';
import { ses } from '../../../functions/shared/adapters/clients/ses';
import { sns } from '../../../functions/shared/adapters/clients/sns';

const killAt = Number(process.env.KILL_AT ?? 0);
const command = process.env.KILL_ON_COMMAND ?? 'SendEmailCommand';
let calls = 0;
if (killAt > 0) {
  for (const client of [ses, sns] as Array<typeof ses>) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === command && ++calls === killAt) {
          process.stdout.write(`killed at ${command} number ${calls}\n`);
          process.kill(process.pid, 'SIGKILL');
        }
        return next(args);
      },
      { step: 'initialize', name: 'dieAtCall' },
    );
  }
}

const region = process.env.AWS_REGION ?? 'us-east-1';
startQueuePoller({
  sqs: new SQSClient({ region, endpoint: process.env.AWS_ENDPOINT_URL_SQS, useQueueUrlAsEndpoint: false }),
  queueUrl: process.env.WORKER_QUEUE_URL!,
  queueArn: `arn:aws:sqs:${region}:000000000000:doomed`,
  fn: process.env.WORKER_FN!,
  region,
  batchSize: 10,
  concurrency: 1,
  log: (message) => process.stdout.write(`${message}\n`),
});
process.stdout.write('polling\n');
