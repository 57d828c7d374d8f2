import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DnsRouting, Rung, ScaleoutStage, ScaleoutStageProps, StatelessServiceOptions } from '../../src';
import { testApp } from '../util';
import { STAGE_BASE } from './fixtures';
import { IMAGE } from '../service/fixtures';

const JOBS = { name: 'Jobs', worker: { image: IMAGE, maxProcessingTime: Duration.seconds(20) } };

function regionTemplate(props: Partial<ScaleoutStageProps>, region = 'eu-west-1'): Template {
  const stage = new ScaleoutStage(testApp(), 'Ovr', { ...STAGE_BASE, ...props });
  return Template.fromStack(stage.regional(region));
}

describe('ScaleoutStage overrides: props the spec has no field for', () => {
  test('GIVEN stage-wide overrides of every regional tier WHEN synthesized THEN each construct takes them', () => {
    const t = regionTemplate({
      queues: [JOBS],
      overrides: {
        network: { flowLogRetention: logs.RetentionDays.ONE_MONTH },
        loadBalancer: { idleTimeout: Duration.seconds(120) },
        services: { Web: { deployment: { minHealthyPercent: 50 }, stopTimeout: Duration.seconds(90) } },
        database: { backupRetention: Duration.days(21) },
        cache: { snapshotRetentionDays: 9 },
        queues: { Jobs: { retentionPeriod: Duration.days(7) } },
        workers: { Jobs: { cpu: 1024, memoryLimitMiB: 2048 } },
      },
    });
    // Flow logs keep 90 days by default.
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '120' }]),
    });
    t.hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 50 }) });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [Match.objectLike({ StopTimeout: 90 })] });
    t.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 21 });
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { SnapshotRetentionLimit: 9 });
    t.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 7 * 86400, RedrivePolicy: Match.anyValue() });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '2048' });
  });

  test('GIVEN a service override WHEN it sets nested options THEN they merge with the spec and the rung key by key', () => {
    const t = regionTemplate({
      services: [{ name: 'Web', image: IMAGE, environment: { A: '1' }, healthPath: '/ready' }],
      overrides: {
        services: {
          Web: {
            environment: { B: '2' },
            scaling: { cpuTargetPercent: 45 },
            targetGroup: { healthCheck: { interval: Duration.seconds(10) } },
          },
        },
      },
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'A', Value: '1' }, { Name: 'B', Value: '2' }]) })],
    });
    // The rung's task range stays (rung 3: 2–10); the override adds the CPU target.
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 45 }),
    });
    // The spec's health path stays; the override adds the interval.
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/ready', HealthCheckIntervalSeconds: 10 });
  });

  test('GIVEN no overrides or empty ones WHEN synthesized THEN the templates are identical', () => {
    const props: Partial<ScaleoutStageProps> = { rung: Rung.FULL_DISTRIBUTION, regions: ['eu-west-1', 'us-west-2'], queues: [JOBS] };
    const none = new ScaleoutStage(testApp(), 'Same', { ...STAGE_BASE, ...props });
    const empty = new ScaleoutStage(testApp(), 'Same', { ...STAGE_BASE, ...props, overrides: { regions: { 'us-west-2': {} }, services: {} } });
    for (const region of ['eu-west-1', 'us-west-2']) {
      expect(Template.fromStack(empty.regional(region)).toJSON()).toEqual(Template.fromStack(none.regional(region)).toJSON());
    }
    expect(Template.fromStack(empty.edge!).toJSON()).toEqual(Template.fromStack(none.edge!).toJSON());
  });
});

