import { STAGES, type Stage } from '../functions/shared/manifest';

/** Checks the `stage` CDK context value (`npx cdk synth -c stage=prod`) against the known stages. */
export const parseStage = (value: unknown): Stage => {
  if (typeof value === 'string' && (STAGES as readonly string[]).includes(value)) return value as Stage;
  throw new Error(`CDK context "stage" must be one of ${STAGES.join(', ')}; got ${JSON.stringify(value)}.`);
};

/**
 * The SES sender address, from `-c emailSender=...`. Production must name a verified identity;
 * other stages fall back to a placeholder so `cdk synth` works out of the box.
 */
export const parseEmailSender = (value: unknown, stage: Stage): string => {
  if (typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value)) return value;
  if (value === undefined && stage !== 'prod') return 'statements@example.com';
  throw new Error('CDK context "emailSender" must be an email address (a verified SES identity).');
};
