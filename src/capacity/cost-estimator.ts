import { CapacityPlanner } from './capacity-planner';
import { HOURS_PER_MONTH, price, PRICE_ROWS, PriceRow, REDIS_NODE_FACTOR } from './price-table';
import { TrafficProfile } from './traffic-profile';
import { readSide, StackTemplate, TemplateResource } from '../review/assembly-reader';

/** Usage the estimate assumes: what a template cannot say. */
export interface CostAssumptions {
  /**
   * Requests per month, across the assembly (split evenly over the regional stacks).
   *
   * @default - from the traffic profile, else 10 million
   */
  readonly requestsPerMonth?: number;
  /**
   * GB sent to viewers per month, across the assembly.
   *
   * @default - from the traffic profile, else 10 GB
   */
  readonly dataOutGbPerMonth?: number;
  /**
   * The fraction of CloudFront requests that miss and go to the origin (through Origin Shield when on).
   *
   * @default - 1 − the profile's cacheHitRate, else 0.1
   */
  readonly originFraction?: number;
  /**
   * GB through each NAT gateway per month (image pulls, AWS APIs, outbound calls).
   *
   * @default 10
   */
  readonly natGbPerMonth?: number;
  /**
   * Load balancer capacity units (LCU / NLCU) per load balancer, on average.
   *
   * @default - max(1, requests/s per load balancer ÷ 250)
   */
  readonly lcuPerLoadBalancer?: number;
  /**
   * Aurora storage per cluster, GB.
   *
   * @default 20
   */
  readonly auroraStorageGb?: number;
  /**
   * Aurora I/O requests per cluster per month, millions.
   *
   * @default 10
   */
  readonly auroraIoMillions?: number;
  /**
   * Messages per queue (and publishes per topic) per month; a message costs 3 SQS requests.
   *
   * @default 1 million
   */
  readonly messagesPerMonth?: number;
  /**
   * GB ingested per log group per month.
   *
   * @default 1
   */
  readonly logGbPerGroup?: number;
  /**
   * Invocations per Lambda function per month (128 MB, 1 s each unless the template says).
   *
   * @default 100000
   */
  readonly lambdaInvocationsPerMonth?: number;
  /**
   * DNS queries per month answered by the latency/geolocation records.
   *
   * @default - requestsPerMonth ÷ 10 (resolvers cache)
   */
  readonly dnsQueriesPerMonth?: number;
}

/** Options of the estimator. */
export interface CostEstimatorOptions {
  /**
   * Traffic the usage assumptions come from.
   *
   * @default - the assumptions' defaults
   */
  readonly traffic?: TrafficProfile;
  /**
   * Usage assumptions; set fields win over the traffic profile.
   *
   * @default - from the traffic profile or the documented defaults
   */
  readonly assumptions?: CostAssumptions;
}

/** One priced resource. */
export interface ResourceCost {
  /** Logical ID. */
  readonly logicalId: string;
  /** CloudFormation type. */
  readonly type: string;
  /** What was priced, e.g. `2–20 tasks × (1 vCPU, 2 GB)`. */
  readonly detail: string;
  /** USD per month at the minimum capacity. */
  readonly low: number;
  /** USD per month at the maximum capacity. */
  readonly high: number;
  /** A price came from another region's row. */
  readonly approximate: boolean;
}

/** The estimate of one stack. */
export interface StackCost {
  /** Stack name. */
  readonly stackName: string;
  /**
   * Region, when the assembly says.
   *
   * @default - the assembly names no region for the stack
   */
  readonly region?: string;
  /** USD per month, low. */
  readonly low: number;
  /** USD per month, high. */
  readonly high: number;
  /** Some price came from another region's row (the region has no rows of its own for it). */
  readonly approximate: boolean;
  /** The priced resources, most expensive first. */
  readonly resources: ResourceCost[];
  /** Resource types present but not priced (count each), e.g. `AWS::S3::Bucket ×2`. */
  readonly notPriced: string[];
}

