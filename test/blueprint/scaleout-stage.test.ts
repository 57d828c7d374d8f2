import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  ContentClass, CustomEdgeFunction, CustomEdgeFunctionProps, EdgeFunctionSpec, EdgeRouteSpec, Rung, ScaleoutStage, ScaleoutStageProps,
} from '../../src';
import { testApp } from '../util';
import { STAGE_BASE } from './fixtures';
import { IMAGE } from '../service/fixtures';

const BASE = STAGE_BASE;
const image = IMAGE;

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

  test('GIVEN ARM64 images WHEN the spec says so THEN services and workers run on ARM64 tasks', () => {
    const stage = new ScaleoutStage(testApp(), 'Arm', {
      ...BASE,
      services: [{ name: 'Web', image, cpuArchitecture: ecs.CpuArchitecture.ARM64 }],
      queues: [{ name: 'Jobs', worker: { image, maxProcessingTime: Duration.seconds(20), cpuArchitecture: ecs.CpuArchitecture.ARM64 } }],
    });
    const tds = Object.values(Template.fromStack(stage.regional('eu-west-1')).findResources('AWS::ECS::TaskDefinition'));
    expect(tds.map((td) => td.Properties.RuntimePlatform.CpuArchitecture)).toEqual(['ARM64', 'ARM64']);
  });

  test('GIVEN network and queue options in the spec WHEN synthesized THEN the VPC and the queue take them', () => {
    const stage = new ScaleoutStage(testApp(), 'Net', {
      ...BASE,
      network: { maxAzs: 3, natGateways: 3, cidr: '10.42.0.0/16' },
      queues: [{ name: 'Jobs', maxReceiveCount: 3 }],
    });
    const t = Template.fromStack(stage.regional('eu-west-1'));
    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.42.0.0/16' });
    t.resourceCountIs('AWS::EC2::NatGateway', 3);
    t.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }) });
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
      ['an uppercase domain', { domainName: 'Shop.example.com' }, /domainName must be a lowercase domain like 'staging.example.com' \(no trailing dot\), got 'Shop.example.com'/],
      ['an unknown purge publisher', { rung: Rung.FULL_DISTRIBUTION, edge: { purgePublishers: ['Nope'] } }, /edge.purgePublishers: no service 'Nope'; services are Web/],
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

