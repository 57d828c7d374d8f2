import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { geolocationCodeProblem } from './geo-codes';
import { notify } from '../private/alarms';
import { Validator } from '../private/validation';

/** Regions Route 53 health checkers run in. */
export const HEALTH_CHECKER_REGIONS = [
  'us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1',
];

/**
 * How the shared names pick a region.
 */
export enum DnsRouting {
  /** The region with the lowest latency to the viewer (health-checked). */
  LATENCY = 'latency',
  /** By the viewer's location: continent, country or US state, with a default ('*'). */
  GEOLOCATION = 'geolocation',
  /** By weight, e.g. to shift traffic between regions gradually. */
  WEIGHTED = 'weighted',
  /** The first region while healthy, then the second. */
  FAILOVER = 'failover',
}

/**
 * Route 53 health-check settings of the regional endpoints.
 */
export interface DnsHealthCheckOptions {
  /**
   * HTTPS path checked on each region's origin name.
   *
   * @default '/health'
   */
  readonly path?: string;

  /**
   * Seconds between checks: 10 or 30.
   *
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * Consecutive failures before a region counts as unhealthy, 1–10.
   *
   * @default 3
   */
  readonly failureThreshold?: number;

  /**
   * Checker regions, at least 3 of HEALTH_CHECKER_REGIONS.
   *
   * @default - Route 53's default checkers
   */
  readonly checkerRegions?: string[];
}

/**
 * One region behind the shared names.
 */
export interface DnsRegion {
  /** The region. */
  readonly region: string;

  /**
   * GEOLOCATION: the locations this region serves — '*' (default), 'continent:EU', 'DE', 'US-CA'.
   *
   * @default - none
   */
  readonly geolocations?: string[];

  /**
   * WEIGHTED: the region's weight, 0–255.
   *
   * @default 1
   */
  readonly weight?: number;
}

/**
 * Properties of a `GlobalDns`.
 */
export interface GlobalDnsProps {
  /** The hosted zone, imported by attributes. */
  readonly hostedZone: route53.IHostedZone;

  /** The regions; each serves `<region>.<originSubdomain>.<zone>` (an alias its regional stack creates). */
  readonly regions: DnsRegion[];

  /**
   * Names routed across the regions, relative to the zone, e.g. ['origin', 'api'].
   *
   * @default ['origin']
   */
  readonly sharedNames?: string[];

  /**
   * Subdomain of the per-region origin names.
   *
   * @default 'origin'
   */
  readonly originSubdomain?: string;

  /**
   * Routing policy of the shared names.
   *
   * @default DnsRouting.LATENCY
   */
  readonly routing?: DnsRouting;

  /**
   * Health checks.
   *
   * @default - HTTPS '/health' every 30 s, 3 failures
   */
  readonly healthCheck?: DnsHealthCheckOptions;

