import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AbTestEdgeFunction, CacheableOriginRouting, CdnDistribution, CdnDistributionProps, ContentClass, EdgeRoute, ORIGIN_SHIELD_REGIONS, OriginVerifySecret, ViewerRequestFunction } from '../../src';
import { expectNoNagFindings, testStack } from '../util';
import { cdn, edgeStack, ORIGINS } from './fixtures';

const ROUTES: EdgeRoute[] = [
  { pathPattern: '/assets/*', contentClass: ContentClass.STATIC_ASSETS },
  { pathPattern: '/api/catalog/*', contentClass: ContentClass.PUBLIC_API, ttl: Duration.seconds(120), queryStringAllowlist: ['page', 'sort'] },
  { pathPattern: '/api/*', contentClass: ContentClass.PRIVATE },
];

function config(t: Template) {
  return Object.values(t.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
}

function cachePolicy(t: Template, id: unknown) {
  const logicalId = (id as { Ref: string }).Ref;
  return t.toJSON().Resources[logicalId].Properties.CachePolicyConfig;
}

describe('CdnDistribution', () => {
  const { stack } = cdn({ routes: ROUTES });
  const t = Template.fromStack(stack);
  const dc = config(t);
  const behavior = (pattern: string) => dc.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === pattern);

  test('GIVEN regional origins and the shared name WHEN created THEN cacheable classes go to the latency-routed name with Origin Shield, failing over to the second region', () => {
    const customOrigins = dc.Origins.filter((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
    type Origin = { Id: string; DomainName: string; OriginShield?: { OriginShieldRegion: string } };
    expect(customOrigins.map((o: Origin) => [o.DomainName, o.OriginShield?.OriginShieldRegion])).toEqual([
      ['origin.example.com', 'eu-west-1'], // misses meet in the first region's recommended shield region
      ['us-west-1.origin.example.com', 'us-west-2'], // us-west-1 has no Origin Shield: AWS recommends us-west-2
      ['origin.example.com', undefined], // the latency-routed name for PRIVATE: uncacheable traffic, no shield
    ]);
    const group = dc.OriginGroups.Items[0];
    expect(group.FailoverCriteria.StatusCodes.Items).toEqual([500, 502, 503, 504]);
    expect(group.Members.Items.map((m: { OriginId: string }) => customOrigins.find((o: Origin) => o.Id === m.OriginId).DomainName))
      .toEqual(['origin.example.com', 'us-west-1.origin.example.com']);
    for (const o of customOrigins) {
      expect(o.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'], OriginReadTimeout: 30, OriginKeepaliveTimeout: 5 });
    }
  });

  test('GIVEN PRIMARY_FAILOVER WHEN created THEN cacheable classes go to the first two regional origins, each with its own Origin Shield', () => {
    const d = config(Template.fromStack(cdn({ cacheableOriginRouting: CacheableOriginRouting.PRIMARY_FAILOVER }).stack));
    type Origin = { Id: string; DomainName: string; OriginShield?: { OriginShieldRegion: string } };
    const byId = (id: string) => d.Origins.find((o: Origin) => o.Id === id);
    const members = d.OriginGroups.Items[0].Members.Items.map((m: { OriginId: string }) => byId(m.OriginId));
    expect(members.map((o: Origin) => [o.DomainName, o.OriginShield?.OriginShieldRegion]))
      .toEqual([['eu-west-1.origin.example.com', 'eu-west-1'], ['us-west-1.origin.example.com', 'us-west-2']]);
  });

  test('GIVEN three regions and a shield region WHEN latency-routed THEN the shared origin uses that shield region and no third-region origin is needed', () => {
    const d = config(Template.fromStack(cdn({
      regionalOrigins: [...ORIGINS, { region: 'ap-southeast-1', domainName: 'ap-southeast-1.origin.example.com' }],
      sharedOriginShieldRegion: 'us-east-1',
    }).stack));
    const shielded = d.Origins.filter((o: { DomainName: string; OriginShield?: unknown }) => o.DomainName === 'origin.example.com' && o.OriginShield);
    expect(shielded.map((o: { OriginShield: unknown }) => o.OriginShield)).toEqual([{ Enabled: true, OriginShieldRegion: 'us-east-1' }]);
    expect(d.Origins.map((o: { DomainName: string }) => o.DomainName)).not.toContain('ap-southeast-1.origin.example.com');
  });

  test('GIVEN one region WHEN created THEN cacheable classes go to that region\'s origin with Origin Shield, without a group', () => {
    const d = config(Template.fromStack(cdn({ regionalOrigins: [ORIGINS[0]] }).stack));
    expect(d.OriginGroups).toBeUndefined();
    const target = d.Origins.find((o: { Id: string }) => o.Id === d.DefaultCacheBehavior.TargetOriginId);
    expect([target.DomainName, target.OriginShield]).toEqual(['eu-west-1.origin.example.com', { Enabled: true, OriginShieldRegion: 'eu-west-1' }]);
  });

  test('GIVEN the static-assets bucket WHEN created THEN its origin has Origin Shield in the recommended region for the bucket', () => {
    const s3Origin = dc.Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig);
    expect(s3Origin.OriginShield).toEqual({ Enabled: true, OriginShieldRegion: 'us-east-1' });
  });

  test('GIVEN an imported bucket in another region WHEN created THEN the shield follows the bucket region', () => {
    const { stack: s } = edgeStack();
    const bucket = s3.Bucket.fromBucketAttributes(s, 'Assets', { bucketName: 'assets', region: 'eu-north-1' });
    const d = new CdnDistribution(s, 'Cdn', { regionalOrigins: ORIGINS, sharedOriginName: 'origin.example.com', staticAssetsBucket: bucket, routes: [ROUTES[0]] });
    expect(d.staticAssetsOriginShieldRegion).toBe('eu-west-2');
  });

  test('GIVEN originVerify WHEN created THEN every HTTP origin sends the header as a dynamic reference, the bucket does not, and the revision tags the distribution', () => {
    const { stack: s } = cdn({ routes: ROUTES, originVerify: OriginVerifySecret.forDistribution('Stage/OriginVerify', { revision: '2026-12-01' }) });
    const tpl = Template.fromStack(s);
    const d = config(tpl);
    const http = d.Origins.filter((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
    expect(http).toHaveLength(3);
    for (const o of http) {
      expect(o.OriginCustomHeaders).toEqual([{ HeaderName: 'X-Origin-Verify', HeaderValue: '{{resolve:secretsmanager:Stage/OriginVerify:SecretString:current}}' }]);
    }
    expect(d.Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig).OriginCustomHeaders).toBeUndefined();
    tpl.hasResourceProperties('AWS::CloudFront::Distribution', {
      Tags: Match.arrayWith([{ Key: 'cdk-scaleout:origin-verify-revision', Value: '2026-12-01' }]),
    });
    expectNoNagFindings(s);
  });

  test('GIVEN the AWS table WHEN consulted THEN Regions without Origin Shield map to their documented neighbours', () => {
    expect(ORIGIN_SHIELD_REGIONS).toMatchObject({ 'us-west-1': 'us-west-2', 'ca-central-1': 'us-east-1', 'eu-north-1': 'eu-west-2', 'af-south-1': 'eu-west-1', 'ap-east-1': 'ap-southeast-1' });
  });

  test('GIVEN static assets WHEN routed THEN come from the bucket through OAC, cached a year without cookies or query strings, compressed, immutable', () => {
    const b = behavior('/assets/*');
    expect(b.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(b.Compress).toBe(true);
    expect(cachePolicy(t, b.CachePolicyId)).toMatchObject({
      DefaultTTL: 31536000,
      MinTTL: 31536000,
      MaxTTL: 31536000,
      ParametersInCacheKeyAndForwardedToOrigin: {
        CookiesConfig: { CookieBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'none' },
        HeadersConfig: { HeaderBehavior: 'none' },
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
      },
    });
    t.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        CustomHeadersConfig: { Items: [{ Header: 'Cache-Control', Value: 'public, max-age=31536000, immutable', Override: true }] },
      }),
    });
    t.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
  });

  test('GIVEN the default HTML class WHEN created THEN caches 60 s at the edge and tells browsers stale-while-revalidate', () => {
    expect(cachePolicy(t, dc.DefaultCacheBehavior.CachePolicyId)).toMatchObject({ DefaultTTL: 60, MinTTL: 0, MaxTTL: 300 });
    expect(dc.DefaultCacheBehavior.TargetOriginId).toEqual(dc.OriginGroups.Items[0].Id);
    t.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        CustomHeadersConfig: { Items: [{ Header: 'Cache-Control', Value: 'public, max-age=60, stale-while-revalidate=300', Override: false }] },
        SecurityHeadersConfig: Match.objectLike({ StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31536000, Override: true }) }),
      }),
    });
  });

  test('GIVEN a public API route WHEN created THEN caches its TTL keyed on the allowlisted query strings only', () => {
    const b = behavior('/api/catalog/*');
    expect(cachePolicy(t, b.CachePolicyId)).toMatchObject({
      DefaultTTL: 120,
      MaxTTL: 120,
      MinTTL: 0,
      ParametersInCacheKeyAndForwardedToOrigin: {
        QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['page', 'sort'] },
        CookiesConfig: { CookieBehavior: 'none' },
      },
    });
    expect(b.TargetOriginId).toEqual(dc.OriginGroups.Items[0].Id);
  });

  test('GIVEN a private route WHEN created THEN is never cached, forwards all viewer headers but Host, and goes to the nearest region', () => {
    const b = behavior('/api/*');
    expect(b.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
    expect(b.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // Managed-AllViewerExceptHostHeader
    expect(b.AllowedMethods).toHaveLength(7);
    const shared = dc.Origins.find((o: { DomainName: string; OriginShield?: unknown }) => o.DomainName === 'origin.example.com' && !o.OriginShield);
    expect(b.TargetOriginId).toBe(shared.Id);
  });

  test('GIVEN defaults WHEN created THEN the viewer side is HTTPS-only, HTTP/2 and 3, logged, behind the web ACL', () => {
    expect(dc).toMatchObject({ HttpVersion: 'http2and3', IPV6Enabled: true, PriceClass: 'PriceClass_All' });
    expect(dc.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(dc.WebACLId['Fn::GetAtt'][0]).toMatch(/^Waf/);
    expect(dc.Logging.Prefix).toBe('cloudfront/');
  });

  test('GIVEN defaults WHEN created THEN publishes additional metrics and alarms on 5xx rate, origin latency and cache hit rate', () => {
    t.resourceCountIs('AWS::CloudFront::MonitoringSubscription', 1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xxErrorRate', Threshold: 5, Dimensions: Match.arrayWith([{ Name: 'Region', Value: 'Global' }]) });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'OriginLatency', ExtendedStatistic: 'p90', Threshold: 2000 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CacheHitRate', Threshold: 70, ComparisonOperator: 'LessThanThreshold' });
  });

  test('GIVEN the distribution WHEN checked with AwsSolutions THEN there are no unacknowledged findings', () => {
    expectNoNagFindings(stack);
  });

  test('GIVEN no cross-region references WHEN synthesized THEN the edge stack names its origins only', () => {
    expect(JSON.stringify(t.toJSON())).not.toMatch(/Fn::ImportValue|CrossRegionExport|ExportsReader/);
  });

  test('GIVEN a custom domain WHEN created THEN uses the certificate with TLSv1.2_2021 over SNI', () => {
    const { stack: s } = edgeStack();
    const certificate = acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/x');
    new CdnDistribution(s, 'Cdn', { regionalOrigins: ORIGINS, domainNames: ['example.com'], certificate });
    expect(config(Template.fromStack(s)).ViewerCertificate).toEqual({
      AcmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/x', MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only',
    });
  });

  test('GIVEN edge functions WHEN associated THEN the behaviour runs the Lambda version and the CloudFront Function', () => {
    const { stack: s, waf } = edgeStack();
    const ab = new AbTestEdgeFunction(s, 'Ab', { variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1, pathPrefix: '/b' }] });
    const norm = new ViewerRequestFunction(s, 'Norm');
    new CdnDistribution(s, 'Cdn', {
      regionalOrigins: ORIGINS,
      webAclArn: waf.webAclArn,
      defaultEdgeLambdas: [ab],
      routes: [{ pathPattern: '/assets/*', contentClass: ContentClass.STATIC_ASSETS, viewerRequestFunction: norm }],
    });
    const c = config(Template.fromStack(s));
    expect(c.DefaultCacheBehavior.LambdaFunctionAssociations).toHaveLength(1);
    expect(JSON.stringify(c.DefaultCacheBehavior.LambdaFunctionAssociations[0].LambdaFunctionARN)).toMatch(/AbFunctionCurrentVersion/);
    expect(c.DefaultCacheBehavior.LambdaFunctionAssociations[0].EventType).toBe('viewer-request');
    expect(c.CacheBehaviors[0].FunctionAssociations[0].EventType).toBe('viewer-request');
    expectNoNagFindings(s);
  });

  describe('rejects bad input', () => {
    const edgeFn = (eventType: cloudfront.LambdaEdgeEventType, fnProps: Partial<lambda.FunctionProps> = {}) => (s: ReturnType<typeof testStack>) => {
      const fn = new lambda.Function(s, 'Custom', {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async e=>e'), ...fnProps,
      });
      return { version: fn.currentVersion, eventType };
    };
    const cases: Array<[string, (s: ReturnType<typeof testStack>) => Partial<CdnDistributionProps>, RegExp]> = [
      ['an unknown shield region', () => ({ regionalOrigins: [{ region: 'mx-central-1', domainName: 'mx.origin.example.com' }] }), /no recommended Origin Shield region is known for mx-central-1; set originShieldRegion explicitly/],
      ['a region twice', () => ({ regionalOrigins: [ORIGINS[0], ORIGINS[0]] }), /regionalOrigins must name each region once, got eu-west-1 twice/],
      ['no regional origin', () => ({ regionalOrigins: [] }), /regionalOrigins.length must be an integer between 1 and 10, got 0/],
      ['a static route with a TTL', () => ({ routes: [{ pathPattern: '/a/*', contentClass: ContentClass.STATIC_ASSETS, ttl: Duration.hours(1) }] }), /route '\/a\/\*': ttl does not apply to STATIC_ASSETS/],
      ['a private route with a TTL', () => ({ routes: [{ pathPattern: '/me/*', contentClass: ContentClass.PRIVATE, ttl: Duration.seconds(60) }] }), /route '\/me\/\*': a PRIVATE route is never cached; remove ttl, got 1 minute/],
      ['a public API without allowlist', () => ({ routes: [{ pathPattern: '/p/*', contentClass: ContentClass.PUBLIC_API }] }), /PUBLIC_API needs an explicit queryStringAllowlist/],
      ['a public API TTL of 10 s', () => ({ routes: [{ pathPattern: '/p/*', contentClass: ContentClass.PUBLIC_API, queryStringAllowlist: [], ttl: Duration.seconds(10) }] }), /route '\/p\/\*' ttl must be a whole number of seconds between 30 seconds and 5 minutes, got 10 seconds/],
      ['a content class that is not a ContentClass (JavaScript caller)', () => ({ routes: [{ pathPattern: '/x/*', contentClass: 'dynamic' as any }] }), /routes\['\/x\/\*'\].contentClass must be one of ContentClass.STATIC_ASSETS .*got "dynamic"/],
      ['an HTML TTL of 2 h', () => ({ htmlTtl: Duration.hours(2) }), /htmlTtl must be a whole number of seconds between 0 seconds and 1 hour, got 2 hours/],
      ['an allowlist on HTML', () => ({ routes: [{ pathPattern: '/h/*', contentClass: ContentClass.HTML, queryStringAllowlist: ['a'] }] }), /queryStringAllowlist applies to PUBLIC_API routes only/],
      ['a private route without a shared origin', () => ({ sharedOriginName: undefined, routes: [{ pathPattern: '/me/*', contentClass: ContentClass.PRIVATE }] }), /a PRIVATE route needs sharedOriginName/],
      ['a bad path pattern', () => ({ routes: [{ pathPattern: '/a b', contentClass: ContentClass.HTML }] }), /routes.pathPattern must be a path pattern of up to 255 characters.*got '\/a b'/],
      ['a duplicate path pattern', () => ({ routes: [{ pathPattern: '/a', contentClass: ContentClass.HTML }, { pathPattern: '/a', contentClass: ContentClass.HTML }] }), /routes.pathPattern must be unique, got '\/a' twice/],
      ['25 routes', () => ({ routes: Array.from({ length: 25 }, (_, i) => ({ pathPattern: `/r${i}`, contentClass: ContentClass.HTML })) }), /routes.length must be an integer between 0 and 24, got 25/],
      ['a read timeout of 181 s', () => ({ originTimeouts: { readTimeout: Duration.seconds(181) } }), /originTimeouts.readTimeout must be a whole number of seconds between 1 second and 3 minutes, got 181 seconds/],
      ['a keep-alive of 0 s', () => ({ originTimeouts: { keepaliveTimeout: Duration.seconds(0) } }), /originTimeouts.keepaliveTimeout must be a whole number of seconds between 1 second and 3 minutes, got 0 seconds/],
      ['a connection timeout of 11 s', () => ({ originTimeouts: { connectionTimeout: Duration.seconds(11) } }), /originTimeouts.connectionTimeout must be a whole number of seconds between 1 second and 10 seconds, got 11 seconds/],
      ['4 connection attempts', () => ({ originTimeouts: { connectionAttempts: 4 } }), /originTimeouts.connectionAttempts must be an integer between 1 and 3, got 4/],
      ['domain names without a certificate', () => ({ domainNames: ['example.com'] }), /domainNames example.com need a certificate/],
      ['an uppercase origin name', () => ({ regionalOrigins: [{ region: 'eu-west-1', domainName: 'EU.origin.example.com' }] }), /regionalOrigins.domainName must be a lowercase DNS name, got 'EU.origin.example.com'/],
      ['a bad shield region', () => ({ regionalOrigins: [{ region: 'eu-west-1', domainName: 'eu.origin.example.com', originShieldRegion: 'Ireland' }] }), /regionalOrigins.originShieldRegion must be a region code like us-east-2, got 'Ireland'/],
      ['a bad shared origin name', () => ({ sharedOriginName: 'origin example' }), /sharedOriginName must be a lowercase DNS name, got 'origin example'/],
      ['a certificate without domain names', (s) => ({ certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/x') }), /certificate needs domainNames \(the names it serves\), got none/],
      ['a certificate outside us-east-1', () => {
        const other = testStack({ region: 'eu-west-1', id: 'Other' });
        const z = route53.HostedZone.fromHostedZoneAttributes(other, 'Z', { hostedZoneId: 'Z1', zoneName: 'example.com' });
        return { domainNames: ['example.com'], certificate: new acm.Certificate(other, 'Cert', { domainName: 'example.com', validation: acm.CertificateValidation.fromDns(z) }) };
      }, /certificate must be in us-east-1 for CloudFront, got eu-west-1/],
      ['a PUBLIC_API default', () => ({ defaultContentClass: ContentClass.PUBLIC_API }), /defaultContentClass PUBLIC_API needs a query-string allowlist/],
      ['the default pattern as a route', () => ({ routes: [{ pathPattern: '*', contentClass: ContentClass.HTML }] }), /routes.pathPattern '\*' is the default behaviour; use defaultContentClass/],
      ['11 allowlisted query strings', () => ({ routes: [{ pathPattern: '/p/*', contentClass: ContentClass.PUBLIC_API, queryStringAllowlist: Array.from({ length: 11 }, (_, i) => `q${i}`) }] }), /route '\/p\/\*' queryStringAllowlist.length must be an integer between 0 and 10, got 11/],
      ['varyByCountry on a private route', () => ({ routes: [{ pathPattern: '/me/*', contentClass: ContentClass.PRIVATE, varyByCountry: true }] }), /route '\/me\/\*': varyByCountry applies to cached classes, got it on PRIVATE/],
      ['varyByCountry on static assets', () => ({ routes: [{ pathPattern: '/a/*', contentClass: ContentClass.STATIC_ASSETS, varyByCountry: true }] }), /route '\/a\/\*': varyByCountry does not apply to STATIC_ASSETS/],
      ['an allowlist on static assets', () => ({ routes: [{ pathPattern: '/a/*', contentClass: ContentClass.STATIC_ASSETS, queryStringAllowlist: [] }] }), /route '\/a\/\*': queryStringAllowlist does not apply to STATIC_ASSETS/],
      ['an allowlist on a private route', () => ({ routes: [{ pathPattern: '/me/*', contentClass: ContentClass.PRIVATE, queryStringAllowlist: [] }] }), /a PRIVATE route forwards every query string; remove queryStringAllowlist/],
      ['a 5xx alarm of 120 %', () => ({ alarms: { error5xxRatePercent: 120 } }), /alarms.error5xxRatePercent must be between 0 and 100, got 120/],
      ['a hit-rate alarm of -1 %', () => ({ alarms: { cacheHitRatePercent: -1 } }), /alarms.cacheHitRatePercent must be between 0 and 100, got -1/],
      ['an edge function in a VPC', (s) => ({ defaultEdgeLambdas: [edgeFn(cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST, { vpc: new ec2.Vpc(s, 'V', { maxAzs: 1, natGateways: 0 }) })(s)] }), /must not be in a VPC \(Lambda@Edge limit\)/],
      ['an origin function of 10241 MB', (s) => ({ defaultEdgeLambdas: [edgeFn(cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST, { memorySize: 10241 })(s)] }), /memorySize must be at most 10240 MB for origin-request, got 10241 MB/],
      ['two viewer-request functions', (s) => ({ defaultEdgeLambdas: [edgeFn(cloudfront.LambdaEdgeEventType.VIEWER_REQUEST)(s), { ...edgeFn(cloudfront.LambdaEdgeEventType.VIEWER_REQUEST)(s) }] }), /at most one Lambda@Edge function per event type, got two for viewer-request|There is already a Construct with name 'Custom'/],
      ['a CloudFront Function with Lambda@Edge on viewer response', (s) => ({ defaultViewerRequestFunction: new ViewerRequestFunction(s, 'N'), defaultEdgeLambdas: [edgeFn(cloudfront.LambdaEdgeEventType.VIEWER_RESPONSE)(s)] }), /a CloudFront Function on viewer request excludes Lambda@Edge on viewer request and viewer response/],
      ['edge environment variables', (s) => ({ defaultEdgeLambdas: [edgeFn(cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST, { environment: { KEY: 'v' } })(s)] }), /must not have environment variables \(Lambda@Edge limit\), got KEY/],
      ['an arm64 edge function', (s) => ({ defaultEdgeLambdas: [edgeFn(cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST, { architecture: lambda.Architecture.ARM_64 })(s)] }), /must use architecture x86_64 \(Lambda@Edge limit\), got arm64/],
      ['a 6 s viewer timeout', (s) => ({ defaultEdgeLambdas: [edgeFn(cloudfront.LambdaEdgeEventType.VIEWER_REQUEST, { timeout: Duration.seconds(6) })(s)] }), /timeout must be at most 5 seconds for viewer-request, got 6 seconds/],
      ['a 31 s origin timeout', (s) => ({ defaultEdgeLambdas: [edgeFn(cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST, { timeout: Duration.seconds(31) })(s)] }), /timeout must be at most 30 seconds for origin-request, got 31 seconds/],
      ['256 MB on viewer request', (s) => ({ defaultEdgeLambdas: [edgeFn(cloudfront.LambdaEdgeEventType.VIEWER_REQUEST, { memorySize: 256 })(s)] }), /memorySize must be 128 MB for viewer-request, got 256 MB/],
      ['LATENCY_ROUTED without a shared name', () => ({ sharedOriginName: undefined, cacheableOriginRouting: CacheableOriginRouting.LATENCY_ROUTED }), /cacheableOriginRouting LATENCY_ROUTED needs sharedOriginName/],
      ['an unknown routing', () => ({ cacheableOriginRouting: 'nearest' as CacheableOriginRouting }), /cacheableOriginRouting must be one of CacheableOriginRouting.LATENCY_ROUTED \("latency-routed"\), CacheableOriginRouting.PRIMARY_FAILOVER \("primary-failover"\), got "nearest"/],
      ['a shared shield region with PRIMARY_FAILOVER', () => ({ cacheableOriginRouting: CacheableOriginRouting.PRIMARY_FAILOVER, sharedOriginShieldRegion: 'us-east-1' }), /sharedOriginShieldRegion applies to cacheableOriginRouting LATENCY_ROUTED, got us-east-1 with primary-failover/],
      ['a bad shared shield region', () => ({ sharedOriginShieldRegion: 'Virginia' }), /sharedOriginShieldRegion must be a region code like us-east-2, got 'Virginia'/],
      ['a bad static shield region', () => ({ staticAssetsOriginShieldRegion: 'Virginia' }), /staticAssetsOriginShieldRegion must be a region code like us-east-2, got 'Virginia'/],
      ['a bucket in a region without a known shield', (s) => ({ staticAssetsBucket: s3.Bucket.fromBucketAttributes(s, 'B', { bucketName: 'assets-b', region: 'mx-central-1' }) }), /no recommended Origin Shield region is known for the static-assets bucket's region mx-central-1; set staticAssetsOriginShieldRegion/],
      ['a literal origin-verify value', () => ({ originVerify: { headerName: 'X-Origin-Verify', value: 'hunter2hunter2hunter2hunter2hunter2' } }), /originVerify.value must be a dynamic reference to the secret.*got a literal/],
      ['a bad origin-verify header name', () => ({ originVerify: { headerName: 'X Origin', value: '{{resolve:secretsmanager:s:SecretString:current}}' } }), /originVerify.headerName must be 1–40 RFC 7230 token characters.*got 'X Origin'/],
      ['a reserved origin-verify header name', () => ({ originVerify: { headerName: 'X-Amz-Verify', value: '{{resolve:secretsmanager:s:SecretString:current}}' } }), /originVerify.headerName must not be a header CloudFront or the ALB reserve.*got 'X-Amz-Verify'/],
    ];
    test.each(cases)('GIVEN %s WHEN created THEN throws', (_name, props, message) => {
      const { stack: s, waf } = edgeStack();
      expect(() => new CdnDistribution(s, 'Cdn', { regionalOrigins: ORIGINS, sharedOriginName: 'origin.example.com', webAclArn: waf.webAclArn, ...props(s) })).toThrow(message);
    });

    test('GIVEN a stack outside us-east-1 WHEN created THEN throws', () => {
      expect(() => new CdnDistribution(testStack({ region: 'eu-west-1' }), 'Cdn', { regionalOrigins: ORIGINS }))
        .toThrow(/CdnDistribution 'Test\/Cdn': the distribution belongs in the us-east-1 edge stack.*got region eu-west-1/);
    });
  });
});
