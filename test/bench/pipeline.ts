import { Webhook } from 'standardwebhooks';
import { merchantWithLocation, quietHoursAwayFromNow, type Merchant } from '../support/api';
import { createCustomer, statementBody, tinyPdf } from '../support/fixtures';
import { smsTo, uniquePhone } from '../support/outbox';
import { customerWithStatement, openPayForm, postPayForm } from '../support/payments';
import { adminTarget, startReceiver } from '../support/webhooks';
import { startBenchStack } from './local-stack';
import { countSdkCalls, tally, type SdkCall, type SdkCallCounter } from './sdk-calls';
import { percentilesOf, ms } from './stats';
import { section, type Goal } from './report';

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(20);
  }
  throw new Error(`${what}: not seen in ${timeoutMs} ms`);
};

/** The scheduler runs on a timer (every minute on AWS, compressed locally), whatever a step does. */
const PERIODIC = new Set(['release-notifications']);
const causedBySteps = (calls: SdkCall[]) => calls.filter((call) => !PERIODIC.has(call.fn));

/** Waits until no SDK call a step could have caused was counted for `quietMs` (the pipeline has settled). */
const settled = async (counter: SdkCallCounter, quietMs = 1200) => {
  let seen = -1;
  for (;;) {
    const now = causedBySteps(counter.calls()).length;
    if (now === seen) return;
    seen = now;
    await sleep(quietMs);
  }
};

/** Counts the processor's calls (the sandbox is in process, not an SDK client) as round trips too. */
const countProcessorCalls = async (counter: SdkCallCounter) => {
  const { runningFunction } = (require('../../bin/local/handlers') as typeof import('../../bin/local/handlers'));
  const { sandboxInstance } = (require('../../functions/shared/adapters/gateway') as typeof import('../../functions/shared/adapters/gateway'));
  const gateway = sandboxInstance() as unknown as Record<string, unknown>;
  for (const name of ['authorize', 'capture', 'void', 'refund']) {
    const original = gateway[name] as (...args: unknown[]) => Promise<unknown>;
    gateway[name] = (...args: unknown[]) => {
      counter.record({ service: 'Processor', command: name, fn: runningFunction() ?? '(outside a function)' });
      return original(...args);
    };
  }
};

interface Step {
  step: string;
  calls: SdkCall[];
}

const callsOf = (steps: Step[], step: string, fn: string) => steps.find((s) => s.step === step)?.calls.filter((c) => c.fn === fn) ?? [];
const count = (calls: SdkCall[], service?: string, command?: string) => calls.filter((c) => (!service || c.service === service) && (!command || c.command === command)).length;
const describe = (calls: SdkCall[]) =>
  Object.entries(tally(calls))
    .flatMap(([, byName]) => Object.entries(byName).map(([name, n]) => `${name} ${n}`))
    .join(', ') || 'none';

/**
 * Round trips of each route and worker for one request or message, counted at the SDK clients
 * (and the processor), attributed to the function that made them.
 */
const roundTrips = async (counter: SdkCallCounter, merchant: Merchant, receivedCount: () => number) => {
  const steps: Step[] = [];
  const step = async (name: string, act: () => Promise<unknown>) => {
    await settled(counter, 300);
    counter.reset();
    await act();
    await settled(counter);
    steps.push({ step: name, calls: causedBySteps(counter.calls()) });
  };
  const phone = uniquePhone();
  let customerId = '';
  await step('setServiceLocation (authorizer cache hit)', () =>
    merchant.call('POST', '/setServiceLocation', { body: { name: 'Bench Dental', address: { line1: '1 Main St', city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' }, quietHours: quietHoursAwayFromNow() } }),
  );
  await step('setCustomer (create)', async () => (customerId = await createCustomer(merchant, { primaryPhone: phone })));
  await step('setStatement, then its SMS', async () => {
    const response = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '100.00' }) });
    if (response.status >= 300) throw new Error(response.text);
    await until('the statement SMS', async () => ((await smsTo(phone)).length >= 1 ? true : undefined));
  });
  await step('setStatement with a PDF, then its SMS', async () => {
    const response = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: '120.00', attachment: tinyPdf().toString('base64') }) });
    if (response.status >= 300) throw new Error(response.text);
    await until('the second SMS', async () => ((await smsTo(phone)).length >= 2 ? true : undefined));
  });
  const links = await customerWithStatement(merchant, { balanceDue: '80.00' });
  await settled(counter, 300);
  await step('statement page', () => fetch(links.statementUrl).then((r) => r.text()));
  const form = await openPayForm(links.statementUrl);
  let received = 0;
  await step('payment, then its webhook and receipt', async () => {
    const paid = await postPayForm(links.statementUrl, { ...form, amount: '80.00' });
    if (paid.status >= 400) throw new Error(`pay ${paid.status}: ${paid.html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 400)}`);
    await until('the payment webhook', async () => (receivedCount() > received ? true : undefined));
    received = receivedCount();
  });
  const payments = await merchant.call('GET', `/listPayments?customerId=${links.customerId}`);
  const paymentId = (payments.body.items as Array<{ paymentId?: string; id?: string }>)[0];
  const id = paymentId?.paymentId ?? paymentId?.id ?? '';
  await step('refundPayment, then its webhook and notice', async () => {
    const refund = await merchant.call('POST', '/refundPayment', { body: { paymentId: id, amount: '10.00', reason: 'requested_by_customer' }, headers: { 'Idempotency-Key': `bench-${id}` } });
    if (refund.status >= 300) throw new Error(`refund ${refund.status}: ${refund.text}`);
    await until('the refund webhook', async () => (receivedCount() > received ? true : undefined));
  });
  for (const [name, path] of [
    ['getCustomer', `/getCustomer?id=${customerId}`],
    ['getStatement', `/getStatement?customerId=${customerId}`],
    ['listCustomers', '/listCustomers'],
    ['listPayments', `/listPayments?customerId=${links.customerId}`],
    ['listNotifications', `/listNotifications?customerId=${customerId}`],
  ] as const) {
    await step(name, async () => {
      const answer = await merchant.call('GET', path);
      if (answer.status !== 200) throw new Error(`${name} ${answer.status}: ${answer.text}`);
    });
  }
  await step('tiny link', () => fetch(links.tinyUrl, { redirect: 'manual' }));
  return steps;
};

