import * as z from './zod';
import type { Channel } from './notifications';

/**
 * What the providers tell us after a send: SES bounce, complaint and delivery events (published by
 * the configuration set to an SNS topic, which the feedback queue receives raw or SNS-wrapped), and
 * SMS delivery events in AWS End User Messaging SMS's shape (`TEXT_DELIVERED`, `TEXT_BLOCKED`…).
 * Pure: the feedback worker parses a queue message with {@link readFeedback} and applies the result.
 */

const Recipient = z.object({ emailAddress: z.string() });

const SesEvent = z.object({
  /** Configuration-set event publishing says `eventType`, identity notifications `notificationType`. */
  eventType: z.optional(z.string()),
  notificationType: z.optional(z.string()),
  mail: z.object({ messageId: z.string().check(z.minLength(1)) }),
  bounce: z.optional(z.object({ bounceType: z.string(), bounceSubType: z.optional(z.string()), bouncedRecipients: z.array(Recipient) })),
  complaint: z.optional(z.object({ complainedRecipients: z.array(Recipient), complaintFeedbackType: z.optional(z.string()) })),
  delivery: z.optional(z.object({ recipients: z.optional(z.array(z.string())) })),
});

const SmsEvent = z.object({
  eventType: z.string().check(z.regex(/^TEXT_/)),
  messageId: z.string().check(z.minLength(1)),
  messageStatusDescription: z.optional(z.string()),
});

const SnsEnvelope = z.object({ Type: z.literal('Notification'), Message: z.string() });

/** How a sent notification ended up, as far as the provider knows. */
export type FeedbackStatus = 'delivered' | 'bounced' | 'complained' | 'opted_out' | 'failed';

export interface Feedback {
  channel: Channel;
  /** The provider's message id (SES `mail.messageId`, the SMS `messageId`): the notification's `providerMessageId`. */
  messageId: string;
  status: FeedbackStatus;
  /** For the merchant; never quotes the address or number (SES diagnostic codes may). */
  reason?: string;
  /**
   * The destination cannot be reached again this way: a hard bounce or complaint (the address is
   * not emailed again until the merchant changes it), an opt-out or a carrier failure.
   */
  permanent: boolean;
  /** Email addresses the event is about (bounced or complaining recipients). */
  recipients: string[];
}

const SMS_FAILURES: Record<string, { status: FeedbackStatus; reason: string }> = {
  TEXT_OPTED_OUT: { status: 'opted_out', reason: 'The phone number opted out of SMS.' },
  TEXT_BLOCKED: { status: 'failed', reason: 'The carrier blocked the SMS.' },
  TEXT_CARRIER_BLOCKED: { status: 'failed', reason: 'The carrier blocked the SMS.' },
  TEXT_CARRIER_UNREACHABLE: { status: 'failed', reason: 'The carrier could not be reached.' },
  TEXT_UNREACHABLE: { status: 'failed', reason: 'The phone could not be reached.' },
  TEXT_INVALID: { status: 'failed', reason: 'The phone number is not valid for SMS.' },
  TEXT_INVALID_MESSAGE: { status: 'failed', reason: 'The carrier refused the message.' },
  TEXT_SPAM: { status: 'failed', reason: 'The carrier flagged the SMS as spam.' },
  TEXT_TTL_EXPIRED: { status: 'failed', reason: 'The SMS could not be delivered in time.' },
  TEXT_UNKNOWN: { status: 'failed', reason: 'The carrier reported an unknown delivery failure.' },
};

const fromSes = (event: z.infer<typeof SesEvent>): Feedback | undefined => {
  const type = event.eventType ?? event.notificationType;
  const base = { channel: 'email' as const, messageId: event.mail.messageId };
  if (type === 'Delivery') return { ...base, status: 'delivered', permanent: false, recipients: event.delivery?.recipients ?? [] };
  if (type === 'Bounce' && event.bounce) {
    const recipients = event.bounce.bouncedRecipients.map((r) => r.emailAddress);
    const subType = event.bounce.bounceSubType ? ` (${event.bounce.bounceSubType})` : '';
    if (event.bounce.bounceType === 'Permanent') return { ...base, status: 'bounced', permanent: true, recipients, reason: `The address bounced permanently${subType}.` };
    // A transient bounce (mailbox full, message too large): SES has given up on this message only.
    return { ...base, status: 'bounced', permanent: false, recipients, reason: `The message bounced for now${subType}; the address is kept.` };
  }
  if (type === 'Complaint' && event.complaint) {
    const kind = event.complaint.complaintFeedbackType ? ` (${event.complaint.complaintFeedbackType})` : '';
    return { ...base, status: 'complained', permanent: true, recipients: event.complaint.complainedRecipients.map((r) => r.emailAddress), reason: `The recipient marked the email as spam${kind}.` };
  }
  return undefined;
};

const fromSms = (event: z.infer<typeof SmsEvent>): Feedback => {
  const base = { channel: 'sms' as const, messageId: event.messageId, recipients: [] };
  if (event.eventType === 'TEXT_DELIVERED' || event.eventType === 'TEXT_SUCCESSFUL') return { ...base, status: 'delivered', permanent: false };
  const failure = SMS_FAILURES[event.eventType] ?? { status: 'failed' as const, reason: `The carrier reported ${event.eventType}.` };
  return { ...base, ...failure, permanent: true };
};

/**
 * Reads one feedback queue message: the provider event JSON, or an SNS notification wrapping it.
 * Undefined for JSON that is no provider event we act on (e.g. `Send`, `Open`, SNS confirmations).
 * Throws on a body that is not JSON at all, which the queue parks in its DLQ.
 */
export const readFeedback = (body: string): Feedback | undefined => {
  let value: unknown = JSON.parse(body);
  const envelope = SnsEnvelope.safeParse(value);
  if (envelope.success) value = JSON.parse(envelope.data.Message);
  const ses = SesEvent.safeParse(value);
  if (ses.success) return fromSes(ses.data);
  const sms = SmsEvent.safeParse(value);
  return sms.success ? fromSms(sms.data) : undefined;
};

/** The channel a failed channel falls back to. */
export const otherChannel = (channel: Channel): Channel => (channel === 'sms' ? 'email' : 'sms');
