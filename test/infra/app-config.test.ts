import { parseEmailSender, parseStage } from '../../lib/config';

describe('the CDK app configuration', () => {
  it.each(['local', 'dev', 'prod'])('accepts the stage %s', (stage) => {
    // Act / Assess
    expect(parseStage(stage)).toBe(stage);
  });

  it.each([undefined, 'staging', 42])('refuses the stage %p', (stage) => {
    // Act / Assess
    expect(() => parseStage(stage)).toThrow(/stage/);
  });

  it('requires a sender address in prod and defaults it elsewhere', () => {
    // Act / Assess
    expect(() => parseEmailSender(undefined, 'prod')).toThrow(/emailSender/);
    expect(parseEmailSender(undefined, 'dev')).toMatch(/@/);
    expect(parseEmailSender('billing@clinic.example', 'prod')).toBe('billing@clinic.example');
  });
});
