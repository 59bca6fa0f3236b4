import type { Template } from 'aws-cdk-lib/assertions';
import { ENV, ROUTES, WORKERS } from '../../functions/shared/manifest';
import { parseCustomDomains, type CustomDomains } from '../../lib/config';
import { pascalCase } from '../../lib/constructs/app-function';
import { synthTemplate } from './synth';
import { logicalId, ofType, referencedIds, resource } from './template-helpers';

const API = { domainName: 'api.statements.example', hostedZoneId: 'Z0API0000000000000000' };
const LINKS = { domainName: 'stmt.example', hostedZoneId: 'Z0LINKS00000000000000' };
const DOMAIN_TYPES = ['AWS::CertificateManager::Certificate', 'AWS::ApiGateway::DomainName', 'AWS::ApiGateway::BasePathMapping', 'AWS::Route53::RecordSet'];

/** PUBLIC_BASE_URL of the notifier and of every route function. */
const linkBases = (template: Template) => {
  const envOf = (prefix: string) => resource(template, logicalId(template, 'AWS::Lambda::Function', prefix)).Properties!.Environment.Variables[ENV.publicBaseUrl];
  return {
    notifier: envOf(`Workers${pascalCase(WORKERS.sendNotification.fn)}Function`),
    routes: [...new Set(Object.values(ROUTES).map((route) => JSON.stringify(envOf(`Api${pascalCase(route.fn)}Function`))))],
  };
};

const synthWith = (domains: CustomDomains) => synthTemplate('dev', { domains });

describe('the optional custom domains', () => {
  it('are absent without their context, and links keep the execute-api URL', () => {
    // Act
    const template = synthWith(parseCustomDomains(() => undefined));

    // Assess
    for (const type of DOMAIN_TYPES) template.resourceCountIs(type, 0);
    const { notifier, routes } = linkBases(template);
    expect(JSON.stringify(notifier)).toContain('execute-api');
    expect(routes).toEqual([undefined]);
  });

  describe('with an API domain and a short link domain', () => {
    let template: Template;

    beforeAll(() => {
      // Prepare
      template = synthWith({ api: API, links: LINKS });
    });

    it.each([
      ['Api', API],
      ['Link', LINKS],
    ])('gives the %s domain a DNS-validated certificate, a regional TLS 1.2 API domain mapped at the root, and an alias record', (id, domain) => {
      // Act
      const certificate = logicalId(template, 'AWS::CertificateManager::Certificate', `${id}DomainCertificate`);
      const apiDomain = logicalId(template, 'AWS::ApiGateway::DomainName', `${id}Domain`);
      const [, mapping] = ofType(template, 'AWS::ApiGateway::BasePathMapping').find(([, m]) => referencedIds(m.Properties!.DomainName).includes(apiDomain))!;
      const [, record] = ofType(template, 'AWS::Route53::RecordSet').find(([, r]) => r.Properties!.Name === `${domain.domainName}.`)!;

      // Assess
      expect(resource(template, certificate).Properties).toMatchObject({
        DomainName: domain.domainName,
        ValidationMethod: 'DNS',
        DomainValidationOptions: [{ DomainName: domain.domainName, HostedZoneId: domain.hostedZoneId }],
      });
      expect(resource(template, apiDomain).Properties).toMatchObject({
        DomainName: domain.domainName,
        EndpointConfiguration: { Types: ['REGIONAL'] },
        SecurityPolicy: 'TLS_1_2',
        RegionalCertificateArn: { Ref: certificate },
      });
      expect(mapping.Properties!.BasePath).toBeUndefined();
      expect(referencedIds(mapping.Properties!.RestApiId)).toEqual([logicalId(template, 'AWS::ApiGateway::RestApi', 'ApiMerchantApi')]);
      expect(record.Properties).toMatchObject({ Type: 'A', HostedZoneId: domain.hostedZoneId });
      expect(referencedIds(record.Properties!.AliasTarget)).toContain(apiDomain);
    });

    it('builds every customer link (notifications and routes) on the short domain', () => {
      // Assess
      expect(linkBases(template)).toEqual({ notifier: `https://${LINKS.domainName}`, routes: [JSON.stringify(`https://${LINKS.domainName}`)] });
      template.hasOutput('ApiDomainUrl', { Value: `https://${API.domainName}` });
      template.hasOutput('LinkDomainUrl', { Value: `https://${LINKS.domainName}` });
    });
  });

  it('builds links on the API domain when there is no link domain', () => {
    // Act
    const template = synthWith({ api: API });

    // Assess
    template.resourceCountIs('AWS::ApiGateway::DomainName', 1);
    expect(linkBases(template).notifier).toBe(`https://${API.domainName}`);
  });
});
