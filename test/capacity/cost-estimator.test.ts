import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExamples } from '../../examples/examples';
import { CostEstimate, CostEstimator } from '../../src';
import { RUNG_COST_RANGES } from '../../src/capacity/capacity-planner';
import { runReview } from '../../src/review/run-review';
import { testApp } from '../util';

// The examples, synthesized once for the whole file.
const app = testApp();
buildExamples(app);
const assembly = app.synth().directory;
const estimate = new CostEstimator().estimateAssembly(assembly);

function stage(e: CostEstimate, name: string): { low: number; high: number } {
  const stacks = e.stacks.filter((s) => s.stackName.startsWith(`${name}-`));
  expect(stacks.length).toBeGreaterThan(0);
  return { low: stacks.reduce((s, x) => s + x.low, 0), high: stacks.reduce((s, x) => s + x.high, 0) };
}

function resource(stackName: string, logicalIdPrefix: string) {
  const stack = estimate.stacks.find((s) => s.stackName === stackName)!;
  return stack.resources.find((r) => r.logicalId.startsWith(logicalIdPrefix))!;
}

describe('CostEstimator: the example stages', () => {
  test.each([['Rung1', 1], ['Rung2', 2], ['Rung3', 3], ['Rung4', 4], ['UrlShortener', 4]])(
    'GIVEN the %s example WHEN estimated THEN its idle cost does not exceed rung %s\'s range and its range overlaps it', (name, rung) => {
      const range = RUNG_COST_RANGES.find((r) => r.rung === rung)!;
      const cost = stage(estimate, name as string);
      // The low end is the stage idling at its minimum capacity; the high end is every service,
      // reader and ACU at its maximum.
      expect(cost.low).toBeLessThanOrEqual(range.high);
      expect(cost.high).toBeGreaterThanOrEqual(range.low);
    });

  test('GIVEN the rung 1 and 2 examples WHEN estimated THEN their idle cost is inside their ranges ($50–200, $200–500)', () => {
    expect(stage(estimate, 'Rung1').low).toBeGreaterThanOrEqual(50);
    expect(stage(estimate, 'Rung1').low).toBeLessThanOrEqual(200);
    expect(stage(estimate, 'Rung2').low).toBeGreaterThanOrEqual(200);
    expect(stage(estimate, 'Rung2').low).toBeLessThanOrEqual(500);
  });

  test('GIVEN the ladder WHEN estimated THEN each rung idles dearer than the one below', () => {
    const lows = ['Rung1', 'Rung2', 'Rung3', 'Rung4'].map((n) => stage(estimate, n).low);
    expect([...lows].sort((a, b) => a - b)).toEqual(lows);
  });

  test('GIVEN a Fargate service WHEN estimated THEN vCPU and GB hours at the scalable target\'s min and max tasks', () => {
    const api = resource('Rung4-eu-west-1', 'ApiService');
    expect(api.detail).toBe('2–20 tasks × (1 vCPU, 2 GB)');
    expect(api.low).toBeCloseTo(2 * 730 * (0.04048 + 2 * 0.004445), 1);
    expect(api.high).toBeCloseTo(10 * api.low, 1);
    const worker = resource('Rung4-eu-west-1', 'ClicksWorkerService');
    expect(worker.low).toBe(0);
  });

  test('GIVEN a sharded cache WHEN estimated THEN node type × shards × (replicas + 1)', () => {
    const cache = resource('Rung4-us-west-2', 'Cache');
    expect(cache.detail).toBe('2 shard(s) × 2 cache.r7g.large Valkey nodes');
    expect(cache.low).toBeCloseTo(4 * 730 * 0.1752, 1);
  });

  test('GIVEN Aurora Serverless v2 with replica auto-scaling WHEN estimated THEN the ACU range per instance and the readers it may add', () => {
    const writer = resource('Rung4-eu-west-1', 'DatabaseClusterWriter');
    expect(writer.detail).toBe('Aurora Serverless v2 0.5–16 ACU');
    expect(writer.low).toBeCloseTo(0.5 * 730 * 0.13, 1);
    expect(writer.high).toBeCloseTo(16 * 730 * 0.13, 1);
    const scaling = resource('Rung4-eu-west-1', 'DatabaseCluster5B53A178ReaderScaling');
    expect(scaling.detail).toBe('0–5 auto-scaled readers × 16 ACU');
    expect(scaling.low).toBe(0);
  });

  test('GIVEN the edge stack WHEN estimated THEN CloudFront with Origin Shield, WAF and health checks are priced', () => {
    const edge = estimate.stacks.find((s) => s.stackName === 'Rung4-edge')!;
    const types = edge.resources.map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(['AWS::CloudFront::Distribution', 'AWS::WAFv2::WebACL', 'AWS::Route53::HealthCheck']));
    expect(resource('Rung4-edge', 'Cdn').detail).toMatch(/^10 M HTTPS requests, 10 GB, Origin Shield on 10 %$/);
    expect(resource('Rung4-edge', 'DnsHealthCheck').detail).toBe('health check + 2 optional feature(s)');
    expect(edge.approximate).toBe(false);
  });

  test('GIVEN a region with rows for only some prices WHEN estimated THEN the stack is marked approximate, a us-east-1 stack is not', () => {
    expect(estimate.stacks.find((s) => s.stackName === 'Rung1-eu-central-1')!.approximate).toBe(true);
    expect(estimate.stacks.find((s) => s.stackName === 'UrlShortener-us-east-1')!.approximate).toBe(false);
    expect(estimate.assumptions.join('\n')).toMatch(/10 M requests and 10 GB to viewers per month/);
  });

  test('GIVEN a traffic profile WHEN estimated THEN the usage comes from it and is stated', () => {
    const withTraffic = new CostEstimator({ traffic: { dailyActiveUsers: 1_000_000 } }).estimateAssembly(path.join(assembly, 'assembly-Rung4'));
    expect(withTraffic.assumptions[0]).toMatch(/^300 M requests and 300 GB to viewers per month \(from the traffic profile\)/);
    expect(withTraffic.low).toBeGreaterThan(stage(estimate, 'Rung4').low);
  });

  test('GIVEN the cost command WHEN run on the assembly THEN prints per stack and per resource; json parses', () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) };
    expect(runReview(['cost', path.join(assembly, 'assembly-Rung1')], io).exitCode).toBe(0);
    expect(out.join('')).toMatch(/Rung1-eu-central-1\s+eu-central-1 \(approximate\)/);
    expect(out.join('')).toMatch(/DatabaseClusterWriter\w+\s+AWS::RDS::DBInstance\s+Aurora Serverless v2 0\.5–4 ACU/);
    out.length = 0;
    expect(runReview(['cost', assembly, '--format', 'json', '--dau', '1000000'], io).exitCode).toBe(0);
    const json = JSON.parse(out.join(''));
    expect(json.stacks.length).toBe(estimate.stacks.length);
    out.length = 0;
    expect(runReview(['cost', assembly, '--format', 'markdown'], io).exitCode).toBe(0);
    expect(out.join('')).toContain('| Rung4-edge | us-east-1 |');
  });
});

