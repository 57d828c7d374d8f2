import { HOURS_PER_MONTH, price } from './price-table';
import { TrafficProfile } from './traffic-profile';
import { Rung } from '../blueprint/rung';

/** The seeds' monthly cost range of each rung, USD. */
export interface RungCostRange {
  /** The rung. */
  readonly rung: Rung;
  /** Low end, USD per month. */
  readonly low: number;
  /** High end, USD per month. */
  readonly high: number;
}

/** One line of the plan's cost: a tier at its low and high monthly cost. */
export interface PlanCostLine {
  /** The tier, e.g. `Fargate service tasks`. */
  readonly item: string;
  /** USD per month at the low end (minimum capacity). */
  readonly low: number;
  /** USD per month at the high end (maximum capacity). */
  readonly high: number;
}

/** What a traffic profile needs: rates, the rung and why, sizes and a monthly cost range. */
export interface CapacityPlan {
  /** The profile with every default filled in. */
  readonly profile: TrafficProfile;
  /** Requests per day. */
  readonly requestsPerDay: number;
  /** Requests per month (30 days). */
  readonly requestsPerMonth: number;
  /** Average requests per second. */
  readonly averageRequestsPerSecond: number;
  /** Peak requests per second (average × peakToAverage). */
  readonly peakRequestsPerSecond: number;
  /** Average reads per second. */
  readonly readsPerSecond: number;
  /** Average writes per second. */
  readonly writesPerSecond: number;
  /** Peak reads per second. */
  readonly peakReadsPerSecond: number;
  /** Peak writes per second. */
  readonly peakWritesPerSecond: number;
  /** Data sent per day, GB (10^9 bytes). */
  readonly bandwidthGbPerDay: number;
  /** Peak bandwidth, megabits per second. */
  readonly peakBandwidthMbps: number;
  /** Storage added per year, GB. */
  readonly storageGrowthGbPerYear: number;
  /** Storage after `retentionYears`, GB. */
  readonly storageGb: number;
  /** Peak database reads per second after the cache (all reads when the rung has no cache). */
  readonly databaseReadsPerSecond: number;
  /** The rung. */
  readonly rung: Rung;
  /** Why: each rule of the choice in one line. */
  readonly reasons: string[];
  /** Regions the stage deploys to. */
  readonly regions: string[];
  /** Fewest tasks per service in each region. */
  readonly serviceTasksMin: number;
  /** Most tasks per service in each region. */
  readonly serviceTasksMax: number;
  /** Aurora Serverless v2 minimum ACU per instance. */
  readonly acuMin: number;
  /** Aurora Serverless v2 maximum ACU per instance. */
  readonly acuMax: number;
  /** Aurora readers per region (besides the writer). */
  readonly databaseReaders: number;
  /** Cache shards (node groups) per region; 0 without a cache. */
  readonly cacheShards: number;
  /** Replicas per cache shard. */
  readonly cacheReplicasPerShard: number;
  /** Cache node type; empty without a cache. */
  readonly cacheNodeType: string;
  /** Fewest queue workers per region. */
  readonly queueWorkersMin: number;
  /** Most queue workers per region. */
  readonly queueWorkersMax: number;
  /** Monthly cost, low end (minimum capacity), USD. */
  readonly monthlyCostLow: number;
  /** Monthly cost, high end (maximum capacity), USD. */
  readonly monthlyCostHigh: number;
  /** The cost lines behind the range. */
  readonly costLines: PlanCostLine[];
  /** The seeds' range for the rung. */
  readonly rungCostRange: RungCostRange;
  /** Warnings: limits passed, a cost above the rung's range and a cheaper profile. */
  readonly warnings: string[];
  /** The assumptions of the cost, stated. */
  readonly assumptions: string[];
}

/** The seeds' monthly cost ranges per rung. */
export const RUNG_COST_RANGES: RungCostRange[] = [
  { rung: Rung.SINGLE_SERVER, low: 50, high: 200 },
  { rung: Rung.SEPARATE_DATA_TIER, low: 200, high: 500 },
  { rung: Rung.LOAD_BALANCED_POOL, low: 500, high: 2000 },
  { rung: Rung.FULL_DISTRIBUTION, low: 2000, high: 20000 },
];

