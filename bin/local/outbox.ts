import type { LocalRoute } from './api-server';
import type { Journal } from './journal';
import type { SentSms } from './sms-carrier';
import type { ProviderFeedback } from './provider-feedback';

/**
 * The local outbox: every SMS the carrier stand-in accepted and every email the SES emulator
 * received, newest first, as a page (`/_local/outbox`) and as JSON (`/_local/outbox.json`).
 * Other local parts (webhook attempts) add their own section with `addSection`.
 *
 * The SES emulator keeps its emails in memory. So that the outbox survives a restart, the
 * functions' SES endpoint is `sesRoute` (`/_local/ses`), which passes each call on to the emulator
 * and then writes the emails it received to the journal; the outbox shows the journal's earlier
 * emails before the emulator's own.
 */

export interface OutboxEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  at: string;
}

export interface OutboxSection {
  /** Key in the JSON twin, e.g. `webhooks`. */
  key: string;
  title: string;
  /** Entries newest first; each is a flat object shown as one row. */
  list: () => Promise<Array<Record<string, unknown>>> | Array<Record<string, unknown>>;
}

export interface Outbox {
  addSection(section: OutboxSection): void;
  pageRoute: LocalRoute;
  jsonRoute: LocalRoute;
  /** The SES endpoint the functions use (`AWS_ENDPOINT_URL_SES`): a relay to the SES emulator. */
  sesRoute: LocalRoute;
}

export interface OutboxOptions {
  sms: () => SentSms[];
  sesUrl: string;
  /** Keeps emails across restarts. */
  emailJournal?: Journal<OutboxEmail>;
  /** Reports sent emails to the local provider feedback (bounces and complaints on the feedback queue). */
  feedback?: ProviderFeedback;
}

interface SesStoreEmail {
  destination?: { to?: string[] };
  subject?: string;
  body?: { text?: string; html?: string };
  at?: number;
}

