import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Rung, ScaleoutStage, ScaleoutStageProps } from '../../src';
import { testApp } from '../util';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable');
const BASE: ScaleoutStageProps = {
  account: '111111111111',
  hostedZoneId: 'Z0123456789EXAMPLE',
  zoneName: 'example.com',
  regions: ['eu-west-1'],
  services: [{ name: 'Web', image }],
};

describe('ScaleoutStage', () => {
  test('GIVEN rung 4 in two regions WHEN synthesized THEN a stack per region and a us-east-1 edge stack, the secondary after the primary', () => {
    const app = testApp();
    const stage = new ScaleoutStage(app, 'Prod', { ...BASE, rung: Rung.FULL_DISTRIBUTION, regions: ['eu-west-1', 'us-west-2'] });
    expect(stage.regionalStacks.map((s) => [s.stackName, s.region])).toEqual([['Prod-eu-west-1', 'eu-west-1'], ['Prod-us-west-2', 'us-west-2']]);
    expect(stage.edge?.region).toBe('us-east-1');
    expect(stage.regional('us-west-2').dependencies.map((s) => s.stackName)).toEqual(['Prod-eu-west-1']);
    expect(stage.regional('eu-west-1').database).toBeDefined();
    const secondary = Template.fromStack(stage.regional('us-west-2'));
    secondary.hasResourceProperties('AWS::RDS::DBCluster', { GlobalClusterIdentifier: 'prod-db' });
    secondary.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { ClusterMode: 'enabled', NumNodeGroups: 2 });
    Template.fromStack(stage.regional('eu-west-1')).hasResourceProperties('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'prod-db' });
    expect(() => stage.regional('ap-south-1')).toThrow(/no region ap-south-1; regions are eu-west-1, us-west-2/);
  });

  test('GIVEN rung 1 WHEN synthesized THEN one task, a writer-only database, no cache', () => {
    const app = testApp();
    const stage = new ScaleoutStage(app, 'Small', { ...BASE, rung: Rung.SINGLE_SERVER });
    const t = Template.fromStack(stage.regional('eu-west-1'));
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 1 });
    t.resourceCountIs('AWS::RDS::DBInstance', 1);
    t.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 0);
    expect(stage.edge).toBeUndefined();
  });

  describe('rejects bad input', () => {
    test.each<[string, Partial<ScaleoutStageProps>, RegExp]>([
      ['a rung that is not a Rung (JavaScript caller)', { rung: 5 as Rung }, /rung must be one of Rung.SINGLE_SERVER \(1\), Rung.SEPARATE_DATA_TIER \(2\), Rung.LOAD_BALANCED_POOL \(3\), Rung.FULL_DISTRIBUTION \(4\), got 5/],
      ['a DNS routing that is not a DnsRouting (JavaScript caller)', { rung: Rung.FULL_DISTRIBUTION, dns: { routing: 'nearest' as any } }, /dns.routing must be one of DnsRouting.LATENCY \("latency"\).*got "nearest"/],
      ['two regions below rung 4', { regions: ['eu-west-1', 'us-west-2'], rung: Rung.LOAD_BALANCED_POOL }, /ScaleoutStage 'S': regions: 2 regions need rung 4 \(FULL_DISTRIBUTION\), got rung 3/],
      ['an unknown region', { regions: ['eu-west-9'] }, /regions must be one of .*got eu-west-9/],
      ['a region twice', { regions: ['eu-west-1', 'eu-west-1'], rung: Rung.FULL_DISTRIBUTION }, /regions must not repeat a region, got eu-west-1 twice/],
      ['no region', { regions: [] }, /regions must name at least the primary region, got none/],
      ['a bad zone ID', { hostedZoneId: 'abc' }, /hostedZoneId must be a Route 53 hosted zone ID like 'Z0123456789ABC', got 'abc'/],
      ['a zone with a trailing dot', { zoneName: 'example.com.' }, /zoneName must be a lowercase domain like 'example.com' \(no trailing dot\), got 'example.com.'/],
      ['a bad account', { account: '1234' }, /account must be a 12-digit AWS account ID, got '1234'/],
      ['queues at rung 2', { rung: Rung.SEPARATE_DATA_TIER, queues: [{ name: 'Jobs' }] }, /queues need rung 3 \(LOAD_BALANCED_POOL\) or higher, got rung 2/],
      ['fan-out at rung 3', { fanOuts: [{ name: 'Events', publishers: [], subscribers: [] }] }, /fanOuts need rung 4 \(FULL_DISTRIBUTION\), got rung 3/],
      ['edge at rung 3', { edge: {} }, /edge needs rung 4 \(FULL_DISTRIBUTION\), got rung 3/],
      ['two default routes', { services: [{ name: 'A', image }, { name: 'B', image }] }, /services: 'B' and 'A' both take the default route/],
      ['a route priority clash', { services: [{ name: 'A', image }, { name: 'B', image, pathPatterns: ['/b/*'], priority: 5 }, { name: 'C', image, pathPatterns: ['/c/*'], priority: 5 }] }, /services: 'C' and 'B' both use route priority 5/],
      ['a lowercase service name', { services: [{ name: 'web', image }] }, /services.name must be a PascalCase name/],
      ['an unknown producer', { queues: [{ name: 'Jobs', producers: ['Nope'] }] }, /queues\['Jobs'\].producers: no service 'Nope'/],
      ['an unknown subscriber', { rung: Rung.FULL_DISTRIBUTION, queues: [{ name: 'Jobs' }], fanOuts: [{ name: 'Events', publishers: ['Web'], subscribers: ['Nope'] }] }, /fanOuts\['Events'\].subscribers: no queue 'Nope'/],
      ['a lowercase queue name', { queues: [{ name: 'jobs' }] }, /queues.name must be a PascalCase name of up to 31 letters and digits, got 'jobs'/],
      ['a queue twice', { queues: [{ name: 'Jobs' }, { name: 'Jobs' }] }, /queues.name must be unique, got 'Jobs' twice/],
      ['a lowercase fan-out name', { rung: Rung.FULL_DISTRIBUTION, fanOuts: [{ name: 'events', publishers: [], subscribers: [] }] }, /fanOuts.name must be a PascalCase name of up to 31 letters and digits, got 'events'/],
      ['a bad global identifier', { rung: Rung.FULL_DISTRIBUTION, regions: ['eu-west-1', 'us-west-2'], database: { globalClusterIdentifier: 'Shop_DB' } }, /database.globalClusterIdentifier must be lowercase letters, digits and hyphens, got 'Shop_DB'/],
      ['a 15 s health-check interval', { rung: Rung.FULL_DISTRIBUTION, dns: { healthCheck: { interval: Duration.seconds(15) } } }, /GlobalDns 'S\/edge\/Dns': healthCheck.interval \(seconds\) must be one of 10, 30, got 15/],
      ['geolocations with latency routing', { rung: Rung.FULL_DISTRIBUTION, dns: { geolocations: { 'eu-west-1': ['*'] } } }, /dns.geolocations needs dns.routing GEOLOCATION/],
    ])('GIVEN %s WHEN created THEN throws', (_name, props, message) => {
      expect(() => new ScaleoutStage(testApp(), 'S', { ...BASE, ...props })).toThrow(message);
    });
  });
});
