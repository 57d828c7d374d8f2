import { Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DnsHealthCheckOptions, DnsRouting, GlobalDns } from '../dns/global-dns';
import { CdnDistribution, ContentClass, EdgeRoute } from '../edge/cdn-distribution';
import { DeployInvalidation, PurgeOnChange } from '../edge/cdn-invalidation';
import { EdgeWebAcl } from '../edge/edge-web-acl';
import { ViewerRequestFunction } from '../edge/viewer-request-function';
import { alarmTopic } from './private/stack-helpers';

/** Routes of the distribution when the spec gives none. */
export const DEFAULT_EDGE_ROUTES: EdgeRoute[] = [
  { pathPattern: '/assets/*', contentClass: ContentClass.STATIC_ASSETS },
  { pathPattern: '/api/*', contentClass: ContentClass.PRIVATE },
];

/**
 * Properties of an `EdgeStack`.
 */
export interface EdgeStackProps extends StackProps {
  /** The hosted zone ID (imported by attributes). */
  readonly hostedZoneId: string;
  /** The hosted zone name. */
  readonly zoneName: string;
  /**
   * The domain served (the distribution serves it and `www.`): the zone's name or a subdomain.
   *
   * @default - the zone's name
   */
  readonly domainName?: string;
  /** The regions; the first is primary for cacheable content, the second its failover. */
  readonly regions: string[];
  /**
   * Distribution routes.
   *
   * @default DEFAULT_EDGE_ROUTES
   */
  readonly routes?: EdgeRoute[];
  /**
   * WAF requests per client IP per 5 minutes.
   *
   * @default 2000
   */
  readonly rateLimit?: number;
  /**
   * Paths purged on each deployment.
   *
   * @default ['/', '/index.html']
   */
  readonly invalidationPaths?: string[];
  /**
   * Routing of `origin.<zone>` and `api.<zone>`.
   *
   * @default DnsRouting.LATENCY
   */
  readonly dnsRouting?: DnsRouting;
  /**
   * GEOLOCATION: locations per region.
   *
   * @default - '*' for the first region
   */
  readonly geolocations?: { [region: string]: string[] };
  /**
   * Route 53 health checks of the regions.
   *
   * @default - HTTPS '/health' every 30 s, 3 failures
   */
  readonly healthCheck?: DnsHealthCheckOptions;
  /**
   * Name of the alarm topic.
   *
   * @default '<stack name>-alarms'
   */
  readonly alarmTopicName?: string;
}

/**
 * Everything that must live in us-east-1, in one stack that references no regional stack: the
 * distribution with its certificate, WAF web ACL, URL normalization, deploy-time and
 * event-driven invalidation, the apex/`www` aliases, GeoDNS (health checks and routed records
 * for `origin.<zone>` and `api.<zone>`), an alarm topic and a dashboard.
 */
export class EdgeStack extends Stack {
  /** The distribution. */
  public readonly cdn: CdnDistribution;
  /** The web ACL. */
  public readonly webAcl: EdgeWebAcl;
  /** GeoDNS. */
  public readonly dns: GlobalDns;
  /** Event-driven purge (publish `{"paths": [...]}` to its queue). */
  public readonly purge: PurgeOnChange;
  /** The alarm topic. */
  public readonly alarmTopic: sns.Topic;
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: props.zoneName });
    const domain = props.domainName ?? props.zoneName;
    const domainNames = [domain, `www.${domain}`];
    // GlobalDns names are relative to the zone: `origin.staging` for origin.staging.example.com.
    const relative = domain === props.zoneName ? '' : `.${domain.slice(0, -props.zoneName.length - 1)}`;
    this.alarmTopic = alarmTopic(this, props.alarmTopicName ?? `${this.stackName}-alarms`);

    const routing = props.dnsRouting ?? DnsRouting.LATENCY;
    this.dns = new GlobalDns(this, 'Dns', {
      hostedZone: zone,
      regions: props.regions.map((region, i) => ({
        region,
        geolocations: routing === DnsRouting.GEOLOCATION ? (props.geolocations?.[region] ?? (i === 0 ? ['*'] : [])) : undefined,
      })),
      sharedNames: [`origin${relative}`, `api${relative}`],
      originSubdomain: `origin${relative}`,
      routing,
      healthCheck: props.healthCheck,
      alarmTopic: this.alarmTopic,
    });

    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: domainNames[0],
      subjectAlternativeNames: domainNames.slice(1),
      validation: acm.CertificateValidation.fromDns(zone),
    });
    this.webAcl = new EdgeWebAcl(this, 'Waf', { rateLimit: props.rateLimit });
    this.cdn = new CdnDistribution(this, 'Cdn', {
      regionalOrigins: props.regions.map((region) => ({ region, domainName: `${region}.origin.${domain}` })),
      sharedOriginName: `origin.${domain}`,
      domainNames,
      certificate,
      webAclArn: this.webAcl.webAclArn,
      defaultViewerRequestFunction: new ViewerRequestFunction(this, 'Normalize'),
      routes: props.routes ?? DEFAULT_EDGE_ROUTES,
      alarms: { topic: this.alarmTopic },
    });
    new DeployInvalidation(this, 'PurgeOnDeploy', { distribution: this.cdn, paths: props.invalidationPaths ?? ['/', '/index.html'] });
    this.purge = new PurgeOnChange(this, 'PurgeOnChange', { distribution: this.cdn });

    for (const name of domainNames) {
      const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.cdn.distribution));
      new route53.ARecord(this, `Alias-${name}`, { zone, recordName: name, target });
      new route53.AaaaRecord(this, `AliasV6-${name}`, { zone, recordName: name, target });
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: this.stackName.replace(/[^A-Za-z0-9_-]/g, '-') });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'CDN: requests and 5xx rate (%)', left: [this.cdn.metricRequests()], right: [this.cdn.metric5xxErrorRate()], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'CDN: cache hit rate (%) and origin latency (ms)', left: [this.cdn.metricCacheHitRate()], right: [this.cdn.metricOriginLatency()], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'WAF: allowed and blocked', left: [this.webAcl.metricAllowedRequests(), this.webAcl.metricBlockedRequests()], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'Regions: health-check status', left: props.regions.map((r) => this.dns.metricHealthCheckStatus(r, { label: r })), width: 12 }),
    );
  }
}