/** The estimate of an assembly. */
export interface CostEstimate {
  /** USD per month, low (minimum capacity everywhere). */
  readonly low: number;
  /** USD per month, high (maximum capacity everywhere). */
  readonly high: number;
  /** Per stack. */
  readonly stacks: StackCost[];
  /** The usage assumed, stated. */
  readonly assumptions: string[];
}

/** Free, or priced by what they attach to. */
const FREE_TYPES = new Set([
  'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::RouteTable', 'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::Route', 'AWS::EC2::InternetGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress', 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy', 'AWS::S3::BucketPolicy', 'AWS::ECS::Cluster', 'AWS::ECS::TaskDefinition',
  'AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerRule', 'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::ApplicationAutoScaling::ScalableTarget', 'AWS::ApplicationAutoScaling::ScalingPolicy', 'AWS::RDS::DBClusterParameterGroup', 'AWS::RDS::DBSubnetGroup',
  'AWS::ElastiCache::SubnetGroup', 'AWS::ElastiCache::ParameterGroup', 'AWS::SecretsManager::RotationSchedule', 'AWS::SecretsManager::ResourcePolicy',
  'AWS::SecretsManager::SecretTargetAttachment', 'AWS::Lambda::Permission', 'AWS::Lambda::EventSourceMapping', 'AWS::CertificateManager::Certificate',
  'AWS::CloudFront::CachePolicy', 'AWS::CloudFront::ResponseHeadersPolicy', 'AWS::CloudFront::OriginAccessControl', 'AWS::SNS::Subscription',
  'AWS::Route53::RecordSet', 'AWS::RDS::GlobalCluster', 'AWS::RDS::DBCluster', 'AWS::EC2::EIP', 'AWS::Lambda::Version', 'AWS::Lambda::Alias',
  'AWS::CDK::Metadata', 'AWS::CloudFront::Function', 'AWS::RDS::DBParameterGroup',
]);
const DEFAULT_REQUESTS = 10_000_000;
const DEFAULT_GB_OUT = 10;

/**
 * Estimates the monthly cost of a synthesized cloud assembly (nested stage assemblies included),
 * per stack and per resource, from the price table and stated usage assumptions.
 */
export class CostEstimator {
  /** The price table: every row with its region, date and AWS pricing page. */
  public static priceTable(): PriceRow[] {
    return PRICE_ROWS.map((r) => ({ ...r }));
  }

  private readonly a: Required<CostAssumptions>;
  private readonly stated: string[];

  constructor(options: CostEstimatorOptions = {}) {
    const plan = options.traffic ? CapacityPlanner.plan(options.traffic) : undefined;
    const given = options.assumptions ?? {};
    const requests = given.requestsPerMonth ?? plan?.requestsPerMonth ?? DEFAULT_REQUESTS;
    this.a = {
      requestsPerMonth: requests,
      dataOutGbPerMonth: given.dataOutGbPerMonth ?? (plan ? plan.bandwidthGbPerDay * 30 : DEFAULT_GB_OUT),
      originFraction: given.originFraction ?? (plan ? 1 - (plan.profile.cacheHitRate ?? 0.9) : 0.1),
      natGbPerMonth: given.natGbPerMonth ?? 10,
      lcuPerLoadBalancer: given.lcuPerLoadBalancer ?? -1,
      auroraStorageGb: given.auroraStorageGb ?? (plan ? Math.max(1, plan.storageGrowthGbPerYear) : 20),
      auroraIoMillions: given.auroraIoMillions ?? 10,
      messagesPerMonth: given.messagesPerMonth ?? 1_000_000,
      logGbPerGroup: given.logGbPerGroup ?? 1,
      lambdaInvocationsPerMonth: given.lambdaInvocationsPerMonth ?? 100_000,
      dnsQueriesPerMonth: given.dnsQueriesPerMonth ?? requests / 10,
    };
    const a = this.a;
    this.stated = [
      `${num(a.requestsPerMonth / 1e6)} M requests and ${num(a.dataOutGbPerMonth)} GB to viewers per month${plan ? ' (from the traffic profile)' : ''}, split evenly over the regional stacks; CloudFront sends ${num(a.originFraction * 100)} % to the origin`,
      `${num(a.natGbPerMonth)} GB per NAT gateway; ${a.lcuPerLoadBalancer > 0 ? num(a.lcuPerLoadBalancer) : 'max(1, req/s ÷ 250)'} LCU per load balancer`,
      `Aurora ${num(a.auroraStorageGb)} GB and ${num(a.auroraIoMillions)} M I/O per cluster; ${num(a.messagesPerMonth / 1e6)} M messages per queue and topic; ${num(a.logGbPerGroup)} GB per log group`,
      `${num(a.lambdaInvocationsPerMonth)} invocations per Lambda function; ${num(a.dnsQueriesPerMonth / 1e6)} M latency/geolocation DNS queries`,
      'low = minimum tasks, ACU and readers; high = maximum; on-demand list prices, 730 hours a month, no free tier, no internet data transfer except CloudFront',
    ];
  }

