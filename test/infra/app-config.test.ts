import { parseCustomDomains, parseEmailSender, parseStage } from '../../lib/config';

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
});
