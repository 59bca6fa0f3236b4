import { parseCustomDomains, parseEmailSender, parseStage, parseThroughput, THROUGHPUT_DEFAULTS } from '../../lib/config';

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

  describe('custom domains', () => {
    const context = (values: Record<string, unknown>) => (key: string) => values[key];

    it('are off without context', () => {
      // Act / Assess
      expect(parseCustomDomains(context({}))).toEqual({});
    });

    it('read each domain with its hosted zone, lower-cased, accepting the /hostedzone/ prefix', () => {
      // Act
      const domains = parseCustomDomains(
        context({ apiDomain: 'API.Statements.example', apiHostedZoneId: '/hostedzone/Z0123456789ABC', linkDomain: 'stmt.example', linkHostedZoneId: 'Z0LINKS' }),
      );

      // Assess
      expect(domains).toEqual({
        api: { domainName: 'api.statements.example', hostedZoneId: 'Z0123456789ABC' },
        links: { domainName: 'stmt.example', hostedZoneId: 'Z0LINKS' },
      });
    });

    it.each([
      [{ apiDomain: 'api.statements.example' }, /"apiDomain" needs "apiHostedZoneId"/],
      [{ linkHostedZoneId: 'Z0LINKS' }, /"linkHostedZoneId" is set but "linkDomain" is not/],
      [{ apiDomain: 'https://api.statements.example', apiHostedZoneId: 'Z0API' }, /"apiDomain" must be a domain name/],
      [{ linkDomain: 'stmt.example.', linkHostedZoneId: 'Z0LINKS' }, /"linkDomain" must be a domain name/],
      [{ apiDomain: 'api.statements.example', apiHostedZoneId: 'hostedzone-1' }, /"apiHostedZoneId" must be a Route 53 hosted zone ID/],
      [{ apiDomain: 'a.example', apiHostedZoneId: 'Z0A', linkDomain: 'a.example', linkHostedZoneId: 'Z0A' }, /"linkDomain" must differ from "apiDomain"/],
    ])('refuse %p with a clear error', (values, message) => {
      // Act / Assess
      expect(() => parseCustomDomains(context(values))).toThrow(message);
    });
  });

  describe('throughput', () => {
    const context = (values: Record<string, unknown>) => (key: string) => values[key];

    it('defaults to the stage throttling of 50/s (burst 100), the manifest send rates and 2 notification workers', () => {
      // Act / Assess
      expect(parseThroughput(context({}))).toEqual({ apiRateLimit: 50, apiBurstLimit: 100, smsSendRate: 3, emailSendRate: 14, notificationConcurrency: 3 });
      expect(THROUGHPUT_DEFAULTS.notificationConcurrency).toBe(3);
    });

    it('gives the notification worker enough instances for the faster rate (about 5 sends/s each) unless told', () => {
      // Act / Assess
      expect(parseThroughput(context({ smsSendRate: '50' })).notificationConcurrency).toBe(10);
      expect(parseThroughput(context({ emailSendRate: 1 })).notificationConcurrency).toBe(2);
      expect(parseThroughput(context({ smsSendRate: '50', notificationConcurrency: '3' })).notificationConcurrency).toBe(3);
    });

    it('reads -c values (strings) and cdk.json values (numbers)', () => {
      // Act
      const parsed = parseThroughput(context({ apiRateLimit: '200', apiBurstLimit: 400, smsSendRate: '0.5', emailSendRate: '50', notificationConcurrency: '5' }));

      // Assess
      expect(parsed).toEqual({ apiRateLimit: 200, apiBurstLimit: 400, smsSendRate: 0.5, emailSendRate: 50, notificationConcurrency: 5 });
    });

    it.each([
      ['smsSendRate', '0'],
      ['emailSendRate', 'fast'],
      ['apiRateLimit', -1],
      ['notificationConcurrency', '1'],
      ['notificationConcurrency', '2.5'],
      ['apiBurstLimit', '0'],
    ])('refuses %s = %p, naming the key', (key, value) => {
      // Act / Assess
      expect(() => parseThroughput(context({ [key]: value }))).toThrow(new RegExp(`"${key}"`));
    });
  });
});