describe('ScaleoutStage overrides: per region', () => {
  const multi: Partial<ScaleoutStageProps> = { rung: Rung.FULL_DISTRIBUTION, regions: ['eu-west-1', 'us-west-2'] };

  test('GIVEN stage-wide and per-region overrides WHEN synthesized THEN each region merges its own over the stage-wide values', () => {
    const stage = new ScaleoutStage(testApp(), 'Prod', {
      ...STAGE_BASE,
      ...multi,
      overrides: {
        database: { backupRetention: Duration.days(21), monitoringInterval: Duration.seconds(30) },
        services: { Web: { scaling: { maxTasks: 40 } } },
        regions: {
          'us-west-2': {
            database: { backupRetention: Duration.days(7) },
            services: { Web: { scaling: { minTasks: 3 } } },
            network: { availabilityZones: ['us-west-2b', 'us-west-2c'] },
          },
        },
      },
    });
    const eu = Template.fromStack(stage.regional('eu-west-1'));
    const us = Template.fromStack(stage.regional('us-west-2'));
    eu.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 21 });
    us.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 7 });
    // The stage-wide monitoring interval reaches both regions' instances.
    us.hasResourceProperties('AWS::RDS::DBInstance', { MonitoringInterval: 30 });
    eu.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 2, MaxCapacity: 40 });
    us.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 3, MaxCapacity: 40 });
    us.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'us-west-2c' });
    eu.resourcePropertiesCountIs('AWS::EC2::Subnet', { AvailabilityZone: 'us-west-2c' }, 0);
  });

  test('GIVEN edge overrides WHEN synthesized THEN the distribution and the web ACL take them, the spec rate limit stays', () => {
    const stage = new ScaleoutStage(testApp(), 'Prod', {
      ...STAGE_BASE,
      ...multi,
      edge: { rateLimit: 500 },
      overrides: {
        distribution: { priceClass: cloudfront.PriceClass.PRICE_CLASS_100, htmlTtl: Duration.seconds(30) },
        webAcl: { pathRateLimits: [{ pathPrefix: '/login', limit: 100 }] },
      },
    });
    const t = Template.fromStack(stage.edge!);
    t.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ PriceClass: 'PriceClass_100' }) });
    t.hasResourceProperties('AWS::CloudFront::CachePolicy', { CachePolicyConfig: Match.objectLike({ DefaultTTL: 30 }) });
    const acl = JSON.stringify(t.findResources('AWS::WAFv2::WebACL'));
    expect(acl).toContain('"Limit":500');
    expect(acl).toContain('"Limit":100');
    expect(acl).toContain('/login');
  });

  test('GIVEN the spec\'s edge.rateLimit and an override of webAcl.rateLimit WHEN synthesized THEN the override wins', () => {
    const stage = new ScaleoutStage(testApp(), 'Prod', { ...STAGE_BASE, ...multi, edge: { rateLimit: 500 }, overrides: { webAcl: { rateLimit: 300 } } });
    const acl = JSON.stringify(Template.fromStack(stage.edge!).findResources('AWS::WAFv2::WebACL'));
    expect(acl).toContain('"Limit":300');
    expect(acl).not.toContain('"Limit":500');
  });

  test('GIVEN a purge-queue override WHEN synthesized THEN the queue takes it and keeps the name the regions send to', () => {
    const stage = new ScaleoutStage(testApp(), 'Prod', {
      ...STAGE_BASE,
      ...multi,
      overrides: { purgeQueue: { maxReceiveCount: 9, queueName: 'renamed' } },
    });
    Template.fromStack(stage.edge!).hasResourceProperties('AWS::SQS::Queue', { QueueName: 'Prod-edge-purge', RedrivePolicy: Match.objectLike({ maxReceiveCount: 9 }) });
  });

  test('GIVEN a fan-out override WHEN synthesized THEN the topic takes it', () => {
    const stage = new ScaleoutStage(testApp(), 'Prod', {
      ...STAGE_BASE,
      ...multi,
      queues: [{ name: 'Previews' }],
      fanOuts: [{ name: 'LinkCreated', publishers: ['Web'], subscribers: ['Previews'] }],
      overrides: { regions: { 'us-west-2': { fanOuts: { LinkCreated: { topicName: 'Prod-us-west-2-link-created' } } } } },
    });
    Template.fromStack(stage.regional('us-west-2')).hasResourceProperties('AWS::SNS::Topic', { TopicName: 'Prod-us-west-2-link-created' });
    Template.fromStack(stage.regional('eu-west-1')).resourcePropertiesCountIs('AWS::SNS::Topic', { TopicName: 'Prod-us-west-2-link-created' }, 0);
  });

  test('GIVEN a per-region override with a bad value WHEN synthesized THEN that region\'s construct rejects it with its own message', () => {
    expect(() => new ScaleoutStage(testApp(), 'Prod', {
      ...STAGE_BASE,
      ...multi,
      overrides: { regions: { 'us-west-2': { cache: { snapshotRetentionDays: 40 } } } },
    })).toThrow(/CacheCluster 'Prod\/us-west-2\/Cache': snapshotRetentionDays must be an integer between 0 and 35, got 40/);
  });
});