  /**
   * Topic notified when a region's health check fails or recovers.
   *
   * @default - no action
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * GeoDNS across regions, in the us-east-1 edge stack: a Route 53 HTTPS health check per region
 * on `<region>.origin.<zone>/health`, and for each shared name (the CDN's origin, direct
 * API/WebSocket hostnames) one record per region — latency, geolocation (with a default),
 * weighted or failover — aliasing the region's origin name with target-health evaluation.
 *
 * It lives in us-east-1 because Route 53 publishes health-check metrics there only, so the
 * health-check alarms can watch them; it references no regional stack (the per-region names
 * are known by convention, and an alias to a record of the same zone needs no load balancer).
 */
export class GlobalDns extends Construct {
  /** The health check of each region. */
  public readonly healthChecks: { [region: string]: route53.HealthCheck } = {};
  /** The records, by shared name and region. */
  public readonly records: route53.ARecord[] = [];
  /** The health-check alarms. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: GlobalDnsProps) {
    super(scope, id);
    const v = new Validator(this, 'GlobalDns');
    const zone = props.hostedZone;
    const routing = props.routing ?? DnsRouting.LATENCY;
    const sharedNames = props.sharedNames ?? ['origin'];
    const originSubdomain = props.originSubdomain ?? 'origin';
    const hc = props.healthCheck ?? {};
    const region = Stack.of(this).region;

    // ---- validation -------------------------------------------------------------------
    v.enumValue('routing', props.routing, DnsRouting, 'DnsRouting');
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      v.fail(`GlobalDns belongs in us-east-1, where Route 53 publishes health-check metrics for its alarms, got region ${region}`);
    }
    v.range('regions.length', props.regions.length, 1, 20);
    const seen = new Set<string>();
    for (const r of props.regions) {
      v.pattern('regions.region', r.region, /^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'AWS region codes like eu-west-1');
      if (seen.has(r.region)) v.fail(`regions must name each region once, got ${r.region} twice`);
      seen.add(r.region);
      v.range(`regions['${r.region}'].weight`, r.weight, 0, 255);
      if (r.geolocations && routing !== DnsRouting.GEOLOCATION) v.fail(`regions['${r.region}'].geolocations needs routing GEOLOCATION, got ${routing}`);
      if (r.weight !== undefined && routing !== DnsRouting.WEIGHTED) v.fail(`regions['${r.region}'].weight needs routing WEIGHTED, got ${routing}`);
    }
    if (routing === DnsRouting.GEOLOCATION) {
      const owner = new Map<string, string>();
      for (const r of props.regions) {
        for (const code of r.geolocations ?? []) {
          const problem = geolocationCodeProblem(code);
          if (problem) v.fail(`regions['${r.region}'].geolocations: ${problem}`);
          if (owner.has(code)) v.fail(`regions: geolocation '${code}' is served by both ${owner.get(code)} and ${r.region}; each location needs one region`);
          owner.set(code, r.region);
        }
      }
      if (!owner.has('*')) v.fail("regions: a geolocation set needs a default ('*') location, or viewers elsewhere get no answer; add '*' to one region");
    }
    if (routing === DnsRouting.FAILOVER) v.range('regions.length (FAILOVER: primary and secondary)', props.regions.length, 2, 2);
    for (const name of sharedNames) v.pattern('sharedNames', name, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'lowercase names relative to the zone');
    if (new Set(sharedNames).size !== sharedNames.length) v.fail(`sharedNames must be unique, got ${sharedNames.join(', ')}`);
    v.pattern('healthCheck.path', hc.path, /^\/[\x21-\x7e]{0,254}$/, "a path starting with '/'");
    if (hc.interval && !hc.interval.isUnresolved()) v.oneOf('healthCheck.interval (seconds)', hc.interval.toSeconds(), [10, 30]);
    v.range('healthCheck.failureThreshold', hc.failureThreshold, 1, 10);
    if (hc.checkerRegions) {
      v.range('healthCheck.checkerRegions.length', hc.checkerRegions.length, 3, HEALTH_CHECKER_REGIONS.length);
      for (const r of hc.checkerRegions) v.oneOf('healthCheck.checkerRegions', r, HEALTH_CHECKER_REGIONS);
    }

    // ---- health checks and records ----------------------------------------------------
    const zoneName = zone.zoneName;
    for (const [i, r] of props.regions.entries()) {
      const originName = `${r.region}.${originSubdomain}.${zoneName}`;
      const check = new route53.HealthCheck(this, `HealthCheck-${r.region}`, {
        type: route53.HealthCheckType.HTTPS,
        fqdn: originName,
        port: 443,
        resourcePath: hc.path ?? '/health',
        requestInterval: hc.interval ?? Duration.seconds(30),
        failureThreshold: hc.failureThreshold ?? 3,
        enableSNI: true,
        measureLatency: true,
        regions: hc.checkerRegions,
      });
      this.healthChecks[r.region] = check;
      const target = route53.RecordTarget.fromAlias({
        bind: () => ({ dnsName: originName, hostedZoneId: zone.hostedZoneId, evaluateTargetHealth: true }),
      });
      for (const name of sharedNames) {
        const base = { zone, recordName: name, target, healthCheck: check };
        if (routing === DnsRouting.GEOLOCATION) {
          for (const code of r.geolocations ?? []) {
            this.records.push(new route53.ARecord(this, `${name}-${r.region}-${code.replace(/[^A-Za-z0-9]/g, '')}`, {
              ...base, setIdentifier: `${r.region}-${code === '*' ? 'default' : code.replace(':', '-')}`, geoLocation: geoLocation(code),
            }));
          }
        } else {
          this.records.push(new route53.ARecord(this, `${name}-${r.region}`, {
            ...base,
            setIdentifier: r.region,
            region: routing === DnsRouting.LATENCY ? r.region : undefined,
            weight: routing === DnsRouting.WEIGHTED ? (r.weight ?? 1) : undefined,
            failover: routing === DnsRouting.FAILOVER ? (i === 0 ? route53.Failover.PRIMARY : route53.Failover.SECONDARY) : undefined,
          }));
        }
      }
      const alarm = this.metricHealthCheckStatus(r.region).createAlarm(this, `HealthAlarm-${r.region}`, {
        alarmDescription: `${this.node.path}: ${originName}${hc.path ?? '/health'} failing Route 53 health checks`,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      notify([alarm], props.alarmTopic);
      this.alarms.push(alarm);
    }
  }

  /** 1 while a region's endpoint passes its health check, 0 otherwise (minimum per minute). */
  public metricHealthCheckStatus(regionName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const check = this.healthChecks[regionName];
    if (!check) throw new Error(`GlobalDns '${this.node.path}': no health check for region ${regionName}; regions are ${Object.keys(this.healthChecks).join(', ')}`);
    return new cloudwatch.Metric({
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      dimensionsMap: { HealthCheckId: check.healthCheckId },
      statistic: 'Minimum',
      period: Duration.minutes(1),
      region: 'us-east-1',
      ...props,
    });
  }
}

function geoLocation(code: string): route53.GeoLocation {
  if (code === '*') return route53.GeoLocation.default();
  if (code.startsWith('continent:')) return route53.GeoLocation.continent(code.slice('continent:'.length) as route53.Continent);
  if (code.startsWith('US-')) return route53.GeoLocation.subdivision(code.slice(3), 'US');
  return route53.GeoLocation.country(code);
}
