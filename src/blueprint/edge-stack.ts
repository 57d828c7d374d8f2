import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EdgeOverrides, EdgeRouteSpec } from './stage-spec';
import { DnsHealthCheckOptions, DnsRouting, GlobalDns } from '../dns/global-dns';
import { CdnDistribution, ContentClass, EdgeRoute } from '../edge/cdn-distribution';
import { DeployInvalidation, PurgeOnChange } from '../edge/cdn-invalidation';
import { EdgeFunctionSpec } from '../edge/edge-function-spec';
import { EdgeWebAcl } from '../edge/edge-web-acl';
import { OriginVerifySecret } from '../edge/origin-verify';
import { ViewerRequestFunction } from '../edge/viewer-request-function';
import { AlarmTopic } from '../messaging/alarm-topic';
import { WorkQueue } from '../messaging/work-queue';
import { mergeOptions } from '../private/merge';
import { Validator } from '../private/validation';

/** Routes of the distribution when the spec gives none. */
export const DEFAULT_EDGE_ROUTES: EdgeRouteSpec[] = [
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
   * Distribution routes; their edge functions are created in this stack.
   *
   * @default DEFAULT_EDGE_ROUTES
   */
  readonly routes?: EdgeRouteSpec[];
  /**
   * Lambda@Edge functions of the default behaviour (origin events only: the default behaviour
   * runs a CloudFront Function on viewer request).
   *
   * @default - none
   */
  readonly defaultEdgeFunctions?: EdgeFunctionSpec[];
  /**
   * Name of the purge queue (known by convention so that regional services can send to it).
   *
   * @default '<stack name>-purge'
   */
  readonly purgeQueueName?: string;
  /**
   * The release being deployed: a new value purges `invalidationPaths`.
   *
   * @default - the `cdk-scaleout:deployment-id` context, else a fingerprint of the stage's assets and images
   */
  readonly releaseId?: string;
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
   * Routing of `origin.<domain>` (the latency- or geo-routed origin name).
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
   * WEIGHTED: weight per region, 0–255.
   *
   * @default - 1 for every region
   */
  readonly weights?: { [region: string]: number };
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
  /**
   * Origin protection: the name of the origin-verify secret (replicated to us-east-1 by the
   * primary region's stack) whose `current` value CloudFront sends to the regional origins.
   *
   * @default - no header: the load balancers serve any request
   */
  readonly originVerifySecretName?: string;
  /**
   * Changes on each release so that CloudFormation resolves a rotated header value again.
   *
   * @default - no revision tag
   */
  readonly originVerifyRevision?: string;
  /**
   * Typed overrides of the distribution, the web ACL and the purge queue, applied over the props above (see
   * `RegionalOverrides` for the precedence).
   *
   * @default - none
   */
  readonly overrides?: EdgeOverrides;
}

/**
 * Everything that must live in us-east-1, in one stack that references no regional stack: the
 * distribution with its certificate, WAF web ACL, URL normalization, deploy-time and
 * event-driven invalidation, the apex/`www` aliases, GeoDNS (health checks and routed records
 * for `origin.<domain>`), an alarm topic and a dashboard.
 */
export class EdgeStack extends Stack {
  /** The default name of the purge queue of the edge stack named `stackName`. */
  public static purgeQueueName(stackName: string): string {
    return `${stackName}-purge`.replace(/[^A-Za-z0-9_-]/g, '-');
  }

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
    this.alarmTopic = AlarmTopic.create(this, props.alarmTopicName ?? `${this.stackName}-alarms`);

    const routing = props.dnsRouting ?? DnsRouting.LATENCY;
    this.dns = new GlobalDns(this, 'Dns', {
      hostedZone: zone,
      regions: props.regions.map((region, i) => ({
        region,
        geolocations: routing === DnsRouting.GEOLOCATION ? (props.geolocations?.[region] ?? (i === 0 ? ['*'] : [])) : undefined,
        weight: props.weights?.[region],
      })),
      // Only the origin name: with origin protection, the load balancers serve CloudFront alone,
      // so a direct `api.` entry would answer 403 (API clients use the CDN's PRIVATE routes).
      sharedNames: [`origin${relative}`],
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
    this.webAcl = new EdgeWebAcl(this, 'Waf', mergeOptions({ rateLimit: props.rateLimit }, props.overrides?.webAcl));
    const cdnOptions = props.overrides?.distribution;
    this.cdn = new CdnDistribution(this, 'Cdn', {
      ...cdnOptions,
      regionalOrigins: props.regions.map((region) => ({ region, domainName: `${region}.origin.${domain}` })),
      sharedOriginName: `origin.${domain}`,
      domainNames,
      certificate,
      webAclArn: this.webAcl.webAclArn,
      originVerify: props.originVerifySecretName
        ? OriginVerifySecret.forDistribution(props.originVerifySecretName, { revision: props.originVerifyRevision }) : undefined,
      defaultViewerRequestFunction: new ViewerRequestFunction(this, 'Normalize'),
      defaultEdgeLambdas: props.defaultEdgeFunctions?.map((f, i) => f.create(this, `DefaultEdge${i + 1}`)),
      routes: this.createRoutes(props.routes ?? DEFAULT_EDGE_ROUTES),
      alarms: { ...cdnOptions?.alarms, topic: this.alarmTopic },
    });
    new DeployInvalidation(this, 'PurgeOnDeploy', { distribution: this.cdn, paths: props.invalidationPaths ?? ['/', '/index.html'], deploymentId: props.releaseId });
    const purgeOptions = mergeOptions({ visibilityTimeout: Duration.minutes(5) }, props.overrides?.purgeQueue);
    const purgeQueue = new WorkQueue(this, 'PurgeQueue', {
      ...purgeOptions,
      // Wiring: the regions' services send to it by this name.
      queueName: props.purgeQueueName ?? EdgeStack.purgeQueueName(this.stackName),
      alarms: { ...purgeOptions.alarms, topic: this.alarmTopic },
    });
    this.purge = new PurgeOnChange(this, 'PurgeOnChange', { distribution: this.cdn, queue: purgeQueue });

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

  /** The spec's routes as distribution routes, their Lambda@Edge functions created here (us-east-1). */
  private createRoutes(routes: EdgeRouteSpec[]): EdgeRoute[] {
    const v = new Validator(this, 'EdgeStack');
    return routes.map((r, i) => {
      const given = r as EdgeRouteSpec & Partial<Pick<EdgeRoute, 'edgeLambdas' | 'viewerRequestFunction'>>;
      if (r.pathPattern === '*' || r.pathPattern === '/*') {
        v.fail(`routes['${r.pathPattern}'] is the default behaviour (HTML, to the regions), not a route: leave it out; its Lambda@Edge functions go in defaultEdgeFunctions`);
      }
      if (given.edgeLambdas || given.viewerRequestFunction) {
        v.fail(`routes['${r.pathPattern}']: edgeLambdas/viewerRequestFunction made outside the edge stack cannot be associated (another stack or stage: NoCrossStageDependency); describe them with edgeFunctions: [EdgeFunctionSpec.…] and the edge stack creates them`);
      }
      const id = `Route${i + 1}${r.pathPattern.replace(/[^A-Za-z0-9]/g, '')}`;
      const { edgeFunctions, ...options } = r;
      return { ...options, edgeLambdas: edgeFunctions?.map((f, j) => f.create(this, `${id}Edge${j + 1}`)) };
    });
  }
}
