/**
 * The price table: data, not code. One row per price, each with the region, the date it was
 * taken, the AWS pricing page it comes from and whether the value was corroborated on the day.
 *
 * On-demand list prices in USD. `region: 'global'` rows are priced the same everywhere (CloudFront
 * in North America/Europe, Route 53, WAF for CloudFront). A region without its own row for a
 * price falls back to the `us-east-1` row and the estimate says it is approximate.
 *
 * `confirmed` rows were corroborated on 2026-12-01 by text retrieved through the project's
 * reference library (secondary sources quoting the AWS page, dated 2026); `unconfirmed` rows are
 * the AWS page's values as recorded without a corroborating retrieval that day: check them on
 * the page before relying on them.
 */

/** One price. */
export interface PriceRow {
  /** What is priced, e.g. `fargate.vcpu.hour`. */
  readonly key: string;
  /** Region, or `global`. */
  readonly region: string;
  /** USD per unit. */
  readonly usd: number;
  /** The unit, e.g. `vCPU-hour`. */
  readonly unit: string;
  /** The AWS pricing page. */
  readonly source: string;
  /** The day the row was taken (ISO date). */
  readonly date: string;
  /** `confirmed` or `unconfirmed` (see the file's comment). */
  readonly confidence: string;
}

const D = '2026-12-01';
const FARGATE = 'https://aws.amazon.com/fargate/pricing/';
const ELB = 'https://aws.amazon.com/elasticloadbalancing/pricing/';
const VPC = 'https://aws.amazon.com/vpc/pricing/';
const AURORA = 'https://aws.amazon.com/rds/aurora/pricing/';
const CACHE = 'https://aws.amazon.com/elasticache/pricing/';
const CF = 'https://aws.amazon.com/cloudfront/pricing/';
const R53 = 'https://aws.amazon.com/route53/pricing/';
const WAF = 'https://aws.amazon.com/waf/pricing/';
const SQS = 'https://aws.amazon.com/sqs/pricing/';
const SNS = 'https://aws.amazon.com/sns/pricing/';
const CW = 'https://aws.amazon.com/cloudwatch/pricing/';
const KMS = 'https://aws.amazon.com/kms/pricing/';
const SM = 'https://aws.amazon.com/secrets-manager/pricing/';
const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';

function row(key: string, region: string, usd: number, unit: string, source: string, confidence = 'unconfirmed'): PriceRow {
  return { key, region, usd, unit, source, date: D, confidence };
}

/** Regions with their own rows for the regional prices that differ most (compute, LB, NAT, database, cache). */
export const PRICED_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1'];