/** The round-trip goals, each judged on the counted calls. */
const roundTripGoals = (steps: Step[]): Goal[] => {
  const goal = (text: string, calls: SdkCall[], met: boolean): Goal => ({ goal: text, figure: describe(calls), met });
  const plain = callsOf(steps, 'setStatement, then its SMS', 'set-statement');
  const withPdf = callsOf(steps, 'setStatement with a PDF, then its SMS', 'set-statement');
  const hit = callsOf(steps, 'setServiceLocation (authorizer cache hit)', 'authorize');
  const pay = callsOf(steps, 'payment, then its webhook and receipt', 'pay-statement');
  const payDynamo = pay.filter((c) => c.service === 'DynamoDB');
  const notify = callsOf(steps, 'setStatement, then its SMS', 'send-notification');
  const router = callsOf(steps, 'setStatement, then its SMS', 'stream-router');
  const push = callsOf(steps, 'payment, then its webhook and receipt', 'push-webhook');
  return [
    goal('setStatement: 1 DynamoDB call', plain, count(plain) === 1 && count(plain, 'DynamoDB') === 1),
    goal('setStatement with a PDF: 1 DynamoDB call + 1 S3 put', withPdf, count(withPdf) === 2 && count(withPdf, 'DynamoDB') === 1 && count(withPdf, 'S3', 'PutObject') === 1),
    goal('authorizer cache hit: 0 calls', hit, count(hit) === 0),
    goal(
      'payment: the ledger transaction, the idempotency record (put + update), one read; processor authorize + capture',
      pay,
      count(payDynamo, 'DynamoDB', 'TransactWriteItems') === 1 &&
        count(payDynamo, 'DynamoDB', 'PutItem') <= 1 &&
        count(payDynamo, 'DynamoDB', 'UpdateItem') <= 1 &&
        count(payDynamo, 'DynamoDB', 'GetItem') + count(payDynamo, 'DynamoDB', 'BatchGetItem') + count(payDynamo, 'DynamoDB', 'Query') <= 1 &&
        count(payDynamo) <= 4 &&
        count(pay, 'Processor', 'authorize') === 1 &&
        count(pay, 'Processor', 'capture') === 1,
    ),
    goal('stream router, one statement: 1 SQS send, no table reads', router, count(router, 'SQS') <= 1 && count(router, 'DynamoDB') === 0),
    goal(
      'statement SMS job: context read 1, claim 1, send slot 1 (the channel rate), finish 1, opt-out check 1, SNS publish 1',
      notify,
      count(notify, 'DynamoDB', 'BatchGetItem') <= 1 && count(notify, 'DynamoDB', 'UpdateItem') <= 3 && count(notify, 'DynamoDB') <= 4 && count(notify, 'SNS', 'Publish') === 1 && count(notify, 'SNS') <= 2,
    ),
    goal(
      "payment webhook job: delivery create 1, config + payment reads 2, a lane of the location taken and freed 2, attempt record 1",
      push,
      count(push, 'DynamoDB') <= 6 && count(push, 'DynamoDB', 'DeleteItem') <= 1,
    ),
  ];
};