/** Defaults of the profile (named constants next to the planner that uses them). */
export const TRAFFIC_DEFAULTS = {
  dailyActiveUsers: 100_000,
  requestsPerUserPerDay: 10,
  bytesPerRequest: 1000,
  peakToAverage: 3,
  readWriteRatio: 10,
  cacheHitRate: 0.9,
  recordSizeBytes: 500,
  retentionYears: 5,
  audienceRegions: ['us-east-1'],
  requestsPerTask: 200,
  writesPerWriter: 1000,
  readsPerInstance: 2000,
  opsPerCacheNode: 50_000,
  jobsPerWrite: 1,
  messagesPerWorker: 50,
};

/** Database queries per second one Aurora Capacity Unit (≈ 2 GiB) takes for simple key lookups. */
export const QUERIES_PER_ACU = 250;
/** Task range of each rung (min, max), as the stage defaults them. */
const RUNG_TASKS: Record<number, [number, number]> = { 1: [1, 1], 2: [1, 2], 3: [2, 10], 4: [2, 20] };
const SECONDS_PER_DAY = 86_400;
const DAYS_PER_MONTH = 30;

/** Turns a traffic profile into a capacity plan. */
export class CapacityPlanner {
  /** The plan of `profile` (defaults as documented on `TrafficProfile`). */
  public static plan(profile: TrafficProfile = {}): CapacityPlan {
    const p = fill(profile);
    validate(p);
    const requestsPerDay = p.requestsPerMonth !== undefined ? p.requestsPerMonth / DAYS_PER_MONTH : p.dailyActiveUsers * p.requestsPerUserPerDay;
    const requestsPerMonth = requestsPerDay * DAYS_PER_MONTH;
    const avg = requestsPerDay / SECONDS_PER_DAY;
    const peak = avg * p.peakToAverage;
    const writeShare = 1 / (p.readWriteRatio + 1);
    const writes = avg * writeShare;
    const reads = avg - writes;
    const peakWrites = peak * writeShare;
    const peakReads = peak - peakWrites;
    const bandwidthGbPerDay = (requestsPerDay * p.bytesPerRequest) / 1e9;
    const peakBandwidthMbps = (peak * p.bytesPerRequest * 8) / 1e6;
    const storageGrowthGbPerYear = (writes * SECONDS_PER_DAY * 365 * p.recordSizeBytes) / 1e9;
    const regionsCount = p.audienceRegions.length;

    // The rung: each rule in one line.
    const reasons: string[] = [];
    const oneTask = p.requestsPerTask;
    let rung: Rung;
    if (regionsCount > 1) {
      rung = Rung.FULL_DISTRIBUTION;
      reasons.push(`audience in ${regionsCount} regions (${p.audienceRegions.join(', ')}) > 1: rung 4, a region per audience behind CloudFront and GeoDNS`);
    } else if (peak > RUNG_TASKS[3][1] * oneTask) {
      rung = Rung.FULL_DISTRIBUTION;
      reasons.push(`peak ${fmt(peak)} req/s > a rung-3 pool of ${RUNG_TASKS[3][1]} tasks (${fmt(RUNG_TASKS[3][1] * oneTask)} req/s): rung 4, CloudFront takes the cacheable share`);
    } else if (peak > RUNG_TASKS[2][1] * oneTask) {
      rung = Rung.LOAD_BALANCED_POOL;
      reasons.push(`peak ${fmt(peak)} req/s > two tasks (${fmt(2 * oneTask)} req/s): rung 3, an auto-scaled pool across AZs`);
    } else if (peak > oneTask || peakReads > p.readsPerInstance / 2) {
      rung = Rung.SEPARATE_DATA_TIER;
      reasons.push(peak > oneTask
        ? `peak ${fmt(peak)} req/s > one task (${fmt(oneTask)} req/s): rung 2, two tasks and a cache in front of the database`
        : `peak reads ${fmt(peakReads)}/s > half of one database instance (${fmt(p.readsPerInstance / 2)}/s): rung 2, a cache takes the reads`);
    } else {
      rung = Rung.SINGLE_SERVER;
      reasons.push(`peak ${fmt(peak)} req/s ≤ one task (${fmt(oneTask)} req/s): rung 1, one server is enough`);
    }
    if (rung < Rung.FULL_DISTRIBUTION) reasons.push(`audience in one region (${p.audienceRegions[0]}): no CDN or second region needed for latency`);
    const hasCache = rung >= Rung.SEPARATE_DATA_TIER;
    const dbReads = hasCache ? peakReads * (1 - p.cacheHitRate) : peakReads;
    if (hasCache) reasons.push(`cache hit rate ${fmt(p.cacheHitRate * 100)} %: database reads ${fmt(peakReads)}/s → ${fmt(dbReads)}/s at peak (${fmt(1 / Math.max(1 - p.cacheHitRate, 1e-9))}× fewer)`);
    const warnings: string[] = [];
    if (peakWrites <= p.writesPerWriter) {
      reasons.push(`peak writes ${fmt(peakWrites)}/s < one Aurora writer (${fmt(p.writesPerWriter)}/s): one PostgreSQL writer is enough`);
    } else {
      reasons.push(`peak writes ${fmt(peakWrites)}/s > one Aurora writer (${fmt(p.writesPerWriter)}/s): beyond the ladder, shard the writes or batch them through the queue`);
      warnings.push(`peak writes ${fmt(peakWrites)}/s exceed one writer (${fmt(p.writesPerWriter)}/s): the ladder has one writer per Global Database; shard or batch writes`);
    }

    // Sizes per region: the primary region carries the traffic at failover, so size each for the whole peak ÷ regions × 2 when there are several.
    const share = regionsCount > 1 ? Math.min(1, 2 / regionsCount) : 1;
    const regionPeak = peak * share;
    const regionAvg = avg * share;
    const [rMin, rMax] = RUNG_TASKS[rung];
    const serviceTasksMin = Math.max(rMin, Math.ceil(regionAvg / oneTask));
    const serviceTasksMax = Math.max(rMax, Math.ceil(regionPeak / oneTask));
    if (rung === Rung.SINGLE_SERVER) reasons.push(`tasks: ${serviceTasksMin}–${serviceTasksMax} per service (${fmt(oneTask)} req/s per task)`);
    else reasons.push(`tasks: ${serviceTasksMin}–${serviceTasksMax} per service per region (peak ${fmt(regionPeak)} req/s ÷ ${fmt(oneTask)} req/s per task)`);
    const regionDbReads = dbReads * share;
    const regionDbQueries = regionDbReads + peakWrites;
    const acuMin = 0.5;
    const acuMax = Math.min(256, Math.max(rung === Rung.SINGLE_SERVER ? 4 : 16, halfUp(regionDbQueries / QUERIES_PER_ACU)));
    const databaseReaders = rung >= Rung.LOAD_BALANCED_POOL ? Math.max(1, Math.ceil(regionDbReads / p.readsPerInstance) - 1) : 0;
    reasons.push(`database: ${fmt(acuMin)}–${fmt(acuMax)} ACU per instance (${QUERIES_PER_ACU} queries/s per ACU), ${databaseReaders} reader(s)${databaseReaders ? ' for Multi-AZ and reads' : ''}`);
    const cacheOps = peakReads * share + peakWrites;
    const cacheShards = hasCache ? Math.max(rung === Rung.FULL_DISTRIBUTION ? 2 : 1, Math.ceil(cacheOps / p.opsPerCacheNode)) : 0;
    const cacheNodeType = !hasCache ? '' : rung === Rung.FULL_DISTRIBUTION ? 'cache.r7g.large' : 'cache.t4g.medium';
    const cacheReplicasPerShard = hasCache ? 1 : 0;
    if (hasCache) reasons.push(`cache: ${cacheShards} shard(s) × ${cacheReplicasPerShard + 1} ${cacheNodeType} nodes (${fmt(cacheOps)} ops/s at peak, ${fmt(p.opsPerCacheNode)} per node)`);
    const jobs = peakWrites * p.jobsPerWrite;
    const queueWorkersMin = 0;
    const queueWorkersMax = rung >= Rung.LOAD_BALANCED_POOL ? Math.max(1, Math.ceil(jobs / p.messagesPerWorker)) : 0;
    if (rung >= Rung.LOAD_BALANCED_POOL) reasons.push(`queue workers: ${queueWorkersMin}–${queueWorkersMax} per queue (${fmt(jobs)} jobs/s at peak, ${fmt(p.messagesPerWorker)}/s per worker)`);
    const regions = rung === Rung.FULL_DISTRIBUTION ? (regionsCount > 1 ? p.audienceRegions : [p.audienceRegions[0], 'eu-west-1' === p.audienceRegions[0] ? 'us-east-1' : 'eu-west-1']) : [p.audienceRegions[0]];

    // Cost.
    const lines: PlanCostLine[] = [];
    const add = (item: string, low: number, high: number = low) => lines.push({ item, low: round2(low), high: round2(high) });
    const H = HOURS_PER_MONTH;
    const storageGbYear1 = storageGrowthGbPerYear;
    for (const region of regions) {
      const pr = (key: string) => price(key, region).usd;
      const nats = rung >= Rung.LOAD_BALANCED_POOL ? 2 : 1;
      const regionGbMonth = bandwidthGbPerDay * DAYS_PER_MONTH * (1 / regions.length);
      add(`${region}: ${nats} NAT gateway(s) + public IPv4`, nats * H * (pr('nat.hour') + pr('ipv4.hour')) + 0.1 * regionGbMonth * pr('nat.gb'));
      const lcu = Math.max(1, regionAvg / 250, (regionGbMonth / 30 / 24));
      add(`${region}: ALB + ${fmt(lcu)} LCU`, H * (pr('alb.hour') + lcu * pr('alb.lcu.hour')));
      const task = H * (0.5 * pr('fargate.vcpu.hour') + 1 * pr('fargate.gb.hour'));
      add(`${region}: service tasks (0.5 vCPU, 1 GB) ${serviceTasksMin}–${serviceTasksMax}`, serviceTasksMin * task, serviceTasksMax * task);
      if (queueWorkersMax) add(`${region}: queue workers 0–${queueWorkersMax}`, 0, queueWorkersMax * task);
      const instances = 1 + databaseReaders;
      add(`${region}: Aurora ${instances} instance(s) × ${fmt(acuMin)}–${fmt(acuMax)} ACU + ${fmt(storageGbYear1)} GB`, instances * acuMin * H * pr('aurora.acu.hour') + storageGbYear1 * pr('aurora.storage.gbmonth'),
        instances * acuMax * H * pr('aurora.acu.hour') + storageGbYear1 * pr('aurora.storage.gbmonth'));
      if (hasCache) {
        const nodes = cacheShards * (cacheReplicasPerShard + 1);
        add(`${region}: cache ${nodes} × ${cacheNodeType}`, nodes * H * pr(`elasticache.${cacheNodeType}.hour`));
      }
      add(`${region}: KMS keys, secrets, alarms, dashboard, 5 GB logs`, 3 * pr('kms.key.month') + 2 * pr('secretsmanager.secret.month') + 15 * pr('cloudwatch.alarm.month') + pr('cloudwatch.dashboard.month') + 5 * pr('logs.ingest.gb'));
    }
    if (rung === Rung.FULL_DISTRIBUTION) {
      const gbMonth = bandwidthGbPerDay * DAYS_PER_MONTH;
      add(`CloudFront ${fmt(requestsPerMonth / 1e6)} M requests, ${fmt(gbMonth)} GB`, requestsPerMonth / 1e4 * price('cloudfront.https.10k', 'global').usd + gbMonth * price('cloudfront.gb', 'global').usd);
      add('WAF web ACL, 5 rules, requests', price('waf.acl.month', 'global').usd + 5 * price('waf.rule.month', 'global').usd + requestsPerMonth / 1e6 * price('waf.request.million', 'global').usd);
      add(`Route 53 ${regions.length} health checks + zone`, regions.length * (price('route53.healthcheck.month', 'global').usd + 2 * price('route53.healthcheck.feature.month', 'global').usd) + price('route53.zone.month', 'global').usd);
    }
    const monthlyCostLow = round2(lines.reduce((s, l) => s + l.low, 0));
    const monthlyCostHigh = round2(lines.reduce((s, l) => s + l.high, 0));
    const range = RUNG_COST_RANGES.find((r) => r.rung === rung)!;
    if (monthlyCostLow > range.high) {
      warnings.push(`the rung's defaults idle at $${fmt(monthlyCostLow)}/month, above rung ${rung}'s range ($${fmt(range.low)}–${fmt(range.high)}): ${cheaper(rung, regions.length, cacheShards, cacheNodeType)}`);
    }
    const assumptions = [
      '30-day months for traffic, 730 hours for prices; on-demand list prices, no free tier, no data transfer out to the internet except CloudFront',
      `one service of 0.5 vCPU / 1 GB per task; ${fmt(QUERIES_PER_ACU)} database queries/s per ACU; ALB LCU = max(1, req/s ÷ 250, GB/hour)`,
      `10 % of the traffic through the NAT gateways; first-year database storage (${fmt(storageGbYear1)} GB)`,
    ];
    return {
      profile: p,
      requestsPerDay,
      requestsPerMonth,
      averageRequestsPerSecond: avg,
      peakRequestsPerSecond: peak,
      readsPerSecond: reads,
      writesPerSecond: writes,
      peakReadsPerSecond: peakReads,
      peakWritesPerSecond: peakWrites,
      bandwidthGbPerDay,
      peakBandwidthMbps,
      storageGrowthGbPerYear,
      storageGb: storageGrowthGbPerYear * p.retentionYears,
      databaseReadsPerSecond: dbReads,
      rung,
      reasons,
      regions,
      serviceTasksMin,
      serviceTasksMax,
      acuMin,
      acuMax,
      databaseReaders,
      cacheShards,
      cacheReplicasPerShard,
      cacheNodeType,
      queueWorkersMin,
      queueWorkersMax,
      monthlyCostLow,
      monthlyCostHigh,
      costLines: lines,
      rungCostRange: range,
      warnings,
      assumptions,
    };
  }
}

