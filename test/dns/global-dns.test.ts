import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DnsRouting, GlobalDns, GlobalDnsProps, geolocationCodeProblem } from '../../src';
import { expectNoNagFindings, testStack } from '../util';

function dns(props: Partial<GlobalDnsProps> = {}, region = 'us-east-1') {
  const stack = testStack({ region });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });
  const d = new GlobalDns(stack, 'Dns', { hostedZone, regions: [{ region: 'eu-west-1' }, { region: 'us-west-2' }], sharedNames: ['origin', 'api'], ...props });
  return { stack, d, t: Template.fromStack(stack) };
}

describe('GlobalDns', () => {
  test('GIVEN two regions WHEN latency-routed THEN each shared name has a health-checked latency record per region that evaluates target health', () => {
    const { t } = dns();
    t.resourceCountIs('AWS::Route53::HealthCheck', 2);
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({
        Type: 'HTTPS',
        FullyQualifiedDomainName: 'eu-west-1.origin.example.com',
        Port: 443,
        ResourcePath: '/health',
        RequestInterval: 30,
        FailureThreshold: 3,
        EnableSNI: true,
      }),
    });
    t.resourceCountIs('AWS::Route53::RecordSet', 4);
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.example.com.',
      Type: 'A',
      Region: 'us-west-2',
      SetIdentifier: 'us-west-2',
      HealthCheckId: { Ref: Match.stringLikeRegexp('DnsHealthCheckuswest2') },
      AliasTarget: { DNSName: 'us-west-2.origin.example.com', HostedZoneId: 'Z0123456789', EvaluateTargetHealth: true },
    });
  });

  test('GIVEN regions WHEN created THEN alarms on each health check in us-east-1', () => {
    const { t, d } = dns();
    expect(d.alarms).toHaveLength(2);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Route53', MetricName: 'HealthCheckStatus', ComparisonOperator: 'LessThanThreshold', Threshold: 1, TreatMissingData: 'breaching',
    });
  });

  test('GIVEN geolocation routing WHEN created THEN one record per location, the default included', () => {
    const { t } = dns({
      routing: DnsRouting.GEOLOCATION,
      sharedNames: ['api'],
      regions: [
        { region: 'eu-west-1', geolocations: ['*', 'continent:EU'] }, { region: 'us-west-2', geolocations: ['continent:NA', 'US-CA'] },
      ],
    });
    t.resourceCountIs('AWS::Route53::RecordSet', 4);
    t.hasResourceProperties('AWS::Route53::RecordSet', { GeoLocation: { CountryCode: '*' }, SetIdentifier: 'eu-west-1-default' });
    t.hasResourceProperties('AWS::Route53::RecordSet', { GeoLocation: { CountryCode: 'US', SubdivisionCode: 'CA' } });
    t.hasResourceProperties('AWS::Route53::RecordSet', { GeoLocation: { ContinentCode: 'EU' } });
  });

  test('GIVEN failover routing WHEN created THEN the first region is primary', () => {
    const { t } = dns({ routing: DnsRouting.FAILOVER, sharedNames: ['api'] });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'PRIMARY', SetIdentifier: 'eu-west-1' });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'SECONDARY', SetIdentifier: 'us-west-2' });
  });

  test('GIVEN weighted routing WHEN created THEN records carry the weights', () => {
    const { t } = dns({ routing: DnsRouting.WEIGHTED, sharedNames: ['api'], regions: [{ region: 'eu-west-1', weight: 90 }, { region: 'us-west-2', weight: 10 }] });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Weight: 10, SetIdentifier: 'us-west-2' });
  });

  test('GIVEN GeoDNS WHEN checked with AwsSolutions THEN there are no unacknowledged findings', () => {
    expectNoNagFindings(dns().stack);
  });

  test.each<[string, Partial<GlobalDnsProps>, RegExp]>([
    ['no default location', { routing: DnsRouting.GEOLOCATION, regions: [{ region: 'eu-west-1', geolocations: ['continent:EU'] }] }, /a geolocation set needs a default \('\*'\) location/],
    ['UK', { routing: DnsRouting.GEOLOCATION, regions: [{ region: 'eu-west-1', geolocations: ['*', 'UK'] }] }, /'UK' is not an ISO 3166-1 code: use 'GB'/],
    ['an unknown continent', { routing: DnsRouting.GEOLOCATION, regions: [{ region: 'eu-west-1', geolocations: ['*', 'continent:XX'] }] }, /unknown continent 'XX'/],
    ['an unknown state', { routing: DnsRouting.GEOLOCATION, regions: [{ region: 'eu-west-1', geolocations: ['*', 'US-ZZ'] }] }, /unknown US subdivision 'ZZ'/],
    ['a location served twice', { routing: DnsRouting.GEOLOCATION, regions: [{ region: 'eu-west-1', geolocations: ['*', 'DE'] }, { region: 'us-west-2', geolocations: ['DE'] }] }, /geolocation 'DE' is served by both eu-west-1 and us-west-2/],
    ['geolocations with latency', { regions: [{ region: 'eu-west-1', geolocations: ['*'] }] }, /regions\['eu-west-1'\].geolocations needs routing GEOLOCATION, got latency/],
    ['a region twice', { regions: [{ region: 'eu-west-1' }, { region: 'eu-west-1' }] }, /regions must name each region once, got eu-west-1 twice/],
    ['a bad region code', { regions: [{ region: 'europe' }] }, /regions.region must be AWS region codes like eu-west-1, got 'europe'/],
    ['a shared name twice', { sharedNames: ['api', 'api'] }, /sharedNames must be unique, got api, api/],
    ['an absolute shared name', { sharedNames: ['api.example.com.'] }, /sharedNames must be lowercase names relative to the zone, got 'api.example.com.'/],
    ['a weight of 256', { routing: DnsRouting.WEIGHTED, regions: [{ region: 'eu-west-1', weight: 256 }] }, /regions\['eu-west-1'\].weight must be an integer between 0 and 255, got 256/],
    ['a routing that is not a DnsRouting (JavaScript caller)', { routing: 'nearest' as any }, /GlobalDns 'Test\/Dns': routing must be one of DnsRouting.LATENCY \("latency"\), DnsRouting.GEOLOCATION \("geolocation"\), DnsRouting.WEIGHTED \("weighted"\), DnsRouting.FAILOVER \("failover"\), got "nearest"/],
    ['a 20 s interval', { healthCheck: { interval: Duration.seconds(20) } }, /healthCheck.interval \(seconds\) must be one of 10, 30, got 20/],
    ['11 failures', { healthCheck: { failureThreshold: 11 } }, /healthCheck.failureThreshold must be an integer between 1 and 10, got 11/],
    ['two checker regions', { healthCheck: { checkerRegions: ['us-east-1', 'eu-west-1'] } }, /healthCheck.checkerRegions.length must be an integer between 3 and 8, got 2/],
    ['an unknown checker region', { healthCheck: { checkerRegions: ['us-east-1', 'eu-west-1', 'eu-central-1'] } }, /healthCheck.checkerRegions must be one of .*got eu-central-1/],
    ['failover with three regions', { routing: DnsRouting.FAILOVER, regions: [{ region: 'eu-west-1' }, { region: 'us-west-2' }, { region: 'us-east-2' }] }, /regions.length \(FAILOVER: primary and secondary\) must be an integer between 2 and 2, got 3/],
  ])('GIVEN %s WHEN created THEN throws', (_name, props, message) => {
    expect(() => dns(props)).toThrow(message);
  });

  test('GIVEN a stack outside us-east-1 WHEN created THEN throws', () => {
    expect(() => dns({}, 'eu-west-1')).toThrow(/GlobalDns belongs in us-east-1.*got region eu-west-1/);
  });

  test('GIVEN codes WHEN checked THEN countries, continents and US states pass', () => {
    expect(['*', 'continent:AN', 'GB', 'DE', 'US-TX', 'US-DC'].map(geolocationCodeProblem)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(geolocationCodeProblem('XK')).toMatch(/unknown ISO 3166-1 alpha-2 country 'XK'/);
  });
});