describe('ScaleoutStage across stacks (what CloudFormation would reject)', () => {
  // One rung-4 stage in three regions, us-east-1 among them (beside the edge stack), and a
  // second stage in the same account and zone: synthesized once for all the checks below.
  let stage: ScaleoutStage;
  let other: ScaleoutStage;
  const templates = () => [...stage.regionalStacks, stage.edge!, ...other.regionalStacks, other.edge!]
    .map((s) => ({ stack: s, t: Template.fromStack(s) }));
  let all: ReturnType<typeof templates>;
  beforeAll(() => {
    const app = testApp();
    const spec = {
      ...BASE,
      rung: Rung.FULL_DISTRIBUTION,
      regions: ['eu-west-1', 'us-east-1', 'ap-southeast-1'],
      queues: [{ name: 'Jobs', producers: ['Web'], worker: { image, maxProcessingTime: Duration.seconds(20), environment: { ROLE: 'worker' } } }],
      edge: { purgePublishers: ['Web'] },
    };
    stage = new ScaleoutStage(app, 'Prod', spec);
    other = new ScaleoutStage(app, 'Staging', { ...spec, domainName: 'staging.example.com' });
    all = templates();
  });

  test('GIVEN two stacks in us-east-1 and two stages in one account WHEN synthesized THEN every topic name is unique per region', () => {
    const names = all.flatMap(({ stack, t }) => Object.values(t.findResources('AWS::SNS::Topic'))
      .map((r) => `${stack.region}/${r.Properties.TopicName}`));
    expect(names).toContain('us-east-1/Prod-us-east-1-alarms');
    expect(names).toContain('us-east-1/Prod-edge-alarms');
    expect(new Set(names).size).toBe(names.length);
  });

  test('GIVEN two stages in one zone WHEN synthesized THEN no record set is created twice', () => {
    const records = all.flatMap(({ t }) => Object.values(t.findResources('AWS::Route53::RecordSet'))
      .map((r) => `${r.Properties.Name} ${r.Properties.Type} ${r.Properties.SetIdentifier ?? ''}`));
    expect(records).toContain('eu-west-1.origin.staging.example.com. A ');
    expect(records).toContain('origin.staging.example.com. A eu-west-1');
    expect(new Set(records).size).toBe(records.length);
  });

  test('GIVEN the edge stack aliases the regions\' origin records WHEN synthesized THEN it deploys after every regional stack', () => {
    expect(stage.edge!.dependencies.map((s) => s.stackName).sort()).toEqual(['Prod-ap-southeast-1', 'Prod-eu-west-1', 'Prod-us-east-1']);
  });

  test('GIVEN a secondary region WHEN its tasks read the shared master secret THEN they name it by a complete ARN read in their own region', () => {
    // Before: Secret.fromSecretNameV2 gave arn:…:secret:prod-db/master without the -XXXXXX
    // suffix, which ECS rejects for JSON keys (aws-cdk #18555, #20744).
    const secondary = Template.fromStack(stage.regional('ap-southeast-1'));
    const lookups = secondary.findResources('Custom::AWS');
    const [lookupId, lookup] = Object.entries(lookups).find(([, r]) => JSON.stringify(r.Properties.Create).includes('describeSecret'))!;
    const create = lookup.Properties.Create;
    expect(JSON.parse(typeof create === 'string' ? create : create['Fn::Join'][1].join(''))).toMatchObject({ service: 'SecretsManager', action: 'describeSecret', parameters: { SecretId: 'prod-db/master' } });
    for (const td of Object.values(secondary.findResources('AWS::ECS::TaskDefinition'))) {
      for (const s of td.Properties.ContainerDefinitions[0].Secrets.filter((x: { Name: string }) => x.Name.startsWith('DB_'))) {
        expect(s.ValueFrom['Fn::Join'][1][0]).toEqual({ 'Fn::GetAtt': [lookupId, 'ARN'] });
      }
    }
    expect(JSON.stringify(secondary.toJSON())).not.toContain('secret:prod-db/master:');
  });

  test('GIVEN a global database WHEN synthesized THEN the master secret and its replicas are retained', () => {
    Template.fromStack(stage.regional('eu-west-1')).hasResource('AWS::SecretsManager::Secret', {
      // Not when the stack's creation rolls back: the fixed name would fail the retried create.
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ Name: 'prod-db/master', ReplicaRegions: [{ Region: 'us-east-1' }, { Region: 'ap-southeast-1' }] }),
    });
  });

  test('GIVEN a global database WHEN services connect THEN writes go where they work in each region', () => {
    const env = (region: string, family: RegExp) => {
      const tds = Template.fromStack(stage.regional(region)).findResources('AWS::ECS::TaskDefinition');
      const [, td] = Object.entries(tds).find(([id]) => family.test(id))!;
      return Object.fromEntries(td.Properties.ContainerDefinitions[0].Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
    };
    const primary = env('eu-west-1', /^WebTask/);
    expect(primary.DB_HOST).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DatabaseCluster/), 'Endpoint.Address'] });
    expect(primary.DB_MIGRATE).toBe('true');
    const secondary = env('us-east-1', /^WebTask/);
    // The secondary's cluster endpoint is inactive and the primary's writer is in another VPC:
    // writes go to the local reader endpoint, which forwards them to the primary.
    expect(secondary.DB_HOST).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DatabaseCluster/), 'ReadEndpoint.Address'] });
    expect(secondary).toMatchObject({ DB_WRITE_FORWARDING: 'true', DB_MIGRATE: 'false' });
    Template.fromStack(stage.regional('us-east-1')).hasResourceProperties('AWS::RDS::DBCluster', { EnableGlobalWriteForwarding: true });
  });

  test('GIVEN a queue worker WHEN synthesized THEN it has its environment, the database and the cache, like the services', () => {
    const tds = Template.fromStack(stage.regional('ap-southeast-1')).findResources('AWS::ECS::TaskDefinition');
    const [, td] = Object.entries(tds).find(([id]) => /^JobsWorker/.test(id))!;
    const c = td.Properties.ContainerDefinitions[0];
    expect(c.Environment.map((e: { Name: string }) => e.Name)).toEqual(expect.arrayContaining(['ROLE', 'QUEUE_URL', 'DB_HOST', 'DB_READER_HOST', 'CACHE_HOST', 'CACHE_TLS']));
    expect(c.Environment).toContainEqual({ Name: 'ROLE', Value: 'worker' });
    expect(c.Secrets.map((s: { Name: string }) => s.Name).sort()).toEqual(['CACHE_AUTH_TOKEN', 'DB_PASSWORD', 'DB_USER']);
  });

  test('GIVEN rung 4 WHEN synthesized THEN the load balancers serve only CloudFront (secret header) and /health, and CloudFront sends the header', () => {
    const ref = (key: string) => `{{resolve:secretsmanager:Prod/OriginVerify:SecretString:${key}}}`;
    const primary = Template.fromStack(stage.regional('eu-west-1'));
    primary.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'Prod/OriginVerify', ReplicaRegions: [{ Region: 'us-east-1' }, { Region: 'ap-southeast-1' }] });
    // Rotation on demand, before a release: a schedule could rotate twice between two releases.
    primary.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: Match.absent() });
    for (const region of ['eu-west-1', 'us-east-1', 'ap-southeast-1']) {
      const t = Template.fromStack(stage.regional(region));
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'HTTPS', DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '403' }) })],
      });
      const rules = Object.values(t.findResources('AWS::ElasticLoadBalancingV2::ListenerRule')).map((r) => r.Properties.Conditions as Array<Record<string, any>>);
      const open = rules.filter((c) => !c.some((x) => x.Field === 'http-header'));
      expect(open.map((c) => c.map((x) => x.PathPatternConfig?.Values ?? x.Values))).toEqual([[['/health']]]);
      for (const c of rules.filter((x) => !open.includes(x))) {
        expect(c.find((x) => x.Field === 'http-header')?.HttpHeaderConfig).toEqual({ HttpHeaderName: 'X-Origin-Verify', Values: [ref('previous'), ref('current'), ref('next')] });
      }
    }
    const edge = Template.fromStack(stage.edge!);
    const origins = Object.values(edge.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig.Origins as Array<Record<string, any>>;
    const custom = origins.filter((o) => o.CustomOriginConfig);
    expect(custom.length).toBeGreaterThan(0);
    for (const o of custom) expect(o.OriginCustomHeaders).toEqual([{ HeaderName: 'X-Origin-Verify', HeaderValue: ref('current') }]);
    // No direct `api.` entry: it would bypass WAF and CloudFront, and answer 403 now.
    expect(JSON.stringify(edge.findResources('AWS::Route53::RecordSet'))).not.toMatch(/"api\./);
  });

  test('GIVEN purge publishers WHEN synthesized THEN they may send to the edge stack\'s purge queue, known by name, whose alarms notify the edge topic', () => {
    const edge = Template.fromStack(stage.edge!);
    edge.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'Prod-edge-purge' });
    const alarms = Object.values(edge.findResources('AWS::CloudWatch::Alarm')).filter((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes('PurgeQueue'));
    expect(alarms).toHaveLength(3); // dead letters, oldest message, backlog
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmTopic/) }]);
    const region = Template.fromStack(stage.regional('ap-southeast-1'));
    const td = Object.entries(region.findResources('AWS::ECS::TaskDefinition')).find(([id]) => /^WebTask/.test(id))![1];
    expect(td.Properties.ContainerDefinitions[0].Environment).toContainEqual({
      Name: 'PURGE_QUEUE_URL', Value: { 'Fn::Join': ['', ['https://sqs.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/111111111111/Prod-edge-purge']] },
    });
    region.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sqs:SendMessage', Resource: { 'Fn::Join': ['', Match.arrayWith([':sqs:us-east-1:111111111111:Prod-edge-purge'])] } })]) },
    });
  });

  test('GIVEN a domain outside the zone WHEN created THEN throws', () => {
    expect(() => new ScaleoutStage(testApp(), 'S', { ...BASE, domainName: 'example.org' }))
      .toThrow(/ScaleoutStage 'S': domainName must be the zone's name example.com or a subdomain of it, got 'example.org'/);
    expect(() => new ScaleoutStage(testApp(), 'S', { ...BASE, domainName: `${'a'.repeat(40)}.example.com` }))
      .toThrow(/domainName '.*' is too long: 'eu-west-1.origin..*' must fit ACM's 64-character domain name, got 69 characters/);
  });
});