describe('ScaleoutStage overrides: the same prop as a spec field', () => {
  test('GIVEN spec fields and overrides of the same props WHEN synthesized THEN the override wins', () => {
    const t = regionTemplate({
      services: [{ name: 'Web', image: IMAGE, cpu: 512, memoryLimitMiB: 1024, port: 8080 }],
      network: { natGateways: 1 },
      database: { readers: 1 },
      queues: [{ ...JOBS, maxReceiveCount: 3 }],
      overrides: {
        services: { Web: { cpu: 2048, memoryLimitMiB: 4096, containerPort: 3000 } },
        network: { natGateways: 2 },
        database: { readers: 2 },
        queues: { Jobs: { maxReceiveCount: 7 } },
      },
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '2048', Memory: '4096', ContainerDefinitions: [Match.objectLike({ PortMappings: [Match.objectLike({ ContainerPort: 3000 })] })] });
    t.resourceCountIs('AWS::EC2::NatGateway', 2);
    t.resourceCountIs('AWS::RDS::DBInstance', 3);
    t.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 7 }) });
  });

  test('GIVEN traffic and an override of a planned size WHEN synthesized THEN the override wins over the plan', () => {
    const stage = new ScaleoutStage(testApp(), 'Ovr', {
      ...STAGE_BASE,
      traffic: { dailyActiveUsers: 1_000_000 },
      overrides: { services: { Web: { scaling: { maxTasks: 7 } } }, cache: { cacheNodeType: 'cache.m7g.large' } },
    });
    expect(stage.plan?.rung).toBe(Rung.SEPARATE_DATA_TIER);
    const t = Template.fromStack(stage.regional('eu-west-1'));
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 1, MaxCapacity: 7 });
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { CacheNodeType: 'cache.m7g.large' });
  });

  test('GIVEN an override of a prop the stage derives others from WHEN synthesized THEN the derived defaults follow the winning value', () => {
    // Rung 3 has one cache shard (no cluster mode) and Serverless v2: overriding shards turns on
    // cluster mode, overriding instanceType drops the Serverless v2 capacity the rung would set,
    // and a higher minTasks raises the rung's maxTasks.
    const t = regionTemplate({
      overrides: {
        cache: { shards: 3 },
        database: { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE) },
        services: { Web: { scaling: { minTasks: 12 } } },
      },
    });
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { ClusterMode: 'enabled', NumNodeGroups: 3 });
    t.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r7g.large' });
    t.hasResourceProperties('AWS::RDS::DBCluster', { ServerlessV2ScalingConfiguration: Match.absent() });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 12, MaxCapacity: 12 });
  });

  test('GIVEN an override that contradicts what the stage derives WHEN synthesized THEN the construct rejects the merged props', () => {
    expect(() => regionTemplate({ overrides: { cache: { shards: 3, clusterMode: false } } }))
      .toThrow(/CacheCluster 'Ovr\/eu-west-1\/Cache': shards must be 1 without clusterMode, got 3/);
  });
});

