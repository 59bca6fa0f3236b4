import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

/** The base URL a custom domain serves the API at: the stage is mapped at the root, so no stage in the path. */
export const domainUrl = (domainName: string): string => `https://${domainName}`;

export interface CustomDomainProps {
  /** e.g. `api.statements.example`. */
  readonly domainName: string;
  /** The public hosted zone that holds `domainName`. */
  readonly hostedZoneId: string;
  readonly restApi: apigw.IRestApi;
}

/**
 * One domain name for the REST API: an ACM certificate validated by DNS in the Route 53 zone, a
 * regional API Gateway domain (TLS 1.2) that maps the API's stage at the root path, and an alias A
 * record. The zone is imported by ID, so synthesis needs no AWS lookup.
 */
export class CustomDomain extends Construct {
  readonly domainName: apigw.DomainName;
  /** `https://<domain>` (`domainUrl`). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    const zone = route53.HostedZone.fromHostedZoneId(this, 'Zone', props.hostedZoneId);
    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: props.domainName,
      validation: acm.CertificateValidation.fromDns(zone),
    });
    this.domainName = new apigw.DomainName(this, 'Domain', {
      domainName: props.domainName,
      certificate,
      endpointType: apigw.EndpointType.REGIONAL,
      securityPolicy: apigw.SecurityPolicy.TLS_1_2,
      mapping: props.restApi,
    });
    new route53.ARecord(this, 'AliasRecord', {
      zone,
      // Fully qualified (trailing dot): a zone imported by ID has no name to append.
      recordName: `${props.domainName}.`,
      target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(this.domainName)),
    });
    this.url = domainUrl(props.domainName);
  }
}
