import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand } from '@aws-sdk/client-sns';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { ses } from './clients/ses';
import { sns } from './clients/sns';
import { lazyEnv, optionalEnv } from './env';
import { ENV } from '../manifest';
import type { EmailContent } from '../../domain/notification-messages';
import { awaitSendSlot } from './send-pacer';

/**
 * The two delivery channels. A send either goes out, or fails for a reason retrying cannot fix
 * (returned), or fails for a reason that may pass (thrown: throttling, 5xx, network), so that the
 * queue retries it with backoff. Each send first waits for a slot of its channel's rate
 * (`awaitSendSlot`), which throws `SendDeferred` when none is free soon.
 */
export type SendResult = { sent: true; messageId: string } | { sent: false; reason: string };

const emailSender = lazyEnv(ENV.emailSender);
/**
 * The SES configuration set whose event destination publishes bounces, complaints and deliveries
 * to the feedback queue. Optional: the local SES emulator knows no configuration sets (the local
 * fault switch injects those events instead).
 */
const configurationSet = optionalEnv(ENV.emailConfigurationSet, '');

/**
 * Provider answers about the destination itself. Configuration errors (authorization, unverified
 * sender) are deliberately not here: they park the job until someone fixes the setup and redrives it.
 */
const PERMANENT = new Set([
  'InvalidParameter', 'InvalidParameterException', 'InvalidParameterValue', 'InvalidParameterValueException',
  'OptedOut', 'OptedOutException', 'EndpointDisabled', 'EndpointDisabledException', 'MessageRejected',
]);

const isPermanent = (error: unknown): error is Error => error instanceof Error && PERMANENT.has(error.name);

const permanentReason = (error: Error) => `${error.name}: ${error.message}`.slice(0, 300);

/**
 * SNS accepts a Publish to an opted-out number and drops it later, so the opt-out list is asked
 * first; the answer decides between SMS and the email fallback.
 */
export const isOptedOut = async (phoneNumber: string): Promise<boolean> => {
  const { isOptedOut: optedOut } = await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber }));
  return Boolean(optedOut);
};

/** A transactional SMS (SNS routes those for reliability rather than cost). */
export const sendSms = async (phoneNumber: string, text: string): Promise<SendResult> => {
  await awaitSendSlot('sms');
  try {
    const { MessageId } = await sns.send(
      new PublishCommand({
        PhoneNumber: phoneNumber,
        Message: text,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );
    return { sent: true, messageId: MessageId ?? '' };
  } catch (error) {
    if (isPermanent(error)) return { sent: false, reason: permanentReason(error) };
    throw error;
  }
};

export const sendEmail = async (to: string, content: EmailContent): Promise<SendResult> => {
  await awaitSendSlot('email');
  try {
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        Source: emailSender(),
        ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
        Destination: { ToAddresses: [to] },
        Message: {
          Subject: { Data: content.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: content.text, Charset: 'UTF-8' }, Html: { Data: content.html, Charset: 'UTF-8' } },
        },
      }),
    );
    return { sent: true, messageId: MessageId ?? '' };
  } catch (error) {
    if (isPermanent(error)) return { sent: false, reason: permanentReason(error) };
    throw error;
  }
};