describe('ScaleoutStage overrides: wiring stays the stage\'s', () => {
  test('GIVEN wiring smuggled into an override (plain JavaScript) WHEN synthesized THEN the stage\'s image and alarm topic win', () => {
    const app = testApp();
    const other = new Stack(app, 'Other', { env: { account: STAGE_BASE.account, region: 'eu-west-1' } });
    const stage = new ScaleoutStage(app, 'Ovr', {
      ...STAGE_BASE,
      overrides: {
        services: {
          Web: {
            image: ecs.ContainerImage.fromRegistry('example.com/not-the-spec:latest'),
            vpc: new ec2.Vpc(other, 'Vpc'),
            alarms: { topic: new sns.Topic(other, 'Topic'), http5xxRatePercent: 10 },
          } as unknown as StatelessServiceOptions,
        },
      },
    });
    const regional = stage.regional('eu-west-1');
    const t = Template.fromStack(regional);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [Match.objectLike({ Image: 'public.ecr.aws/nginx/nginx:stable' })] });
    const topicId = regional.getLogicalId(regional.alarmTopic.node.defaultChild as sns.CfnTopic);
    // The override's threshold applies, the actions go to the stack's alarm topic.
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 10, AlarmActions: [{ Ref: topicId }] });
    expect(regional.services.Web.cluster.vpc).toBe(regional.network.vpc);
  });
});