  /** The estimate of a cloud assembly directory (`cdk.out`) or a folder of `*.template.json` files. */
  public estimateAssembly(directory: string): CostEstimate {
    const side = readSide(directory);
    const stacks = [...side.stacks.values()];
    const regional = stacks.filter((s) => hasType(s, 'AWS::ElasticLoadBalancingV2::LoadBalancer')).length || 1;
    const costs = stacks.map((s) => this.estimateStack(s, regional));
    return { low: r2(sum(costs.map((c) => c.low))), high: r2(sum(costs.map((c) => c.high))), stacks: costs, assumptions: [...this.stated] };
  }

  private estimateStack(stack: StackTemplate, regionalStacks: number): StackCost {
    const res = stack.template.Resources ?? {};
    const region = stack.region;
    const a = this.a;
    const H = HOURS_PER_MONTH;
    const out: ResourceCost[] = [];
    const notPriced = new Map<string, number>();
    const requests = a.requestsPerMonth / regionalStacks;
    let approx = false;
    const p = (key: string) => { const l = price(key, region); approx = approx || l.approximate; return l.usd; };
    const line = (logicalId: string, type: string, detail: string, low: () => number, high?: () => number) => {
      approx = false;
      const lo = low();
      const hi = high ? high() : lo;
      out.push({ logicalId, type, detail, low: r2(lo), high: r2(hi), approximate: approx });
    };
    const scalable = Object.values(res).filter((r) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget');

    for (const [id, r] of Object.entries(res)) {
      const props = (r.Properties ?? {}) as Record<string, any>;
      switch (r.Type) {
        case 'AWS::ECS::Service': {
          if (props.LaunchType === 'EC2' || props.LaunchType === 'EXTERNAL' || props.CapacityProviderStrategy) {
            inc(notPriced, `${r.Type} (${props.LaunchType ?? 'capacity providers'})`);
            break;
          }
          const td = res[refOf(props.TaskDefinition) ?? ''];
          const tp = (td?.Properties ?? {}) as Record<string, any>;
          const vcpu = Number(tp.Cpu ?? 256) / 1024;
          const gb = Number(tp.Memory ?? 512) / 1024;
          const arm = tp.RuntimePlatform?.CpuArchitecture === 'ARM64';
          const target = scalable.find((t) => JSON.stringify(t.Properties?.ResourceId ?? '').includes(`"${id}"`));
          const min = Number(target?.Properties?.MinCapacity ?? props.DesiredCount ?? 1);
          const max = Number(target?.Properties?.MaxCapacity ?? props.DesiredCount ?? 1);
          const perTask = () => H * (vcpu * p(arm ? 'fargate.arm.vcpu.hour' : 'fargate.vcpu.hour') + gb * p(arm ? 'fargate.arm.gb.hour' : 'fargate.gb.hour'));
          line(id, r.Type, `${min}–${max} tasks × (${num(vcpu)} vCPU, ${num(gb)} GB${arm ? ', ARM' : ''})`, () => min * perTask(), () => max * perTask());
          break;
        }
        case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
          const nlb = props.Type === 'network';
          const lcu = a.lcuPerLoadBalancer > 0 ? a.lcuPerLoadBalancer : Math.max(1, requests / (30 * 86400) / 250);
          line(id, r.Type, `${nlb ? 'NLB' : 'ALB'} + ${num(lcu)} ${nlb ? 'NLCU' : 'LCU'}`, () => H * (p(nlb ? 'nlb.hour' : 'alb.hour') + lcu * p(nlb ? 'nlb.lcu.hour' : 'alb.lcu.hour')));
          break;
        }
        case 'AWS::EC2::NatGateway':
          line(id, r.Type, `NAT gateway + its public IPv4 + ${num(a.natGbPerMonth)} GB`, () => H * (p('nat.hour') + p('ipv4.hour')) + a.natGbPerMonth * p('nat.gb'));
          break;
        case 'AWS::EC2::VPCEndpoint':
          if (props.VpcEndpointType === 'Interface') {
            const azs = Array.isArray(props.SubnetIds) ? props.SubnetIds.length : 2;
            line(id, r.Type, `interface endpoint × ${azs} AZ`, () => azs * H * p('vpce.interface.hour'));
          }
          break;
        case 'AWS::RDS::DBInstance': {
          const cluster = res[refOf(props.DBClusterIdentifier) ?? ''];
          const cls = String(props.DBInstanceClass ?? '');
          if (cls === 'db.serverless') {
            const sc = (cluster?.Properties as any)?.ServerlessV2ScalingConfiguration ?? {};
            const min = Number(sc.MinCapacity ?? 0.5);
            const max = Number(sc.MaxCapacity ?? 16);
            line(id, r.Type, `Aurora Serverless v2 ${num(min)}–${num(max)} ACU`, () => min * H * p('aurora.acu.hour'), () => max * H * p('aurora.acu.hour'));
          } else {
            const l = price(`rds.${cls}.hour`, region);
            if (!l.row) { inc(notPriced, `${r.Type} (${cls})`); break; }
            line(id, r.Type, `${cls} instance`, () => H * p(`rds.${cls}.hour`));
          }
          break;
        }
        case 'AWS::ApplicationAutoScaling::ScalableTarget':
          break;
        case 'AWS::ElastiCache::ReplicationGroup': {
          const type = String(props.CacheNodeType ?? '');
          const nodes = props.NumNodeGroups !== undefined
            ? Number(props.NumNodeGroups) * (Number(props.ReplicasPerNodeGroup ?? 0) + 1)
            : Number(props.NumCacheClusters ?? 1);
          const redis = String(props.Engine ?? 'redis').toLowerCase() !== 'valkey';
          if (!price(`elasticache.${type}.hour`, region).row) { inc(notPriced, `${r.Type} (${type})`); break; }
          const shards = props.NumNodeGroups !== undefined ? `${props.NumNodeGroups} shard(s) × ${Number(props.ReplicasPerNodeGroup ?? 0) + 1}` : `${nodes}`;
          line(id, r.Type, `${shards} ${type} ${redis ? 'Redis OSS' : 'Valkey'} nodes`, () => nodes * H * p(`elasticache.${type}.hour`) * (redis ? REDIS_NODE_FACTOR : 1));
          break;
        }
        case 'AWS::ElastiCache::CacheCluster': {
          const type = String(props.CacheNodeType ?? '');
          const nodes = Number(props.NumCacheNodes ?? 1);
          if (!price(`elasticache.${type}.hour`, region).row) { inc(notPriced, `${r.Type} (${type})`); break; }
          line(id, r.Type, `${nodes} ${type} nodes`, () => nodes * H * p(`elasticache.${type}.hour`) * (props.Engine === 'valkey' ? 1 : REDIS_NODE_FACTOR));
          break;
        }
        case 'AWS::CloudFront::Distribution': {
          const origins: any[] = props.DistributionConfig?.Origins ?? [];
          const shielded = origins.some((o) => o.OriginShield?.Enabled === true);
          const req = a.requestsPerMonth;
          line(id, r.Type, `${num(req / 1e6)} M HTTPS requests, ${num(a.dataOutGbPerMonth)} GB${shielded ? `, Origin Shield on ${num(a.originFraction * 100)} %` : ''}`,
            () => req / 1e4 * p('cloudfront.https.10k') + a.dataOutGbPerMonth * p('cloudfront.gb') + (shielded ? req * a.originFraction / 1e4 * p('cloudfront.originshield.10k') : 0));
          break;
        }
        case 'AWS::Route53::HostedZone':
          line(id, r.Type, 'hosted zone', () => p('route53.zone.month'));
          break;
        case 'AWS::Route53::HealthCheck': {
          const c = props.HealthCheckConfig ?? {};
          const features = (String(c.Type ?? '').startsWith('HTTPS') ? 1 : 0) + (c.MeasureLatency ? 1 : 0) + (Number(c.RequestInterval ?? 30) === 10 ? 1 : 0) + (c.SearchString ? 1 : 0);
          line(id, r.Type, `health check + ${features} optional feature(s)`, () => p('route53.healthcheck.month') + features * p('route53.healthcheck.feature.month'));
          break;
        }
        case 'AWS::WAFv2::WebACL': {
          const rules = Array.isArray(props.Rules) ? props.Rules.length : 0;
          const req = props.Scope === 'CLOUDFRONT' ? a.requestsPerMonth : requests;
          line(id, r.Type, `web ACL, ${rules} rule(s), ${num(req / 1e6)} M requests`, () => p('waf.acl.month') + rules * p('waf.rule.month') + req / 1e6 * p('waf.request.million'));
          break;
        }
        case 'AWS::SQS::Queue':
          line(id, r.Type, `${num(a.messagesPerMonth / 1e6)} M messages × 3 requests`, () => a.messagesPerMonth * 3 / 1e6 * p('sqs.request.million'));
          break;
        case 'AWS::SNS::Topic':
          line(id, r.Type, `${num(a.messagesPerMonth / 1e6)} M publishes`, () => a.messagesPerMonth / 1e6 * p('sns.publish.million'));
          break;
        case 'AWS::CloudWatch::Alarm': {
          const metrics = Array.isArray(props.Metrics) ? props.Metrics.filter((m: any) => m.MetricStat).length || 1 : 1;
          line(id, r.Type, `alarm × ${metrics} metric(s)`, () => metrics * p('cloudwatch.alarm.month'));
          break;
        }
        case 'AWS::CloudWatch::Dashboard':
          line(id, r.Type, 'dashboard', () => p('cloudwatch.dashboard.month'));
          break;
        case 'AWS::Logs::LogGroup':
          line(id, r.Type, `${num(a.logGbPerGroup)} GB ingested`, () => a.logGbPerGroup * p('logs.ingest.gb'));
          break;
        case 'AWS::KMS::Key':
          line(id, r.Type, 'customer managed key', () => p('kms.key.month'));
          break;
        case 'AWS::SecretsManager::Secret':
          line(id, r.Type, 'secret', () => p('secretsmanager.secret.month'));
          break;
        case 'AWS::Lambda::Function': {
          const gb = Number(props.MemorySize ?? 128) / 1024;
          const n = a.lambdaInvocationsPerMonth;
          line(id, r.Type, `${num(n)} invocations × ${num(gb * 1024)} MB × 1 s`, () => n / 1e6 * p('lambda.request.million') + n * gb * p('lambda.gbsecond'));
          break;
        }
        default:
          if (!FREE_TYPES.has(r.Type)) inc(notPriced, r.Type);
      }
    }
    // DNS queries of latency/geolocation records, once per stack that has them.
    const routed = Object.values(res).filter((r) => r.Type === 'AWS::Route53::RecordSet' && !(r.Properties as any)?.AliasTarget && ((r.Properties as any)?.Region || (r.Properties as any)?.GeoLocation));
    if (routed.length) {
      const geo = routed.some((r) => (r.Properties as any)?.GeoLocation);
      line('DnsQueries', 'AWS::Route53::RecordSet', `${num(a.dnsQueriesPerMonth / 1e6)} M ${geo ? 'geolocation' : 'latency'} queries (${routed.length} records)`, () => a.dnsQueriesPerMonth / 1e6 * p(geo ? 'route53.query.geo.million' : 'route53.query.latency.million'));
    }
    // Readers that replica auto-scaling may add beyond the template's (rds:cluster:ReadReplicaCount), at the high end.
    for (const t of scalable) {
      const tp = (t.Properties ?? {}) as Record<string, any>;
      if (tp.ScalableDimension !== 'rds:cluster:ReadReplicaCount') continue;
      const clusterId = Object.keys(res).find((k) => res[k].Type === 'AWS::RDS::DBCluster' && JSON.stringify(tp.ResourceId ?? '').includes(`"${k}"`));
      if (!clusterId) continue;
      const instances = Object.values(res).filter((r) => r.Type === 'AWS::RDS::DBInstance' && refOf((r.Properties as any)?.DBClusterIdentifier) === clusterId);
      const extra = Math.max(0, Number(tp.MaxCapacity ?? 0) - (instances.length - 1));
      const sc = (res[clusterId].Properties as any)?.ServerlessV2ScalingConfiguration ?? {};
      if (!extra || !instances.every((r) => (r.Properties as any)?.DBInstanceClass === 'db.serverless')) continue;
      const max = Number(sc.MaxCapacity ?? 16);
      line(`${clusterId}ReaderScaling`, 'AWS::ApplicationAutoScaling::ScalableTarget', `0–${extra} auto-scaled readers × ${num(max)} ACU`, () => 0, () => extra * max * H * p('aurora.acu.hour'));
    }
    // Aurora storage and I/O, per cluster.
    for (const [id, r] of Object.entries(res)) {
      if (r.Type !== 'AWS::RDS::DBCluster') continue;
      line(id, r.Type, `${num(a.auroraStorageGb)} GB storage + ${num(a.auroraIoMillions)} M I/O`, () => a.auroraStorageGb * p('aurora.storage.gbmonth') + a.auroraIoMillions * p('aurora.io.million'));
    }
    out.sort((x, y) => y.high - x.high || x.logicalId.localeCompare(y.logicalId));
    return {
      stackName: stack.name,
      region,
      low: r2(sum(out.map((o) => o.low))),
      high: r2(sum(out.map((o) => o.high))),
      approximate: out.some((o) => o.approximate),
      resources: out,
      notPriced: [...notPriced.entries()].sort().map(([t, n]) => `${t} ×${n}`),
    };
  }
}

function hasType(s: StackTemplate, type: string): boolean {
  return Object.values(s.template.Resources ?? {}).some((r: TemplateResource) => r.Type === type);
}
function refOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  const o = v as Record<string, unknown> | undefined;
  if (o && typeof o.Ref === 'string') return o.Ref;
  return undefined;
}
function inc(m: Map<string, number>, k: string): void { m.set(k, (m.get(k) ?? 0) + 1); }
function sum(xs: number[]): number { return xs.reduce((s, x) => s + x, 0); }
function r2(x: number): number { return Math.round(x * 100) / 100; }
function num(x: number): string { return (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 100) / 100).toLocaleString('en-US'); }
