import { Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

import {
  AbTestEdgeFunction, AlarmTopic, CdnDistribution, ContentClass, DeployInvalidation, EdgeWebAcl, GeoContentEdgeFunction, GlobalDns,
  JwtAuthEdgeFunction, OriginVerifySecret, PurgeOnChange, ViewerRequestFunction,
} from '../../src';

/** The identity provider's token-signing public key (an example P-256 key; put yours here). */
const IDP_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEl20vF+xjEXT5xUOZKWucK9gUMnsn
Ipah/3zLnvLnpXndtt2W6peQY/v1u4CwGd8tgUnqRZYqyyLWHV/aY/xtuQ==
-----END PUBLIC KEY-----`;

export interface EdgeStackProps extends StackProps {
  /** The public hosted zone, imported by attributes (no lookup at synth). */
  readonly hostedZoneId: string;
  readonly zoneName: string;
  /** The domain the app serves: the zone's name or a subdomain (every record lives under it). */
  readonly domainName?: string;
  /** The regions serving the app; the first is primary for cacheable content. */
  readonly regions: string[];
  /** The origin-verify secret's name (the primary region's stack replicates it to us-east-1). */
  readonly originVerifySecretName: string;
}

/**
 * Everything that must live in us-east-1: the distribution, its certificate, the WAF web ACL,
 * the Lambda@Edge functions, the invalidation and GeoDNS for `origin.<zone>`. It references no
 * regional stack: the regional origins are names known by convention (`<region>.origin.<zone>`,
 * `origin.<zone>`), and it deploys after the regions (their origin records must exist).
 */
export class EdgeStack extends Stack {
  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: props.zoneName });
    const domain = props.domainName ?? props.zoneName;
    const relative = domain === props.zoneName ? '' : `.${domain.slice(0, -props.zoneName.length - 1)}`;
    const domainNames = [domain, `www.${domain}`];
    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: domainNames[0],
      subjectAlternativeNames: domainNames.slice(1),
      validation: acm.CertificateValidation.fromDns(zone),
    });
    const waf = new EdgeWebAcl(this, 'Waf', { pathRateLimits: [{ pathPrefix: '/api/login', limit: 100 }] });
    // origin.<zone>: health-checked latency records to each region's origin name.
    const topic = AlarmTopic.create(this, `${this.stackName}-alarms`);
    new GlobalDns(this, 'Dns', {
      alarmTopic: topic,
      hostedZone: zone,
      regions: props.regions.map((region) => ({ region })),
      sharedNames: [`origin${relative}`],
      originSubdomain: `origin${relative}`,
    });

    const cdn = new CdnDistribution(this, 'Cdn', {
      alarms: { topic },
      regionalOrigins: props.regions.map((region) => ({ region, domainName: `${region}.origin.${domain}` })),
      sharedOriginName: `origin.${domain}`,
      domainNames,
      certificate,
      webAclArn: waf.webAclArn,
      originVerify: OriginVerifySecret.forDistribution(props.originVerifySecretName),
      defaultViewerRequestFunction: new ViewerRequestFunction(this, 'Normalize', { redirects: { '/old-pricing': '/pricing' } }),
      routes: [
        { pathPattern: '/assets/*', contentClass: ContentClass.STATIC_ASSETS },
        {
          pathPattern: '/pricing*',
          contentClass: ContentClass.HTML,
          edgeLambdas: [new AbTestEdgeFunction(this, 'PricingTest', {
            variants: [{ name: 'control', weight: 90 }, { name: 'annual-first', weight: 10, pathPrefix: '/experiments/annual-first' }],
          })],
        },
        {
          pathPattern: '/api/catalog/*',
          contentClass: ContentClass.PUBLIC_API,
          queryStringAllowlist: ['page', 'sort', 'q'],
          varyByCountry: true,
          edgeLambdas: [new GeoContentEdgeFunction(this, 'CatalogByCountry', {
            countries: { DE: { headers: { 'X-Currency': 'EUR' } }, GB: { headers: { 'X-Currency': 'GBP' } } },
            defaultRule: { headers: { 'X-Currency': 'USD' } },
          })],
        },
        {
          pathPattern: '/account/*',
          contentClass: ContentClass.PRIVATE,
          edgeLambdas: [new JwtAuthEdgeFunction(this, 'AccountAuth', { publicKeyPem: IDP_PUBLIC_KEY, algorithm: 'ES256', issuer: `https://id.${domain}` })],
        },
        { pathPattern: '/api/*', contentClass: ContentClass.PRIVATE },
        // WebSockets: all methods, never cached, the Sec-WebSocket-* headers forwarded (all viewer
        // headers but Host), to the nearest region; the load balancer keeps them sticky.
        { pathPattern: '/ws/*', contentClass: ContentClass.PRIVATE },
      ],
    });
    new DeployInvalidation(this, 'PurgeOnDeploy', { distribution: cdn, paths: ['/', '/index.html', '/pricing*'] });
    new PurgeOnChange(this, 'PurgeOnChange', { distribution: cdn, alarmTopic: topic });

    for (const name of domainNames) {
      new route53.ARecord(this, `Alias-${name}`, {
        zone, recordName: name, target: route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(cdn.distribution)),
      });
      new route53.AaaaRecord(this, `AliasV6-${name}`, {
        zone, recordName: name, target: route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(cdn.distribution)),
      });
    }
  }
}