describe('ScaleoutStage overrides: validation', () => {
  test('GIVEN an override with a bad value WHEN synthesized THEN the construct\'s own validation fails with its message', () => {
    expect(() => regionTemplate({ overrides: { database: { backupRetention: Duration.days(40) } } }))
      .toThrow(/AuroraDatabase 'Ovr\/eu-west-1\/Database': backupRetention must be a whole number of seconds between 1 day and 35 days, got 40 days/);
    expect(() => regionTemplate({ queues: [JOBS], overrides: { queues: { Jobs: { maxReceiveCount: 0 } } } }))
      .toThrow(/WorkQueue 'Ovr\/eu-west-1\/JobsQueue': maxReceiveCount must be an integer between 1 and 1000, got 0/);
    expect(() => regionTemplate({ overrides: { loadBalancer: { idleTimeout: Duration.seconds(5000) } } }))
      .toThrow(/ServiceLoadBalancer 'Ovr\/eu-west-1\/LoadBalancer': idleTimeout must be a whole number of seconds between 1 second and 4000 seconds, got 5000 seconds/);
  });

  test('GIVEN an override naming a service, queue, worker or fan-out the spec does not have WHEN synthesized THEN it fails naming the known ones', () => {
    expect(() => regionTemplate({ overrides: { services: { Api: { cpu: 1024 } } } }))
      .toThrow(/RegionalStack 'Ovr\/eu-west-1': overrides.services: no service 'Api'; services are Web/);
    expect(() => regionTemplate({ queues: [JOBS], overrides: { queues: { Orders: {} } } }))
      .toThrow(/overrides.queues: no queue 'Orders'; queues are Jobs/);
    expect(() => regionTemplate({ queues: [{ name: 'Plain' }], overrides: { workers: { Plain: { cpu: 1024 } } } }))
      .toThrow(/overrides.workers: no worker 'Plain'; workers are \(none\)/);
    expect(() => regionTemplate({ rung: Rung.FULL_DISTRIBUTION, overrides: { fanOuts: { Events: {} } } }))
      .toThrow(/overrides.fanOuts: no fanOut 'Events'; fanOuts are \(none\)/);
  });

  test('GIVEN an override of a tier the rung or the spec does not deploy WHEN synthesized THEN it fails', () => {
    expect(() => regionTemplate({ rung: Rung.SINGLE_SERVER, overrides: { cache: { snapshotRetentionDays: 3 } } }))
      .toThrow(/overrides.cache: there is no cache \(rung 1\); caches start at rung 2/);
    expect(() => regionTemplate({ cache: { enabled: false }, overrides: { cache: { snapshotRetentionDays: 3 } } }))
      .toThrow(/overrides.cache: there is no cache \(rung 3, cache.enabled false\)/);
    expect(() => regionTemplate({ database: { enabled: false }, overrides: { database: { backupRetention: Duration.days(7) } } }))
      .toThrow(/overrides.database: the database is disabled/);
    expect(() => regionTemplate({ overrides: { distribution: { htmlTtl: Duration.seconds(5) } } }))
      .toThrow(/ScaleoutStage 'Ovr': overrides.distribution needs the edge stack of rung 4 \(FULL_DISTRIBUTION\), got rung 3/);
    expect(() => regionTemplate({ overrides: { webAcl: { rateLimit: 100 } } }))
      .toThrow(/overrides.webAcl needs the edge stack of rung 4/);
    expect(() => regionTemplate({ overrides: { purgeQueue: { maxReceiveCount: 3 } } }))
      .toThrow(/overrides.purgeQueue needs the edge stack of rung 4/);
  });

  test('GIVEN availability zones of another region WHEN synthesized THEN the region\'s stack rejects them', () => {
    expect(() => new ScaleoutStage(testApp(), 'Ovr', {
      ...STAGE_BASE,
      rung: Rung.FULL_DISTRIBUTION,
      regions: ['eu-west-1', 'us-west-2'],
      overrides: { network: { availabilityZones: ['eu-west-1a', 'eu-west-1b'] } },
    })).toThrow(/RegionalStack 'Ovr\/us-west-2': overrides.network.availabilityZones: eu-west-1a is not in this stack's region us-west-2; give each region its zones in overrides.regions\['us-west-2'\].network/);
  });

  test('GIVEN a per-region override of a region not in the stage WHEN synthesized THEN it fails naming the regions', () => {
    expect(() => regionTemplate({ overrides: { regions: { 'us-east-2': { cache: { snapshotRetentionDays: 3 } } } } }))
      .toThrow(/ScaleoutStage 'Ovr': overrides.regions: us-east-2 is not one of the regions eu-west-1/);
  });
});

describe('ScaleoutStage dns.weights', () => {
  const multi: Partial<ScaleoutStageProps> = { rung: Rung.FULL_DISTRIBUTION, regions: ['eu-west-1', 'us-west-2'] };

  test('GIVEN WEIGHTED routing with weights WHEN synthesized THEN each region\'s origin record carries its weight', () => {
    const stage = new ScaleoutStage(testApp(), 'W', { ...STAGE_BASE, ...multi, dns: { routing: DnsRouting.WEIGHTED, weights: { 'eu-west-1': 200 } } });
    const t = Template.fromStack(stage.edge!);
    t.hasResourceProperties('AWS::Route53::RecordSet', { SetIdentifier: 'eu-west-1', Weight: 200 });
    t.hasResourceProperties('AWS::Route53::RecordSet', { SetIdentifier: 'us-west-2', Weight: 1 });
  });

  test('GIVEN weights without WEIGHTED routing, of an unknown region or out of range WHEN synthesized THEN it fails', () => {
    expect(() => new ScaleoutStage(testApp(), 'W', { ...STAGE_BASE, ...multi, dns: { weights: { 'eu-west-1': 2 } } }))
      .toThrow(/ScaleoutStage 'W': dns.weights needs dns.routing WEIGHTED, got latency/);
    expect(() => new ScaleoutStage(testApp(), 'W', { ...STAGE_BASE, ...multi, dns: { routing: DnsRouting.WEIGHTED, weights: { 'ap-south-1': 2 } } }))
      .toThrow(/dns.weights: ap-south-1 is not one of the regions eu-west-1, us-west-2/);
    expect(() => new ScaleoutStage(testApp(), 'W', { ...STAGE_BASE, ...multi, dns: { routing: DnsRouting.WEIGHTED, weights: { 'us-west-2': 300 } } }))
      .toThrow(/GlobalDns 'W\/edge\/Dns': regions\['us-west-2'\].weight must be an integer between 0 and 255, got 300/);
  });
});