type Filled = Required<Omit<TrafficProfile, 'requestsPerMonth'>> & { requestsPerMonth?: number };

function fill(profile: TrafficProfile): Filled {
  const out: Record<string, unknown> = { ...TRAFFIC_DEFAULTS };
  for (const [k, v] of Object.entries(profile)) if (v !== undefined) out[k] = v;
  return out as unknown as Filled;
}

function validate(p: Filled): void {
  const positive: Array<keyof Filled> = ['dailyActiveUsers', 'requestsPerUserPerDay', 'bytesPerRequest', 'requestsPerTask', 'writesPerWriter', 'readsPerInstance', 'opsPerCacheNode', 'messagesPerWorker', 'recordSizeBytes'];
  for (const k of positive) {
    const v = p[k] as number;
    if (typeof v !== 'number' || !(v > 0) || !isFinite(v)) throw new Error(`TrafficProfile: ${k} must be a positive number, got ${v}`);
  }
  if (p.requestsPerMonth !== undefined && !(p.requestsPerMonth > 0)) throw new Error(`TrafficProfile: requestsPerMonth must be a positive number, got ${p.requestsPerMonth}`);
  if (!(p.peakToAverage >= 1)) throw new Error(`TrafficProfile: peakToAverage must be at least 1, got ${p.peakToAverage}`);
  if (!(p.readWriteRatio >= 0)) throw new Error(`TrafficProfile: readWriteRatio must be 0 or more, got ${p.readWriteRatio}`);
  if (!(p.cacheHitRate >= 0 && p.cacheHitRate < 1)) throw new Error(`TrafficProfile: cacheHitRate must be between 0 and 1 (exclusive), got ${p.cacheHitRate}`);
  if (!(p.retentionYears >= 0)) throw new Error(`TrafficProfile: retentionYears must be 0 or more, got ${p.retentionYears}`);
  if (!(p.jobsPerWrite >= 0)) throw new Error(`TrafficProfile: jobsPerWrite must be 0 or more, got ${p.jobsPerWrite}`);
  if (!Array.isArray(p.audienceRegions) || p.audienceRegions.length === 0) throw new Error('TrafficProfile: audienceRegions must name at least one region');
}

function cheaper(rung: Rung, regions: number, shards: number, nodeType: string): string {
  const tips: string[] = [];
  if (rung === Rung.FULL_DISTRIBUTION && nodeType === 'cache.r7g.large') tips.push(`cache.t4g.medium nodes and ${shards > 1 ? 'one shard' : 'fewer shards'} while the cache ops fit (cache: { nodeType, shards })`);
  if (regions > 2) tips.push(`two regions instead of ${regions}`);
  tips.push('a lower ACU ceiling and fewer minimum tasks');
  return `a cheaper profile: ${tips.join('; ')}`;
}

function halfUp(x: number): number { return Math.ceil(x * 2) / 2; }
function round2(x: number): number { return Math.round(x * 100) / 100; }
/** A number for a sentence: 3 significant digits, thousands separated. */
export function fmt(x: number): string {
  if (!isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const v = abs >= 100 ? Math.round(x) : abs >= 10 ? Math.round(x * 10) / 10 : Math.round(x * 100) / 100;
  return v.toLocaleString('en-US');
}