describe('CostEstimator: resources the examples do not have', () => {
  test('GIVEN an NLB, a Redis cluster, a provisioned instance, an ARM task, an interface endpoint and a hosted zone WHEN estimated THEN each is priced', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-'));
    fs.writeFileSync(path.join(dir, 'Other.template.json'), JSON.stringify({
      Resources: {
        Nlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network' } },
        Redis: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { CacheNodeType: 'cache.t4g.medium', NumCacheClusters: 2, Engine: 'redis' } },
        Db: { Type: 'AWS::RDS::DBCluster', Properties: {} },
        DbWriter: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Db' }, DBInstanceClass: 'db.r7g.large' } },
        DbOdd: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Db' }, DBInstanceClass: 'db.x2g.16xlarge' } },
        Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { Cpu: '256', Memory: '512', RuntimePlatform: { CpuArchitecture: 'ARM64' } } },
        Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, DesiredCount: 3 } },
        Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Interface', SubnetIds: ['a', 'b', 'c'] } },
        Zone: { Type: 'AWS::Route53::HostedZone', Properties: {} },
        OnEc2: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, LaunchType: 'EC2' } },
        Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
      },
    }));
    const e = new CostEstimator({ assumptions: { lcuPerLoadBalancer: 2 } }).estimateAssembly(dir);
    const s = e.stacks[0];
    const by = (id: string) => s.resources.find((r) => r.logicalId === id)!;
    expect(by('Nlb').low).toBeCloseTo(730 * (0.0225 + 2 * 0.006), 2);
    expect(by('Redis').low).toBeCloseTo(2 * 730 * 0.052 * 1.25, 2);
    expect(by('DbWriter').low).toBeCloseTo(730 * 0.276, 2);
    expect(by('Svc').detail).toBe('3–3 tasks × (0.25 vCPU, 0.5 GB, ARM)');
    expect(by('Svc').low).toBeCloseTo(3 * 730 * (0.25 * 0.03238 + 0.5 * 0.00356), 2);
    expect(by('Endpoint').low).toBeCloseTo(3 * 730 * 0.01, 2);
    expect(by('Zone').low).toBe(0.5);
    expect(s.region).toBeUndefined();
    expect(s.notPriced).toEqual(['AWS::ECS::Service (EC2) ×1', 'AWS::RDS::DBInstance (db.x2g.16xlarge) ×1', 'AWS::S3::Bucket ×1']);
  });
});