/** The rows. ElastiCache node rows are Valkey prices (AWS: Valkey nodes cost 20 % less than Redis OSS). */
export const PRICE_ROWS: PriceRow[] = [
  // Fargate, Linux
  row('fargate.vcpu.hour', 'us-east-1', 0.04048, 'vCPU-hour', FARGATE, 'confirmed'),
  row('fargate.gb.hour', 'us-east-1', 0.004445, 'GB-hour', FARGATE, 'confirmed'),
  row('fargate.arm.vcpu.hour', 'us-east-1', 0.03238, 'vCPU-hour', FARGATE, 'confirmed'),
  row('fargate.arm.gb.hour', 'us-east-1', 0.00356, 'GB-hour', FARGATE, 'confirmed'),
  row('fargate.vcpu.hour', 'us-west-2', 0.04048, 'vCPU-hour', FARGATE),
  row('fargate.gb.hour', 'us-west-2', 0.004445, 'GB-hour', FARGATE),
  row('fargate.vcpu.hour', 'eu-west-1', 0.04048, 'vCPU-hour', FARGATE),
  row('fargate.gb.hour', 'eu-west-1', 0.004445, 'GB-hour', FARGATE),
  row('fargate.vcpu.hour', 'eu-central-1', 0.04656, 'vCPU-hour', FARGATE),
  row('fargate.gb.hour', 'eu-central-1', 0.00511, 'GB-hour', FARGATE),
  row('fargate.vcpu.hour', 'ap-southeast-1', 0.05056, 'vCPU-hour', FARGATE),
  row('fargate.gb.hour', 'ap-southeast-1', 0.00553, 'GB-hour', FARGATE),
  // Elastic Load Balancing
  row('alb.hour', 'us-east-1', 0.0225, 'ALB-hour', ELB),
  row('alb.lcu.hour', 'us-east-1', 0.008, 'LCU-hour', ELB),
  row('nlb.hour', 'us-east-1', 0.0225, 'NLB-hour', ELB),
  row('nlb.lcu.hour', 'us-east-1', 0.006, 'NLCU-hour', ELB),
  row('alb.hour', 'us-west-2', 0.0225, 'ALB-hour', ELB),
  row('alb.lcu.hour', 'us-west-2', 0.008, 'LCU-hour', ELB),
  row('alb.hour', 'eu-west-1', 0.0252, 'ALB-hour', ELB),
  row('alb.lcu.hour', 'eu-west-1', 0.008, 'LCU-hour', ELB),
  row('alb.hour', 'eu-central-1', 0.027, 'ALB-hour', ELB),
  row('alb.lcu.hour', 'eu-central-1', 0.008, 'LCU-hour', ELB),
  row('alb.hour', 'ap-southeast-1', 0.0252, 'ALB-hour', ELB),
  row('alb.lcu.hour', 'ap-southeast-1', 0.008, 'LCU-hour', ELB),
  // VPC: NAT gateways, public IPv4 addresses, interface endpoints
  row('nat.hour', 'us-east-1', 0.045, 'NAT gateway-hour', VPC, 'confirmed'),
  row('nat.gb', 'us-east-1', 0.045, 'GB processed', VPC, 'confirmed'),
  row('nat.hour', 'us-west-2', 0.045, 'NAT gateway-hour', VPC),
  row('nat.gb', 'us-west-2', 0.045, 'GB processed', VPC),
  row('nat.hour', 'eu-west-1', 0.048, 'NAT gateway-hour', VPC),
  row('nat.gb', 'eu-west-1', 0.048, 'GB processed', VPC),
  row('nat.hour', 'eu-central-1', 0.052, 'NAT gateway-hour', VPC),
  row('nat.gb', 'eu-central-1', 0.052, 'GB processed', VPC),
  row('nat.hour', 'ap-southeast-1', 0.059, 'NAT gateway-hour', VPC, 'confirmed'),
  row('nat.gb', 'ap-southeast-1', 0.059, 'GB processed', VPC, 'confirmed'),
  row('ipv4.hour', 'global', 0.005, 'public IPv4 address-hour', VPC, 'confirmed'),
  row('vpce.interface.hour', 'us-east-1', 0.01, 'endpoint-AZ-hour', 'https://aws.amazon.com/privatelink/pricing/', 'confirmed'),
  // Aurora PostgreSQL (Aurora Standard)
  row('aurora.acu.hour', 'us-east-1', 0.12, 'ACU-hour', AURORA, 'confirmed'),
  row('aurora.storage.gbmonth', 'us-east-1', 0.10, 'GB-month', AURORA, 'confirmed'),
  row('aurora.io.million', 'us-east-1', 0.20, 'million I/O requests', AURORA),
  row('aurora.acu.hour', 'us-west-2', 0.12, 'ACU-hour', AURORA),
  row('aurora.storage.gbmonth', 'us-west-2', 0.10, 'GB-month', AURORA),
  row('aurora.acu.hour', 'eu-west-1', 0.13, 'ACU-hour', AURORA),
  row('aurora.storage.gbmonth', 'eu-west-1', 0.11, 'GB-month', AURORA),
  row('aurora.acu.hour', 'eu-central-1', 0.14, 'ACU-hour', AURORA),
  row('aurora.storage.gbmonth', 'eu-central-1', 0.119, 'GB-month', AURORA),
  row('aurora.acu.hour', 'ap-southeast-1', 0.14, 'ACU-hour', AURORA),
  row('aurora.storage.gbmonth', 'ap-southeast-1', 0.12, 'GB-month', AURORA),
  row('rds.db.t4g.medium.hour', 'us-east-1', 0.073, 'instance-hour', AURORA),
  row('rds.db.r7g.large.hour', 'us-east-1', 0.276, 'instance-hour', AURORA),
  row('rds.db.r6g.large.hour', 'us-east-1', 0.26, 'instance-hour', AURORA),
  // ElastiCache nodes (Valkey)
  row('elasticache.cache.t4g.micro.hour', 'us-east-1', 0.0128, 'node-hour', CACHE),
  row('elasticache.cache.t4g.small.hour', 'us-east-1', 0.0256, 'node-hour', CACHE),
  row('elasticache.cache.t4g.medium.hour', 'us-east-1', 0.052, 'node-hour', CACHE),
  row('elasticache.cache.m7g.large.hour', 'us-east-1', 0.1264, 'node-hour', CACHE),
  row('elasticache.cache.r7g.large.hour', 'us-east-1', 0.1752, 'node-hour', CACHE),
  row('elasticache.cache.r7g.xlarge.hour', 'us-east-1', 0.3504, 'node-hour', CACHE),
  row('elasticache.cache.t4g.medium.hour', 'us-west-2', 0.052, 'node-hour', CACHE),
  row('elasticache.cache.r7g.large.hour', 'us-west-2', 0.1752, 'node-hour', CACHE),
  row('elasticache.cache.t4g.medium.hour', 'eu-central-1', 0.0592, 'node-hour', CACHE),
  row('elasticache.cache.r7g.large.hour', 'eu-west-1', 0.1952, 'node-hour', CACHE),
  row('elasticache.cache.r7g.large.hour', 'ap-southeast-1', 0.2104, 'node-hour', CACHE),
  // CloudFront (North America and Europe price class, first 10 TB)
  row('cloudfront.gb', 'global', 0.085, 'GB out to viewers', CF),
  row('cloudfront.https.10k', 'global', 0.01, '10,000 HTTPS requests', CF),
  row('cloudfront.originshield.10k', 'global', 0.0075, '10,000 requests to Origin Shield', CF),
  // Route 53
  row('route53.zone.month', 'global', 0.50, 'hosted zone-month', R53),
  row('route53.healthcheck.month', 'global', 0.50, 'health check-month (AWS endpoint)', R53),
  row('route53.healthcheck.feature.month', 'global', 1.00, 'optional feature-month (HTTPS, latency, fast interval, string match)', R53),
  row('route53.query.standard.million', 'global', 0.40, 'million standard queries', R53),
  row('route53.query.latency.million', 'global', 0.60, 'million latency-based queries', R53),
  row('route53.query.geo.million', 'global', 0.70, 'million geolocation queries', R53),
  // WAF
  row('waf.acl.month', 'global', 5.00, 'web ACL-month', WAF),
  row('waf.rule.month', 'global', 1.00, 'rule-month', WAF),
  row('waf.request.million', 'global', 0.60, 'million requests', WAF),
  // Messaging
  row('sqs.request.million', 'us-east-1', 0.40, 'million requests (standard queue)', SQS),
  row('sns.publish.million', 'us-east-1', 0.50, 'million publishes', SNS),
  // CloudWatch
  row('cloudwatch.alarm.month', 'us-east-1', 0.10, 'standard-resolution alarm metric-month', CW),
  row('cloudwatch.dashboard.month', 'global', 3.00, 'dashboard-month', CW),
  row('logs.ingest.gb', 'us-east-1', 0.50, 'GB ingested', CW),
  // KMS, Secrets Manager, Lambda
  row('kms.key.month', 'global', 1.00, 'customer managed key-month', KMS),
  row('secretsmanager.secret.month', 'global', 0.40, 'secret-month', SM),
  row('lambda.request.million', 'us-east-1', 0.20, 'million requests', LAMBDA),
  row('lambda.gbsecond', 'us-east-1', 0.0000166667, 'GB-second', LAMBDA),
];

/** Redis OSS nodes cost 1.25 × the Valkey rows (Valkey is 20 % less). */
export const REDIS_NODE_FACTOR = 1.25;

/** A looked-up price: the value and whether it came from another region's row. */
export interface PriceLookup {
  readonly usd: number;
  readonly approximate: boolean;
  readonly row?: PriceRow;
}

/** The price of `key` in `region`: the region's row, else the global row, else us-east-1's (approximate). */
export function price(key: string, region: string | undefined): PriceLookup {
  const own = PRICE_ROWS.find((r) => r.key === key && r.region === region);
  if (own) return { usd: own.usd, approximate: false, row: own };
  const global = PRICE_ROWS.find((r) => r.key === key && r.region === 'global');
  if (global) return { usd: global.usd, approximate: false, row: global };
  const fallback = PRICE_ROWS.find((r) => r.key === key && r.region === 'us-east-1');
  if (fallback) return { usd: fallback.usd, approximate: true, row: fallback };
  return { usd: 0, approximate: true };
}

/** Hours in a month, as AWS's pricing examples count them. */
export const HOURS_PER_MONTH = 730;
