import { CapacityPlanner, CostEstimator, PRICE_ROWS, Rung, TrafficProfile } from '../../src';
import { price, PRICED_REGIONS } from '../../src/capacity/price-table';

describe('CapacityPlanner: the worked examples', () => {
  test('GIVEN 1M DAU × 10 requests × 1 KB WHEN planned THEN 10 GB/day and ≈116 requests/s on average', () => {
    const plan = CapacityPlanner.plan({ dailyActiveUsers: 1_000_000, requestsPerUserPerDay: 10, bytesPerRequest: 1000 });
    expect(plan.requestsPerDay).toBe(10_000_000);
    expect(plan.bandwidthGbPerDay).toBeCloseTo(10, 6);
    expect(plan.averageRequestsPerSecond).toBeCloseTo(115.74, 2);
    expect(plan.peakRequestsPerSecond).toBeCloseTo(3 * 115.74, 1); // peakToAverage defaults to 3
  });

  test('GIVEN 100M new URLs and 1B redirects a month WHEN planned THEN ≈40 writes/s and ≈400 reads/s, 10:1, one PostgreSQL writer', () => {
    const plan = CapacityPlanner.plan({ requestsPerMonth: 1_100_000_000, readWriteRatio: 10 });
    expect(plan.writesPerSecond).toBeCloseTo(100e6 / (30 * 86400), 6); // 38.6
    expect(Math.round(plan.writesPerSecond / 10) * 10).toBe(40);
    expect(plan.readsPerSecond).toBeCloseTo(1e9 / (30 * 86400), 6); // 385.8
    expect(Math.round(plan.readsPerSecond / 100) * 100).toBe(400);
    expect(plan.readsPerSecond / plan.writesPerSecond).toBeCloseTo(10, 9);
    expect(plan.reasons).toContainEqual(expect.stringMatching(/^peak writes 116\/s < one Aurora writer \(1,000\/s\): one PostgreSQL writer is enough$/));
    expect(plan.warnings).toEqual([]);
  });

  test('GIVEN a 90 % cache hit rate WHEN planned THEN database reads are cut 10×', () => {
    const plan = CapacityPlanner.plan({ dailyActiveUsers: 1_000_000, cacheHitRate: 0.9 });
    expect(plan.rung).toBeGreaterThanOrEqual(Rung.SEPARATE_DATA_TIER);
    expect(plan.peakReadsPerSecond / plan.databaseReadsPerSecond).toBeCloseTo(10, 9);
    expect(plan.reasons).toContainEqual(expect.stringContaining('(10× fewer)'));
  });

  test('GIVEN 100M writes a month at 500 bytes WHEN planned THEN storage grows ≈608 GB a year', () => {
    const plan = CapacityPlanner.plan({ requestsPerMonth: 1_100_000_000, readWriteRatio: 10, recordSizeBytes: 500, retentionYears: 5 });
    expect(plan.storageGrowthGbPerYear).toBeCloseTo((100e6 / 30) * 365 * 500 / 1e9, 6);
    expect(plan.storageGb).toBeCloseTo(plan.storageGrowthGbPerYear * 5, 6);
  });
});