const escapeHtml = (value: unknown) =>
  String(value ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const table = (rows: Array<Record<string, unknown>>, columns: string[]) =>
  rows.length === 0
    ? '<p class="empty">Nothing yet.</p>'
    : `<table><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((row) => `<tr>${columns.map((c) => `<td>${escapeHtml(typeof row[c] === 'object' ? JSON.stringify(row[c]) : row[c])}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;

const toOutboxEmail = (email: SesStoreEmail): OutboxEmail => ({
  to: (email.destination?.to ?? []).join(', '),
  subject: email.subject ?? '',
  text: email.body?.text ?? '',
  html: email.body?.html ?? '',
  at: new Date((email.at ?? 0) * 1000).toISOString(),
});

/**
 * Tells the local provider feedback about an email SES accepted (SES v1 query protocol, as
 * `@aws-sdk/client-ses` speaks it): its recipients and the MessageId the function received.
 */
const reportSent = (feedback: ProviderFeedback, request: Buffer, answer: Buffer) => {
  const params = new URLSearchParams(request.toString('utf8'));
  if (params.get('Action') !== 'SendEmail') return;
  const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(answer.toString('utf8'))?.[1];
  if (!messageId) return;
  const recipients = [...params.entries()].filter(([name]) => /^Destination\.(To|Cc|Bcc)Addresses\.member\.\d+$/.test(name)).map(([, value]) => value);
  feedback.later(() => feedback.emailSent(messageId, recipients), feedback.emailDelayMs(recipients));
};

const HOP_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);

export const createOutbox = (options: OutboxOptions): Outbox => {
  const sections: OutboxSection[] = [];
  const earlierEmails = options.emailJournal?.earlier ?? [];

  /** What the SES emulator received in this run, oldest first. */
  const liveEmails = async (): Promise<OutboxEmail[]> => {
    const response = await fetch(new URL('/store', options.sesUrl));
    const store = (await response.json()) as { emails?: SesStoreEmail[] };
    return (store.emails ?? []).map(toOutboxEmail);
  };

  const emails = async (): Promise<OutboxEmail[]> => [...earlierEmails, ...(await liveEmails())].reverse();

  // The emulator's list only grows; journal its new entries one relay at a time, in order.
  let journaled = 0;
  let journaling: Promise<void> = Promise.resolve();
  const journalNewEmails = () => {
    const journal = options.emailJournal;
    if (!journal) return Promise.resolve();
    const run = journaling.then(async () => {
      const live = await liveEmails();
      for (const email of live.slice(journaled)) journal.append(email);
      journaled = live.length;
    });
    journaling = run.catch(() => undefined);
    return run;
  };

  const sesRoute: LocalRoute = async (request, response, body) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const upstream = await fetch(new URL(`/${url.search}`, options.sesUrl), { method: request.method, headers, body: body.length ? body : undefined });
    const answer = Buffer.from(await upstream.arrayBuffer());
    // The email is on disk before the function hears it was sent.
    if (upstream.ok) await journalNewEmails();
    if (upstream.ok && options.feedback) reportSent(options.feedback, body, answer);
    response.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'text/xml' });
    response.end(answer);
  };

  const smsList = () => options.sms().map(({ to, body, at }) => ({ to, body, at })).reverse();
  const snapshot = async () => {
    const extra = await Promise.all(sections.map(async (section) => [section.key, await section.list()] as const));
    return { sms: smsList(), email: await emails(), ...Object.fromEntries(extra) };
  };

  /** Only the parts named in `only` (`sms`, `email`, a section's key). */
  const partialSnapshot = async (only: ReadonlySet<string>) => {
    const extra = await Promise.all(sections.filter((section) => only.has(section.key)).map(async (section) => [section.key, await section.list()] as const));
    return { ...(only.has('sms') ? { sms: smsList() } : {}), ...(only.has('email') ? { email: await emails() } : {}), ...Object.fromEntries(extra) };
  };

  /**
   * `?only=sms,email` leaves the other parts out: the webhook section scans the table, which a test
   * or benchmark polling for one SMS should not pay for on every poll.
   */
  const jsonRoute: LocalRoute = async (request, response) => {
    const only = new URL(request.url ?? '/', 'http://localhost').searchParams.get('only');
    response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(JSON.stringify(only ? await partialSnapshot(new Set(only.split(',').map((part) => part.trim()))) : await snapshot()));
  };

  const pageRoute: LocalRoute = async (_request, response) => {
    const data = await snapshot();
    const emailRows = data.email.map((email) => ({ ...email, html: undefined }));
    const extraHtml = sections
      .map((section) => {
        const rows = (data as Record<string, unknown>)[section.key] as Array<Record<string, unknown>>;
        const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
        return `<h2>${escapeHtml(section.title)} (${rows.length})</h2>${table(rows, columns)}`;
      })
      .join('\n');
    const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Local outbox</title><style>body{font-family:system-ui,sans-serif;margin:16px;color:#222}table{border-collapse:collapse;width:100%;margin-bottom:24px}
th,td{border:1px solid #ccc;padding:6px;text-align:left;vertical-align:top;font-size:14px;white-space:pre-wrap}th{background:#f3f3f3}.empty{color:#777}
details{margin:4px 0}</style></head><body>
<h1>Local outbox</h1><p>Everything the local runtime sent, newest first. JSON: <a href="/_local/outbox.json">/_local/outbox.json</a></p>
<h2>SMS (${data.sms.length})</h2>${table(data.sms, ['at', 'to', 'body'])}
<h2>Email (${data.email.length})</h2>${table(emailRows, ['at', 'to', 'subject', 'text'])}
${data.email.map((email, i) => `<details><summary>HTML of email ${i + 1}: ${escapeHtml(email.subject)}</summary><iframe sandbox="" style="width:100%;height:420px;border:1px solid #ccc" srcdoc="${escapeHtml(email.html)}"></iframe></details>`).join('\n')}
${extraHtml}
</body></html>`;
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(page);
  };

  return { addSection: (section) => sections.push(section), pageRoute, jsonRoute, sesRoute };
};
