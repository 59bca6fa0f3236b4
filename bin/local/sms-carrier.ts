import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalRoute } from './api-server';

/**
 * The local stand-in for SNS's SMS side (fauxqs serves topics, not phone numbers). The notifier's
 * SNS client points here (`AWS_ENDPOINT_URL_SNS`); this answers the SMS actions in SNS's own
 * query/XML protocol, which `@aws-sdk/client-sns` speaks, and forwards every other SNS request to
 * fauxqs. Tests switch faults on over HTTP (`POST /_local/faults`) to get throttling, 5xx, opted-out
 * and invalid numbers from a real endpoint rather than from a client mock.
 */

export interface SentSms {
  to: string;
  body: string;
  at: string;
  messageId: string;
  smsType?: string;
}

/** Faults the carrier plays; counts go down by one per Publish answered with that fault. */
export interface SmsFaults {
  /** Answer the next N Publish calls with `Throttled` (HTTP 429), as SNS does over its SMS rate. */
  throttle?: number;
  /** Answer the next N Publish calls with `InternalError` (HTTP 500). */
  serverError?: number;
  /** Apply `throttle` / `serverError` only to these numbers (all numbers when absent). */
  numbers?: string[];
  /** Numbers on the account's opt-out list (replied STOP). */
  optedOut?: string[];
  /** Numbers SNS refuses as invalid (`InvalidParameter`). */
  invalid?: string[];
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const E164 = /^\+[1-9]\d{6,14}$/;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const xmlResult = (action: string, result: string) =>
  `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result>` +
  `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;

const xmlError = (code: string, message: string, type: 'Sender' | 'Receiver' = 'Sender') =>
  `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>` +
  `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`;

const sendXml = (response: ServerResponse, status: number, body: string) => {
  response.writeHead(status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': randomUUID() });
  response.end(body);
};

const sendJson = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
};

export interface SmsCarrier {
  /** Every SMS accepted, oldest first. */
  readonly sent: SentSms[];
  /** `/_local/sns` (the SNS endpoint the functions use). */
  snsRoute: LocalRoute;
  /** `/_local/faults`: GET shows, POST `{"sms": {...}}` replaces the SMS faults (`{"sms": {}}` clears). */
  faultsRoute: LocalRoute;
}

/** Reads the SMS message attributes of a query-protocol Publish (`MessageAttributes.entry.N.*`). */
const messageAttribute = (params: URLSearchParams, name: string): string | undefined => {
  for (let i = 1; params.has(`MessageAttributes.entry.${i}.Name`); i += 1) {
    if (params.get(`MessageAttributes.entry.${i}.Name`) === name) return params.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? undefined;
  }
  return undefined;
};

export const createSmsCarrier = (options: { fauxqsUrl: string; log: (message: string) => void }): SmsCarrier => {
  const sent: SentSms[] = [];
  let faults: SmsFaults = {};

  const appliesTo = (phone: string) => !faults.numbers || faults.numbers.includes(phone);

  const publishSms = (params: URLSearchParams, response: ServerResponse) => {
    const to = params.get('PhoneNumber') ?? '';
    if (faults.throttle && appliesTo(to)) {
      faults.throttle -= 1;
      return sendXml(response, 429, xmlError('Throttled', 'Rate exceeded'));
    }
    if (faults.serverError && appliesTo(to)) {
      faults.serverError -= 1;
      return sendXml(response, 500, xmlError('InternalError', 'Internal service error', 'Receiver'));
    }
    if (!E164.test(to) || faults.invalid?.includes(to)) {
      return sendXml(response, 400, xmlError('InvalidParameter', `Invalid parameter: PhoneNumber Reason: ${to} is not valid to publish to`));
    }
    const message = params.get('Message') ?? '';
    if (!message) return sendXml(response, 400, xmlError('InvalidParameter', 'Invalid parameter: Message'));
    const messageId = randomUUID();
    // An opted-out number: SNS accepts the Publish and the carrier never delivers it.
    if (!faults.optedOut?.includes(to)) {
      sent.push({ to, body: message, at: new Date().toISOString(), messageId, smsType: messageAttribute(params, 'AWS.SNS.SMS.SMSType') });
    }
    return sendXml(response, 200, xmlResult('Publish', `<MessageId>${messageId}</MessageId>`));
  };

  const forwardToFauxqs = async (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || ['host', 'content-length', 'connection'].includes(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const upstream = await fetch(new URL('/', options.fauxqsUrl), { method: request.method, headers, body: body.length ? body : undefined });
    response.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'text/xml' });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  };

  const snsRoute: LocalRoute = async (request, response, body) => {
    const params = new URLSearchParams(body.toString('utf8'));
    const action = params.get('Action');
    if (action === 'Publish' && params.has('PhoneNumber')) return publishSms(params, response);
    if (action === 'CheckIfPhoneNumberIsOptedOut') {
      const optedOut = faults.optedOut?.includes(params.get('phoneNumber') ?? '') ?? false;
      return sendXml(response, 200, xmlResult(action, `<isOptedOut>${optedOut}</isOptedOut>`));
    }
    return forwardToFauxqs(request, response, body);
  };

  const faultsRoute: LocalRoute = (request, response, body) => {
    if (request.method === 'POST') {
      let parsed: { sms?: SmsFaults };
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        return sendJson(response, 400, { error: { code: 'invalid_json', message: 'Send {"sms": {...}}.' } });
      }
      faults = { ...(parsed.sms ?? {}) };
      options.log(`sms faults set: ${Object.keys(faults).join(', ') || 'none'}`);
    }
    return sendJson(response, 200, { sms: faults });
  };

  return { sent, snsRoute, faultsRoute };
};