describe('CapacityPlanner: the rung and why', () => {
  test.each([
    [{ dailyActiveUsers: 10_000 }, Rung.SINGLE_SERVER, /^peak 3\.47 req\/s ≤ one task \(200 req\/s\): rung 1, one server is enough$/],
    [{ dailyActiveUsers: 1_000_000 }, Rung.SEPARATE_DATA_TIER, /^peak 347 req\/s > one task \(200 req\/s\): rung 2/],
    [{ dailyActiveUsers: 10_000, readWriteRatio: 1000, readsPerInstance: 4 }, Rung.SEPARATE_DATA_TIER, /^peak reads 3\.47\/s > half of one database instance \(2\/s\): rung 2/],
    [{ dailyActiveUsers: 3_000_000 }, Rung.LOAD_BALANCED_POOL, /^peak 1,042 req\/s > two tasks \(400 req\/s\): rung 3, an auto-scaled pool across AZs$/],
    [{ dailyActiveUsers: 20_000_000 }, Rung.FULL_DISTRIBUTION, /> a rung-3 pool of 10 tasks \(2,000 req\/s\): rung 4/],
    [{ dailyActiveUsers: 10_000, audienceRegions: ['eu-west-1', 'us-east-1'] }, Rung.FULL_DISTRIBUTION, /^audience in 2 regions \(eu-west-1, us-east-1\) > 1: rung 4/],
  ])('GIVEN %j WHEN planned THEN rung %s, each rule explained in one line', (profile, rung, first) => {
    const plan = CapacityPlanner.plan(profile);
    expect(plan.rung).toBe(rung);
    expect(plan.reasons[0]).toMatch(first);
    for (const reason of plan.reasons) expect(reason).not.toContain('\n');
    expect(plan.reasons.length).toBeGreaterThanOrEqual(4);
  });

  test('GIVEN rung-3 traffic WHEN planned THEN sizes tasks, readers, cache and workers from the per-unit throughput', () => {
    const pool = CapacityPlanner.plan({ dailyActiveUsers: 3_000_000 });
    expect(pool.serviceTasksMin).toBe(2);
    expect(pool.serviceTasksMax).toBe(10);
    expect(pool.databaseReaders).toBe(1);
    expect(pool.queueWorkersMax).toBe(Math.ceil(pool.peakWritesPerSecond / 50));
    expect(pool.cacheShards).toBe(1);
    expect(pool.cacheNodeType).toBe('cache.t4g.medium');
    // A slower task: the same traffic needs more than a rung-3 pool.
    expect(CapacityPlanner.plan({ dailyActiveUsers: 3_000_000, requestsPerTask: 100 }).rung).toBe(Rung.FULL_DISTRIBUTION);
  });

  test('GIVEN more writes than one writer takes WHEN planned THEN warns that the ladder ends there', () => {
    const plan = CapacityPlanner.plan({ dailyActiveUsers: 100_000_000, readWriteRatio: 1 });
    expect(plan.warnings).toContainEqual(expect.stringMatching(/peak writes .* exceed one writer/));
  });

  test('GIVEN a profile whose rung idles above its range WHEN planned THEN says so and suggests a cheaper profile', () => {
    const plan = CapacityPlanner.plan({ dailyActiveUsers: 40_000_000, audienceRegions: ['eu-west-1', 'us-east-1', 'us-west-2', 'ap-southeast-1', 'eu-central-1', 'sa-east-1'] });
    expect(plan.monthlyCostLow).toBeGreaterThan(20_000);
    expect(plan.warnings).toContainEqual(expect.stringMatching(/above rung 4's range \(\$2,000–20,000\): a cheaper profile: .*cache\.t4g\.medium.*two regions instead of 6/));
  });

  test('GIVEN typical traffic for rungs 1, 2 and 4 WHEN planned THEN the idle cost stays within the rung\'s range', () => {
    const cases: Array<[TrafficProfile, Rung]> = [
      [{ dailyActiveUsers: 10_000 }, Rung.SINGLE_SERVER],
      [{ dailyActiveUsers: 1_000_000 }, Rung.SEPARATE_DATA_TIER],
      [{ dailyActiveUsers: 5_000_000, audienceRegions: ['eu-west-1', 'us-east-1'] }, Rung.FULL_DISTRIBUTION],
    ];
    for (const [profile, rung] of cases) {
      const plan = CapacityPlanner.plan(profile);
      expect(plan.rung).toBe(rung);
      expect(plan.monthlyCostLow).toBeLessThanOrEqual(plan.rungCostRange.high);
      expect(plan.monthlyCostHigh).toBeGreaterThanOrEqual(plan.rungCostRange.low);
      expect(plan.monthlyCostLow).toBeCloseTo(plan.costLines.reduce((s, l) => s + l.low, 0), 1);
    }
  });

  test.each([
    [{ dailyActiveUsers: 0 }, /TrafficProfile: dailyActiveUsers must be a positive number, got 0/],
    [{ cacheHitRate: 1 }, /cacheHitRate must be between 0 and 1/],
    [{ peakToAverage: 0.5 }, /peakToAverage must be at least 1, got 0.5/],
    [{ audienceRegions: [] }, /audienceRegions must name at least one region/],
    [{ requestsPerMonth: -1 }, /requestsPerMonth must be a positive number/],
  ])('GIVEN %j WHEN planned THEN throws', (profile, message) => {
    expect(() => CapacityPlanner.plan(profile)).toThrow(message);
  });
});

describe('price table', () => {
  test('GIVEN every row THEN it has a date, a region and the AWS pricing page it comes from', () => {
    expect(PRICE_ROWS.length).toBeGreaterThan(50);
    for (const row of PRICE_ROWS) {
      expect(row.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.region).toMatch(/^(global|[a-z]{2}-[a-z]+-\d)$/);
      expect(row.source).toMatch(/^https:\/\/aws\.amazon\.com\/[a-z0-9/-]+\/pricing\/$/);
      expect(['confirmed', 'unconfirmed']).toContain(row.confidence);
      expect(row.usd).toBeGreaterThan(0);
    }
    expect(CostEstimator.priceTable()).toEqual(PRICE_ROWS);
    const keys = PRICE_ROWS.map((r) => `${r.key}@${r.region}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('GIVEN a region without rows WHEN looked up THEN us-east-1\'s price, marked approximate', () => {
    expect(price('fargate.vcpu.hour', 'sa-east-1')).toMatchObject({ usd: 0.04048, approximate: true });
    expect(price('fargate.vcpu.hour', 'eu-central-1')).toMatchObject({ usd: 0.04656, approximate: false });
    expect(price('waf.acl.month', 'sa-east-1')).toMatchObject({ usd: 5, approximate: false });
    for (const region of PRICED_REGIONS) expect(price('nat.hour', region).approximate).toBe(false);
  });
});