describe('ScaleoutStage edge functions', () => {
  const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEexample\n-----END PUBLIC KEY-----';
  const codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'edge-code-'));
  fs.writeFileSync(path.join(codeDir, 'index.js'), 'exports.handler = async (e) => e.Records[0].cf.response;');

  test('GIVEN edge functions in the spec WHEN synthesized THEN the edge stack creates them in us-east-1 and associates each with its route', () => {
    const app = testApp();
    const created: string[] = [];
    const stage = new ScaleoutStage(app, 'Prod', {
      ...BASE,
      rung: Rung.FULL_DISTRIBUTION,
      edge: {
        routes: [
          { pathPattern: '/account/*', contentClass: ContentClass.PRIVATE, edgeFunctions: [EdgeFunctionSpec.jwtAuth({ publicKeyPem: PEM, algorithm: 'ES256' })] },
          {
            pathPattern: '/home/*',
            contentClass: ContentClass.HTML,
            varyByCountry: true,
            edgeFunctions: [
              EdgeFunctionSpec.abTest({ variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1, pathPrefix: '/b' }] }),
              EdgeFunctionSpec.geoContent({ countries: { DE: { pathPrefix: '/de' } } }),
            ],
          },
        ],
        defaultEdgeFunctions: [
          EdgeFunctionSpec.fromCode({ code: lambda.Code.fromAsset(codeDir), eventType: cloudfront.LambdaEdgeEventType.ORIGIN_RESPONSE }),
          EdgeFunctionSpec.fromFactory({
            create: (scope, id) => {
              created.push(Stack.of(scope).stackName);
              const eventType = cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST;
              return new CustomEdgeFunction(scope, id, { code: lambda.Code.fromAsset(codeDir), eventType });
            },
          }),
        ],
      },
    });
    expect(created).toEqual(['Prod-edge']);
    const t = Template.fromStack(stage.edge!);
    t.resourceCountIs('AWS::Lambda::Version', 5);
    const behaviours = t.findResources('AWS::CloudFront::Distribution');
    const config = Object.values(behaviours)[0].Properties.DistributionConfig;
    type Behaviour = { LambdaFunctionAssociations?: Array<{ EventType: string }> };
    const events = (b: Behaviour) => (b.LambdaFunctionAssociations ?? []).map((a) => a.EventType).sort();
    expect(events(config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/account/*'))).toEqual(['viewer-request']);
    expect(events(config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/home/*'))).toEqual(['origin-request', 'viewer-request']);
    expect(events(config.DefaultCacheBehavior)).toEqual(['origin-request', 'origin-response']);
    for (const s of stage.regionalStacks) Template.fromStack(s).resourceCountIs('AWS::Lambda::Version', 0);
  });

  test('GIVEN a route for the default behaviour WHEN put in the spec THEN throws, naming what the spec offers instead', () => {
    expect(() => new ScaleoutStage(testApp(), 'Prod', { ...BASE, rung: Rung.FULL_DISTRIBUTION, edge: { routes: [{ pathPattern: '/*', contentClass: ContentClass.HTML }] } }))
      .toThrow(/EdgeStack 'Prod\/edge': routes\['\/\*'\] is the default behaviour \(HTML, to the regions\), not a route: leave it out; its Lambda@Edge functions go in defaultEdgeFunctions/);
  });

  test('GIVEN a Lambda@Edge function made outside the edge stack WHEN put in the spec THEN throws, naming edgeFunctions', () => {
    const app = testApp();
    const elsewhere = new Stack(app, 'Elsewhere', { env: { account: '111111111111', region: 'us-east-1' } });
    const fn = new CustomEdgeFunction(elsewhere, 'Fn', { code: lambda.Code.fromAsset(codeDir), eventType: cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST });
    const route = { pathPattern: '/x/*', contentClass: ContentClass.PRIVATE, edgeLambdas: [fn] } as EdgeRouteSpec;
    expect(() => new ScaleoutStage(app, 'Prod', { ...BASE, rung: Rung.FULL_DISTRIBUTION, edge: { routes: [route] } }))
      .toThrow(/EdgeStack 'Prod\/edge': routes\['\/x\/\*'\]: edgeLambdas\/viewerRequestFunction made outside the edge stack cannot be associated .*edgeFunctions: \[EdgeFunctionSpec/);
  });

  test.each<[string, Partial<CustomEdgeFunctionProps>, RegExp]>([
    ['256 MB on viewer request', { eventType: cloudfront.LambdaEdgeEventType.VIEWER_REQUEST, memorySize: 256 }, /CustomEdgeFunction 'E\/Fn': memorySize \(viewer-request\) must be an integer between 128 and 128 MB, got 256 MB/],
    ['a 31 s origin timeout', { eventType: cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST, timeout: Duration.seconds(31) }, /timeout \(origin-request\) must be a whole number of seconds between 1 second and 30 seconds, got 31 seconds/],
    ['a Java runtime', { eventType: cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST, runtime: lambda.Runtime.JAVA_21 }, /runtime must be a Node.js or Python runtime \(Lambda@Edge supports no others\), got java21/],
    ['an unknown event type', { eventType: 'viewer' as cloudfront.LambdaEdgeEventType }, /eventType must be one of LambdaEdgeEventType.ORIGIN_REQUEST \("origin-request"\).*got "viewer"/],
    ['another region', { eventType: cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST, region: 'eu-west-1' } as Partial<CustomEdgeFunctionProps>, /Lambda@Edge functions must be created in us-east-1 \(put them in the edge stack\), got region eu-west-1/],
  ])('GIVEN a custom edge function with %s WHEN created THEN throws', (_name, props, message) => {
    const { region, ...rest } = props as Partial<CustomEdgeFunctionProps> & { region?: string };
    const stack = new Stack(testApp(), 'E', { env: { account: '111111111111', region: region ?? 'us-east-1' } });
    expect(() => new CustomEdgeFunction(stack, 'Fn', { code: lambda.Code.fromAsset(codeDir), eventType: cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST, ...rest })).toThrow(message);
  });
});
