import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Rung, ScaleoutStage } from '../../src';
import { STAGE_BASE } from '../blueprint/fixtures';
import { IMAGE } from '../service/fixtures';
import { testApp } from '../util';

const BASE = STAGE_BASE;
const image = IMAGE;

describe('ScaleoutStage traffic:', () => {
  test('GIVEN 1M DAU and no rung WHEN synthesized THEN the plan\'s rung 2 and its task range', () => {
    const stage = new ScaleoutStage(testApp(), 'Planned', { ...BASE, traffic: { dailyActiveUsers: 1_000_000 } });
    expect(stage.plan?.rung).toBe(Rung.SEPARATE_DATA_TIER);
    expect(stage.rung).toBe(Rung.SEPARATE_DATA_TIER);
    const t = Template.fromStack(stage.regional('eu-west-1'));
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 2 });
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { CacheNodeType: 'cache.t4g.medium' });
  });

  test('GIVEN traffic that needs more tasks, readers and workers than the rung gives WHEN synthesized THEN the plan sizes them', () => {
    const stage = new ScaleoutStage(testApp(), 'Busy', {
      ...BASE,
      rung: Rung.LOAD_BALANCED_POOL,
      traffic: { dailyActiveUsers: 3_000_000, requestsPerTask: 50, readsPerInstance: 100, cacheHitRate: 0.5, messagesPerWorker: 1 },
      queues: [{ name: 'Jobs', worker: { image, maxProcessingTime: Duration.seconds(20) } }],
    });
    const plan = stage.plan!;
    expect(plan.serviceTasksMax).toBe(Math.ceil(plan.peakRequestsPerSecond / 50));
    expect(plan.databaseReaders).toBeGreaterThan(1);
    const t = Template.fromStack(stage.regional('eu-west-1'));
    const targets = Object.values(t.findResources('AWS::ApplicationAutoScaling::ScalableTarget')).map((r) => [r.Properties.ScalableDimension, r.Properties.MinCapacity, r.Properties.MaxCapacity]);
    expect(targets).toContainEqual(['ecs:service:DesiredCount', plan.serviceTasksMin, plan.serviceTasksMax]);
    expect(targets).toContainEqual(['ecs:service:DesiredCount', 0, plan.queueWorkersMax]);
    expect(targets).toContainEqual(['rds:cluster:ReadReplicaCount', plan.databaseReaders, Math.max(plan.databaseReaders, 4)]);
    t.resourceCountIs('AWS::RDS::DBInstance', 1 + plan.databaseReaders);
  });

  test('GIVEN explicit props WHEN the plan says otherwise THEN the explicit props win', () => {
    const stage = new ScaleoutStage(testApp(), 'Explicit', {
      ...BASE,
      rung: Rung.LOAD_BALANCED_POOL,
      traffic: { dailyActiveUsers: 3_000_000, requestsPerTask: 50 },
      services: [{ name: 'Web', image, scaling: { minTasks: 3, maxTasks: 7 } }],
      database: { readers: 2 },
      cache: { cacheNodeType: 'cache.m7g.large' },
    });
    const t = Template.fromStack(stage.regional('eu-west-1'));
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 3, MaxCapacity: 7 });
    t.resourceCountIs('AWS::RDS::DBInstance', 3);
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { CacheNodeType: 'cache.m7g.large' });
  });

  test('GIVEN two regions and traffic WHEN synthesized THEN the audience defaults to the regions: rung 4', () => {
    const stage = new ScaleoutStage(testApp(), 'Global', { ...BASE, regions: ['eu-west-1', 'us-west-2'], traffic: { dailyActiveUsers: 10_000 } });
    expect(stage.rung).toBe(Rung.FULL_DISTRIBUTION);
    expect(stage.plan?.regions).toEqual(['eu-west-1', 'us-west-2']);
    expect(stage.edge).toBeDefined();
  });

  test('GIVEN no traffic WHEN synthesized THEN no plan and the rung\'s defaults', () => {
    const stage = new ScaleoutStage(testApp(), 'Plain', BASE);
    expect(stage.plan).toBeUndefined();
    expect(stage.rung).toBe(Rung.LOAD_BALANCED_POOL);
  });
});
