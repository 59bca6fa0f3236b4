import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { nowIso } from '../../functions/shared/adapters/clock';

/**
 * Locally neither the SES emulator nor the SMS stand-in can bounce. This plays the providers'
 * feedback side: with a rule set through `POST /_local/faults`, a sent email or accepted SMS is
 * followed by the event SES (configuration set → SNS → queue, raw delivery) or AWS End User
 * Messaging SMS would publish, put on the same feedback queue the feedback worker consumes.
 *
 * `{"email": {"bounce": true, "addresses": ["a@example.com"]}}` hard-bounces mail to those
 * addresses (`"complaint": true` draws a complaint, `"delivery": true` reports delivery);
 * `{"sms": {"deliveryFailure": "TEXT_CARRIER_UNREACHABLE", "numbers": [...]}}` fails accepted SMS
 * (`true` means `TEXT_CARRIER_UNREACHABLE`). Rules without `addresses`/`numbers` apply to all others.
 */
export interface EmailFeedbackRule {
  bounce?: boolean;
  complaint?: boolean;
  delivery?: boolean;
  /** How long after the send the event arrives. @default 500 */
  delayMs?: number;
}

export interface ProviderFeedback {
  setEmailRule(rule: EmailFeedbackRule & { addresses?: string[] }): void;
  setSmsFailure(failure: string | boolean | undefined, numbers: string[] | undefined): void;
  clear(): void;
  rules(): { email: Record<string, EmailFeedbackRule>; smsDeliveryFailure: Record<string, string> };
  /** Called after the SES emulator accepted an email. */
  emailSent(messageId: string, recipients: string[]): Promise<void>;
  /** Called after the SMS stand-in accepted an SMS. */
  smsAccepted(messageId: string, phone: string): Promise<void>;
  /**
   * Runs a report shortly after the provider answered, as the real events arrive after the send:
   * by then the notifier has recorded the message id the event refers to.
   */
  later(report: () => Promise<void>, delayMs?: number): void;
  /** The delay the email rule for these recipients asks for. */
  emailDelayMs(recipients: string[]): number | undefined;
}

/** How long after the provider's answer the local feedback event is queued. */
const REPORT_DELAY_MS = 500;

const ANY = '*';

export const createProviderFeedback = (options: { sqs: SQSClient; feedbackQueueUrl: string; log: (message: string) => void }): ProviderFeedback => {
  const email = new Map<string, EmailFeedbackRule>();
  const sms = new Map<string, string>();
  const send = async (event: unknown) => {
    await options.sqs.send(new SendMessageCommand({ QueueUrl: options.feedbackQueueUrl, MessageBody: JSON.stringify(event) }));
  };
  const mail = (messageId: string, recipients: string[]) => ({ timestamp: nowIso(), messageId, source: 'local', destination: recipients, tags: {} });

  return {
    setEmailRule({ addresses, ...rule }) {
      for (const target of addresses ?? [ANY]) {
        if (rule.bounce || rule.complaint || rule.delivery) email.set(target.toLowerCase(), rule);
        else email.delete(target.toLowerCase());
      }
    },
    setSmsFailure(failure, numbers) {
      for (const target of numbers ?? [ANY]) {
        if (failure) sms.set(target, failure === true ? 'TEXT_CARRIER_UNREACHABLE' : failure);
        else sms.delete(target);
      }
    },
    clear() {
      email.clear();
      sms.clear();
    },
    later(report, delayMs = REPORT_DELAY_MS) {
      setTimeout(() => void report().catch((error: Error) => options.log(`feedback: ${error.message}`)), delayMs).unref();
    },
    emailDelayMs: (recipients) => recipients.map((address) => (email.get(address.toLowerCase()) ?? email.get(ANY))?.delayMs).find((ms) => ms !== undefined),
    rules: () => ({ email: Object.fromEntries(email), smsDeliveryFailure: Object.fromEntries(sms) }),

    async emailSent(messageId, recipients) {
      for (const address of recipients) {
        const rule = email.get(address.toLowerCase()) ?? email.get(ANY);
        if (!rule) continue;
        const base = { mail: mail(messageId, [address]) };
        if (rule.bounce) {
          await send({
            eventType: 'Bounce',
            ...base,
            bounce: { bounceType: 'Permanent', bounceSubType: 'General', timestamp: nowIso(), feedbackId: `local-${messageId}`, bouncedRecipients: [{ emailAddress: address, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] },
          });
        } else if (rule.complaint) {
          await send({ eventType: 'Complaint', ...base, complaint: { complaintFeedbackType: 'abuse', timestamp: nowIso(), feedbackId: `local-${messageId}`, complainedRecipients: [{ emailAddress: address }] } });
        } else if (rule.delivery) {
          await send({ eventType: 'Delivery', ...base, delivery: { timestamp: nowIso(), recipients: [address], smtpResponse: '250 2.0.0 OK' } });
        }
        options.log(`feedback: email event queued for message ${messageId}`);
      }
    },

    async smsAccepted(messageId, phone) {
      const failure = sms.get(phone) ?? sms.get(ANY);
      if (!failure) return;
      await send({ eventType: failure, eventVersion: '1.0', messageId, messageStatus: failure.replace(/^TEXT_/, ''), messageStatusDescription: 'Injected by the local fault switch.', isFinal: true, destinationPhoneNumber: phone });
      options.log(`feedback: sms event queued for message ${messageId}`);
    },
  };
};
