import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalRoute } from './api-server';
import { nowIso } from '../../functions/shared/adapters/clock';
import type { Journal } from './journal';
import type { EmailFeedbackRule, ProviderFeedback } from './provider-feedback';

/**
 * The local stand-in for SNS's SMS side (fauxqs serves topics, not phone numbers). The notifier's
 * SNS client points here (`AWS_ENDPOINT_URL_SNS`); this answers the SMS actions in SNS's own
 * query/XML protocol, which `@aws-sdk/client-sns` speaks, and forwards every other SNS request to
 * fauxqs. Tests switch faults on over HTTP (`POST /_local/faults`) to get throttling, 5xx, opted-out
 * and invalid numbers from a real endpoint rather than from a client mock:
 * `{"sms": {"throttle": 3, "numbers": ["+15125550123"]}}` sets the rule for those numbers,
 * `{"sms": {"throttle": 3}}` for every other number, `{"sms": {"numbers": [...]}}` clears theirs,
 * `{"reset": true}` clears all.
 */

export interface SentSms {
  to: string;
  body: string;
  at: string;
  messageId: string;
  smsType?: string;
}

/**
 * A fault rule for some numbers (or every number). Counts go down by one per Publish answered with
 * that fault. Rules are per number, so tests running side by side do not undo each other's.
 */
export interface SmsFaults {
  /** Answer the next N Publish calls with `Throttled` (HTTP 429), as SNS does over its SMS rate. */
  throttle?: number;
  /** Answer the next N Publish calls with `InternalError` (HTTP 500). */
  serverError?: number;
  /** The numbers are on the account's opt-out list (replied STOP). */
  optedOut?: boolean;
  /** SNS refuses the numbers as invalid (`InvalidParameter`). */
  invalid?: boolean;
  /**
   * Accept the SMS, then report a delivery failure through the feedback queue, as AWS End User
   * Messaging SMS does (`true` = `TEXT_CARRIER_UNREACHABLE`, or an event type like `TEXT_BLOCKED`).
   */
  deliveryFailure?: boolean | string;
  /** The numbers this rule is for; every number without a rule of its own when absent. */
  numbers?: string[];
}

type SmsRule = Omit<SmsFaults, 'numbers'>;

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
  /** `/_local/faults`: GET shows the rules, POST sets one (see above). */
  faultsRoute: LocalRoute;
}

/** Reads the SMS message attributes of a query-protocol Publish (`MessageAttributes.entry.N.*`). */
const messageAttribute = (params: URLSearchParams, name: string): string | undefined => {
  for (let i = 1; params.has(`MessageAttributes.entry.${i}.Name`); i += 1) {
    if (params.get(`MessageAttributes.entry.${i}.Name`) === name) return params.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? undefined;
  }
  return undefined;
};

export interface SmsCarrierOptions {
  fauxqsUrl: string;
  log: (message: string) => void;
  /** Where accepted messages are kept across restarts; those of earlier runs come first in `sent`. */
  journal?: Journal<SentSms>;
  /** The providers' feedback side: bounces, complaints and SMS delivery failures on the feedback queue. */
  feedback?: ProviderFeedback;
}

export const createSmsCarrier = (options: SmsCarrierOptions): SmsCarrier => {
  const sent: SentSms[] = [...(options.journal?.earlier ?? [])];
  const ANY = '*';
  const rules = new Map<string, SmsRule>();
  const ruleFor = (phone: string): SmsRule => rules.get(phone) ?? rules.get(ANY) ?? {};
  let rate: { perSecond: number; tokens: number; at: number; throttled: number } | undefined;
  /** Takes a token of the rate's bucket; false when it is empty (over the rate). */
  const withinRate = (): boolean => {
    if (!rate) return true;
    const now = performance.now();
    rate.tokens = Math.min(rate.perSecond, rate.tokens + ((now - rate.at) / 1000) * rate.perSecond);
    rate.at = now;
    if (rate.tokens < 1) {
      rate.throttled += 1;
      return false;
    }
    rate.tokens -= 1;
    return true;
  };
  const rateView = () => (rate ? { perSecond: rate.perSecond, throttled: rate.throttled } : null);

  const publishSms = (params: URLSearchParams, response: ServerResponse) => {
    const to = params.get('PhoneNumber') ?? '';
    const rule = ruleFor(to);
    if (!withinRate()) return sendXml(response, 429, xmlError('Throttled', 'Rate exceeded'));
    if (rule.throttle) {
      rule.throttle -= 1;
      return sendXml(response, 429, xmlError('Throttled', 'Rate exceeded'));
    }
    if (rule.serverError) {
      rule.serverError -= 1;
      return sendXml(response, 500, xmlError('InternalError', 'Internal service error', 'Receiver'));
    }
    if (!E164.test(to) || rule.invalid) {
      return sendXml(response, 400, xmlError('InvalidParameter', `Invalid parameter: PhoneNumber Reason: ${to} is not valid to publish to`));
    }
    const message = params.get('Message') ?? '';
    if (!message) return sendXml(response, 400, xmlError('InvalidParameter', 'Invalid parameter: Message'));
    const messageId = randomUUID();
    // An opted-out number: SNS accepts the Publish and the carrier never delivers it.
    if (!rule.optedOut) {
      const sms: SentSms = { to, body: message, at: nowIso(), messageId, smsType: messageAttribute(params, 'AWS.SNS.SMS.SMSType') };
      sent.push(sms);
      options.journal?.append(sms);
      const feedback = options.feedback;
      feedback?.later(() => feedback.smsAccepted(messageId, to));
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
      const optedOut = ruleFor(params.get('phoneNumber') ?? '').optedOut ?? false;
      return sendXml(response, 200, xmlResult(action, `<isOptedOut>${optedOut}</isOptedOut>`));
    }
    return forwardToFauxqs(request, response, body);
  };

  const faultsRoute: LocalRoute = (request, response, body) => {
    if (request.method === 'POST') {
      let parsed: { sms?: (SmsFaults & { ratePerSecond?: number | null }) | null; email?: (EmailFeedbackRule & { addresses?: string[] }) | null; reset?: boolean };
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        return sendJson(response, 400, { error: { code: 'invalid_json', message: 'Send {"sms": {...}}.' } });
      }
      if (parsed.reset) {
        rules.clear();
        rate = undefined;
        options.feedback?.clear();
      }
      if (parsed.email) options.feedback?.setEmailRule(parsed.email);
      if (parsed.sms && 'ratePerSecond' in parsed.sms) {
        const { ratePerSecond, ...others } = parsed.sms;
        const perSecond = Number(ratePerSecond);
        rate = ratePerSecond && perSecond > 0 ? { perSecond, tokens: perSecond, at: performance.now(), throttled: 0 } : undefined;
        // The rate alone leaves the per-number rules as they are.
        parsed.sms = Object.keys(others).length ? others : null;
      }
      if (parsed.sms) {
        const { numbers, deliveryFailure, ...rule } = parsed.sms;
        options.feedback?.setSmsFailure(deliveryFailure, numbers);
        // A rule replaces the previous one for the same numbers; an empty rule clears them.
        for (const target of numbers ?? [ANY]) {
          if (Object.values(rule).some(Boolean)) rules.set(target, { ...rule });
          else rules.delete(target);
        }
      }
      options.log(`sms faults: ${rules.size} rule(s)`);
    }
    return sendJson(response, 200, { sms: Object.fromEntries(rules), smsRate: rateView(), feedback: options.feedback?.rules() });
  };

  return { sent, snsRoute, faultsRoute };
};