/** Event latency: setStatement → SMS in the outbox, and payment → verified webhook at a receiver. */
const eventLatency = async (merchant: Merchant, receiver: Awaited<ReturnType<typeof startReceiver>>, secret: string, samples: number) => {
  const smsLatency: number[] = [];
  for (let i = 0; i < samples; i++) {
    const phone = uniquePhone();
    const customerId = await createCustomer(merchant, { primaryPhone: phone });
    const started = Date.now();
    const response = await merchant.call('POST', '/setStatement', { body: statementBody(customerId, { balanceDue: `${10 + i}.00` }) });
    if (response.status >= 300) throw new Error(response.text);
    const sms = await until('the statement SMS', async () => (await smsTo(phone))[0]);
    smsLatency.push(Date.parse(sms.at) - started);
  }
  const webhookLatency: number[] = [];
  const webhookFromSubmit: number[] = [];
  const verifier = new Webhook(secret);
  for (let i = 0; i < samples; i++) {
    const links = await customerWithStatement(merchant, { balanceDue: `${20 + i}.00` });
    const form = await openPayForm(links.statementUrl);
    const before = receiver.received.length;
    const submitted = Date.now();
    const paid = await postPayForm(links.statementUrl, { ...form, amount: `${20 + i}.00` });
    const completed = Date.now();
    if (paid.status >= 400) throw new Error(`pay ${paid.status}: ${paid.html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 400)}`);
    const delivery = await until('the payment webhook', async () =>
      receiver.received.slice(before).find((r) => r.body.includes(links.customerId) && r.body.includes('payment.completed')),
    );
    verifier.verify(delivery.body, { 'webhook-id': delivery.headers['webhook-id'], 'webhook-timestamp': delivery.headers['webhook-timestamp'], 'webhook-signature': delivery.headers['webhook-signature'] });
    webhookLatency.push(delivery.at - completed);
    webhookFromSubmit.push(delivery.at - submitted);
  }
  return {
    sms: percentilesOf('setStatement → SMS in the outbox', smsLatency),
    webhook: percentilesOf('payment answered → verified webhook at the receiver', webhookLatency),
    webhookFromSubmit: percentilesOf('pay form submitted → verified webhook at the receiver', webhookFromSubmit),
  };
};

export const benchPipeline = async (options: { samples: number }) => {
  const stack = await startBenchStack({ workers: true });
  const receiver = await startReceiver();
  try {
    const counter = await countSdkCalls();
    await countProcessorCalls(counter);
    const merchant = await merchantWithLocation({ name: 'Bench Dental' });
    // Required after the stack set the Lambda environment: it loads the functions' SQS client, which reads it once.
    const { setWebhook } = require('../../scripts/admin/webhooks') as typeof import('../../scripts/admin/webhooks');
    const webhook = await setWebhook(adminTarget(), { location: merchant.locationId, url: receiver.url });
    // One request first, so the authorizer's cache holds the key (API Gateway caches it the same way).
    const warm = await merchant.call('GET', '/listCustomers');
    if (warm.status !== 200) throw new Error(warm.text);
    const steps = await roundTrips(counter, merchant, () => receiver.received.length);
    const r = section('Round trips per request and per job');
    r.text.push(
      'Counted at the SDK clients the functions share (`functions/shared/adapters/clients/`) and at the payment processor, attributed to the function whose invocation made the call: noise-free, the same on any machine. Each step runs alone and waits until the pipeline is quiet. The queue and stream pollers (what Lambda event source mappings do) are not counted, nor the runs of the scheduler on its timer.',
    );
    const rows: string[][] = [['step', 'function', 'calls']];
    for (const s of steps) for (const [fn, byName] of Object.entries(tally(s.calls))) rows.push([s.step, fn, Object.entries(byName).map(([name, n]) => `${name} ${n}`).join(', ')]);
    r.tables.push({ rows });
    r.figures = { steps: steps.map((s) => ({ step: s.step, byFunction: tally(s.calls) })) };
    r.goals.push(...roundTripGoals(steps));

    const latency = await eventLatency(merchant, receiver, webhook.secret, options.samples);
    const e = section('Event latency on the local stack');
    e.text.push(
      `${options.samples} sequential samples each, on the local runtime with its pollers (stream poll every 100 ms, SQS long polls). SMS: from sending \`setStatement\` to the SMS's time in the outbox. Webhook: from the pay form's answer (the payment is recorded and captured) to the receiver getting the delivery, whose signature is then verified with the standardwebhooks library; and from the form's submission, which includes the sandbox processor's authorize and capture (SANDBOX_GATEWAY_LATENCY_MS each, 300 ms by default). The delivery can arrive before the answer: the stream sees the recorded payment while the capture is still on its way.`,
    );
    e.tables.push({ rows: [['event', 'p50 ms', 'p95 ms', 'p99 ms'], ...[latency.sms, latency.webhook, latency.webhookFromSubmit].map((p) => [p.name, ms(p.p50), ms(p.p95), ms(p.p99)])] });
    e.figures = latency;
    e.goals.push(
      { goal: 'setStatement → SMS in the outbox, p95 ≤ 1 s', figure: `p50 ${latency.sms.p50.toFixed(0)} ms, p95 ${latency.sms.p95.toFixed(0)} ms`, met: latency.sms.p95 <= 1000 },
      { goal: 'payment → verified webhook, p95 ≤ 1 s', figure: `p50 ${latency.webhook.p50.toFixed(0)} ms, p95 ${latency.webhook.p95.toFixed(0)} ms`, met: latency.webhook.p95 <= 1000 },
    );
    return [r, e];
  } finally {
    await receiver.close();
    await stack.stop();
  }
};
