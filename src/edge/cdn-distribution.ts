import { Duration, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { IEdgeLambda } from './edge-functions';
import { originShieldRegionFor } from './origin-shield';
import { DistributionOriginVerify, ORIGIN_VERIFY_REVISION_TAG } from './origin-verify';
import { isDynamicReference, validateOriginVerifyHeaderName } from './private/origin-verify-checks';
import { ViewerRequestFunction } from './viewer-request-function';
import { acknowledge, acknowledgeControlTower, acknowledgePacks, logBucketLockReason } from '../compliance/acknowledge';
import { applyStackProfile, complianceProfile } from '../compliance/profile';
import { notify } from '../private/alarms';
import { bucketEventNotifications } from '../private/buckets';
import { Validator } from '../private/validation';

/** CloudFront's default quota of cache behaviours per distribution (including the default). */
export const MAX_CACHE_BEHAVIORS = 25;
/** TTL of content-hashed static assets. */
export const STATIC_ASSET_TTL = Duration.days(365);
/** Default HTML TTL at the edge. */
export const DEFAULT_HTML_TTL = Duration.seconds(60);
/** Status codes on which an origin group fails over to its second member. */
const FAILOVER_STATUS_CODES = [500, 502, 503, 504];
/** Default public API TTL. */
export const DEFAULT_PUBLIC_API_TTL = Duration.seconds(60);

/**
 * What a path serves, which decides how it is cached.
 */
export enum ContentClass {
  /** Content-hashed static assets from the bucket: cached 1 year, `immutable`, no cookies or query strings in the key. */
  STATIC_ASSETS = 'static-assets',
  /** HTML from the regions: a short TTL (default 60 s) with stale-while-revalidate. */
  HTML = 'html',
  /** Public API responses from the regions: 30–300 s, an explicit query-string allowlist. */
  PUBLIC_API = 'public-api',
  /** Private or user-specific responses and writes: never cached, all viewer headers but Host forwarded, nearest healthy region. */
  PRIVATE = 'private',
}

/**
 * Which origins serve the cacheable content classes (HTML, public API).
 */
export enum CacheableOriginRouting {
  /**
   * An origin group whose primary is the latency-routed, health-checked shared origin name with
   * Origin Shield (in `sharedOriginShieldRegion`), and whose failover is the second region's
   * origin. Misses are consolidated in one Origin Shield Region and resolved from there, so
   * they normally reach the region nearest to it; when that region's health check fails, Route
   * 53 answers with the next healthy region, any of them. Needs `sharedOriginName`.
   */
  LATENCY_ROUTED = 'latency-routed',
  /**
   * An origin group of the first (primary) and second (failover) regional origins, each with
   * Origin Shield in its own recommended region. Other regions serve only the PRIVATE class.
   */
  PRIMARY_FAILOVER = 'primary-failover',
}

/**
 * A regional origin: one region's origin name (e.g. `eu-west-1.origin.example.com`, an alias to its load balancer).
 */
export interface RegionalOrigin {
  /** The region the origin runs in. */
  readonly region: string;

  /** The origin's DNS name, served with a certificate valid for it. */
  readonly domainName: string;

  /**
   * The Origin Shield region.
   *
   * @default - AWS's recommended Origin Shield region for `region` (an error if the table has none)
   */
  readonly originShieldRegion?: string;
}

/**
 * Origin connection settings for the regional and shared origins.
 */
export interface OriginTimeouts {
  /**
   * Time to wait for a response, 1–180 seconds (above 60 needs a quota increase).
   *
   * @default Duration.seconds(30)
   */
  readonly readTimeout?: Duration;

  /**
   * How long an idle connection to the origin stays open, 1–180 seconds (above 60 needs a quota increase).
   *
   * @default Duration.seconds(5)
   */
  readonly keepaliveTimeout?: Duration;

  /**
   * Time to establish a connection, 1–10 seconds.
   *
   * @default Duration.seconds(10)
   */
  readonly connectionTimeout?: Duration;

  /**
   * Connection attempts, 1–3.
   *
   * @default 3
   */
  readonly connectionAttempts?: number;
}

/**
 * A path pattern mapped to a content class, and how it is cached (the part of a route a spec
 * and the distribution share).
 */
export interface EdgeRouteOptions {
  /** Path pattern, e.g. '/assets/*' or '/api/public/*' (at most 255 characters). */
  readonly pathPattern: string;

  /** What the path serves. */
  readonly contentClass: ContentClass;

  /**
   * Edge TTL: HTML 0–3600 seconds, public API 30–300 seconds. Not allowed for static assets (fixed 1 year) or private content.
   *
   * @default 60 seconds
   */
  readonly ttl?: Duration;

  /**
   * Public API only: the query-string parameters that vary the response (and the cache key); required, may be empty.
   *
   * @default - none (required for PUBLIC_API)
   */
  readonly queryStringAllowlist?: string[];

  /**
   * Include the viewer's country in the cache key (for `GeoContentEdgeFunction`).
   *
   * @default false
   */
  readonly varyByCountry?: boolean;
}

/**
 * A route of the distribution: its options and the edge functions associated with it.
 */
export interface EdgeRoute extends EdgeRouteOptions {
  /**
   * Lambda@Edge functions, at most one per event type.
   *
   * @default - none
   */
  readonly edgeLambdas?: IEdgeLambda[];

  /**
   * A CloudFront Function on viewer request (excludes Lambda@Edge on viewer request and response).
   *
   * @default - none
   */
  readonly viewerRequestFunction?: ViewerRequestFunction;
}

/**
 * Default alarms of a distribution (in us-east-1, where CloudFront publishes metrics).
 */
export interface CdnAlarmOptions {
  /**
   * Create the alarms.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Topic notified when an alarm fires or recovers.
   *
   * @default - no action
   */
  readonly topic?: sns.ITopic;

  /**
   * Alarm above this 5xx error rate, 0–100 %.
   *
   * @default 5
   */
  readonly error5xxRatePercent?: number;

  /**
   * Alarm above this origin latency (p90 of the additional metrics).
   *
   * @default Duration.seconds(2)
   */
  readonly originLatency?: Duration;

  /**
   * Alarm below this cache hit rate, 0–100 %.
   *
   * @default 70
   */
  readonly cacheHitRatePercent?: number;
}

/**
 * The tunable properties of a `CdnDistribution`, every one optional: what a `ScaleoutStage`
 * override may set (`TierOverrides`).
 */
export interface CdnDistributionOptions {
  /**
   * Which origins serve the cacheable classes (HTML, public API). CloudFront origin groups have
   * exactly two members, so a group of regional origins can never use a third region.
   *
   * @default - CacheableOriginRouting.LATENCY_ROUTED with `sharedOriginName` and two or more
   * regions, else PRIMARY_FAILOVER (a single region: that region's origin)
   */
  readonly cacheableOriginRouting?: CacheableOriginRouting;

  /**
   * Origin Shield Region of the latency-routed shared origin (LATENCY_ROUTED). CloudFront
   * resolves the shared name from there, so its latency record picks the region nearest to it.
   *
   * @default - AWS's recommended Origin Shield Region for the first regional origin's region
   */
  readonly sharedOriginShieldRegion?: string;

  /**
   * Origin Shield Region of the static-assets bucket origin.
   *
   * @default - AWS's recommended Origin Shield Region for the bucket's region
   */
  readonly staticAssetsOriginShieldRegion?: string;

  /**
   * The class of everything no route matches ('*').
   *
   * @default ContentClass.HTML
   */
  readonly defaultContentClass?: ContentClass;

  /**
   * HTML TTL of the default behaviour, 0–3600 seconds.
   *
   * @default Duration.seconds(60)
   */
  readonly htmlTtl?: Duration;

  /**
   * Price class.
   *
   * @default cloudfront.PriceClass.PRICE_CLASS_ALL
   */
  readonly priceClass?: cloudfront.PriceClass;

  /**
   * Geo restriction.
   *
   * @default - none
   */
  readonly geoRestriction?: cloudfront.GeoRestriction;

  /**
   * Origin connection settings.
   *
   * @default - 30 s read, 5 s keep-alive, 10 s connect, 3 attempts
   */
  readonly originTimeouts?: OriginTimeouts;

  /**
   * The bucket of static assets.
   *
   * @default - a new private, encrypted, versioned, SSL-only bucket (retained), read through Origin Access Control
   */
  readonly staticAssetsBucket?: s3.IBucket;

  /**
   * The object CloudFront returns for a request to the root URL (`/`), e.g. `index.html`.
   *
   * @default - none: '/' goes to the default behaviour's origin as it is
   */
  readonly defaultRootObject?: string;

  /**
   * Standard logging to a log bucket.
   *
   * @default true
   */
  readonly logging?: boolean;

  /**
   * Default alarms.
   *
   * @default - 5xx rate > 5 %, origin latency > 2 s, cache hit rate < 70 %
   */
  readonly alarms?: CdnAlarmOptions;
}

/**
 * Properties of a `CdnDistribution`: its options and the wiring (what it connects to).
 */
export interface CdnDistributionProps extends CdnDistributionOptions {
  /**
   * The regions' origin names; the first is the primary region. See `cacheableOriginRouting`
   * for how cacheable classes use them.
   */
  readonly regionalOrigins: RegionalOrigin[];

  /**
   * The origin-verify header CloudFront adds to every request to the regional and shared
   * origins (not the bucket). Use `OriginVerifySecret.forDistribution(secretName)`: the
   * value is a Secrets Manager dynamic reference, resolved at deploy time.
   *
   * @default - no header: the load balancers cannot tell CloudFront from anyone else
   */
  readonly originVerify?: DistributionOriginVerify;

  /**
   * The latency-routed name across regions (e.g. `origin.example.com`) for PRIVATE content:
   * each viewer reaches its nearest healthy region; no Origin Shield (uncacheable).
   *
   * @default - none; required when a route is PRIVATE
   */
  readonly sharedOriginName?: string;

  /**
   * Edge functions of the default behaviour.
   *
   * @default - none
   */
  readonly defaultEdgeLambdas?: IEdgeLambda[];

  /**
   * CloudFront Function of the default behaviour.
   *
   * @default - none
   */
  readonly defaultViewerRequestFunction?: ViewerRequestFunction;

  /**
   * Path patterns mapped to content classes (at most 24 besides the default behaviour).
   *
   * @default - none
   */
  readonly routes?: EdgeRoute[];

  /**
   * Alternate domain names, e.g. ['example.com', 'www.example.com'] (with `certificate`).
   *
   * @default - the cloudfront.net name only
   */
  readonly domainNames?: string[];

  /**
   * Viewer certificate, in us-east-1, covering `domainNames`.
   *
   * @default - none; required with `domainNames`
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The WAF web ACL (CLOUDFRONT scope), e.g. `EdgeWebAcl.webAclArn`.
   *
   * @default - no WAF (reported by the AwsSolutions checks)
   */
  readonly webAclArn?: string;
}

/**
 * A CloudFront distribution for the edge stack (us-east-1): content classes with their cache,
 * origin-request and response-headers policies; static assets from an S3 bucket through Origin
 * Access Control, with Origin Shield in AWS's recommended region for the bucket; private content
 * from the latency-routed shared origin name without Origin Shield (each viewer's nearest
 * healthy region, so every region serves nearby dynamic traffic). HTTPS only, TLSv1.2_2021,
 * HTTP/2 and HTTP/3, security headers, standard logging, additional metrics and alarms, and
 * optionally the origin-verify header (`OriginVerifySecret`). No reference to the regional
 * stacks: origins are names known at synth.
 *
 * Cacheable content (HTML, public API), by default (`CacheableOriginRouting.LATENCY_ROUTED`): an
 * origin group whose primary is the shared, health-checked latency-routed name with Origin Shield
 * in one region (the first region's recommended one), and whose failover (on 500/502/503/504 and
 * connection errors) is the second region's origin. Why: an origin group has exactly two
 * members, so a group of per-region origins can never use a third region; with Origin Shield
 * "all requests from all of CloudFront's caching layers to your origin go through Origin Shield",
 * which is the point for cacheable content — misses meet in one place — and the shield resolves
 * the latency record from its region, so misses normally go to the region nearest to the shield
 * and, when that region's health check fails, to the next healthy one, whichever it is. Two
 * regions down still leaves a third. `PRIMARY_FAILOVER` keeps the first two regional origins
 * (each with its own shield) and leaves other regions to private content only.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/origin-shield.html
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html
 *
 * @example
 * new CdnDistribution(edgeStack, 'Cdn', {
 *   regionalOrigins: [
 *     { region: 'eu-west-1', domainName: 'eu-west-1.origin.example.com' },
 *     { region: 'us-west-2', domainName: 'us-west-2.origin.example.com' },
 *   ],
 *   sharedOriginName: 'origin.example.com',
 *   routes: [
 *     { pathPattern: '/assets/*', contentClass: ContentClass.STATIC_ASSETS },
 *     { pathPattern: '/api/catalog/*', contentClass: ContentClass.PUBLIC_API, queryStringAllowlist: ['page', 'sort'] },
 *     { pathPattern: '/api/*', contentClass: ContentClass.PRIVATE },
 *   ],
 *   webAclArn: waf.webAclArn,
 * });
 */
export class CdnDistribution extends Construct {
  /** The distribution. */
  public readonly distribution: cloudfront.Distribution;
  /** The static assets bucket. */
  public readonly staticAssetsBucket: s3.IBucket;
  /** The standard-logging bucket, when logging is on. */
  public readonly logsBucket?: s3.Bucket;
  /** The security-headers response policy shared by every behaviour. */
  public readonly securityHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** The Origin Shield region chosen for each regional origin, by origin region. */
  public readonly originShieldRegions: { [region: string]: string } = {};
  /** How the cacheable classes are routed. */
  public readonly cacheableOriginRouting: CacheableOriginRouting;
  /** The Origin Shield Region of the static-assets origin. */
  public readonly staticAssetsOriginShieldRegion: string;
  /** The default alarms. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The Origin Shield Region of the latency-routed shared origin, with LATENCY_ROUTED. */
  public readonly sharedOriginShieldRegion?: string;

  private readonly validator: Validator;
  private readonly staticCachePolicy: cloudfront.CachePolicy;
  private readonly staticHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  private readonly regionalOrigin: cloudfront.IOrigin;
  private readonly sharedOrigin?: cloudfront.IOrigin;
  private readonly staticOrigin: cloudfront.IOrigin;

  constructor(scope: Construct, id: string, props: CdnDistributionProps) {
    super(scope, id);
    const v = this.validator = new Validator(this, 'CdnDistribution');
    const routes = props.routes ?? [];
    const defaultClass = props.defaultContentClass ?? ContentClass.HTML;

    // ---- validation -------------------------------------------------------------------
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      v.fail(`the distribution belongs in the us-east-1 edge stack (with its certificate, WAF and Lambda@Edge), got region ${region}`);
    }
    v.range('regionalOrigins.length', props.regionalOrigins.length, 1, 10);
    const originRegions = new Set<string>();
    for (const o of props.regionalOrigins) {
      if (originRegions.has(o.region)) v.fail(`regionalOrigins must name each region once, got ${o.region} twice`);
      originRegions.add(o.region);
      v.pattern('regionalOrigins.domainName', o.domainName, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'a lowercase DNS name');
      const shield = o.originShieldRegion ?? originShieldRegionFor(o.region);
      if (!shield) {
        v.fail(`regionalOrigins: no recommended Origin Shield region is known for ${o.region}; set originShieldRegion explicitly (see "Choosing the AWS Region for Origin Shield")`);
      }
      v.pattern('regionalOrigins.originShieldRegion', shield, /^[a-z]{2}-[a-z]+-\d$/, 'a region code like us-east-2');
      this.originShieldRegions[o.region] = shield!;
    }
    if (props.domainNames?.length && !props.certificate) v.fail(`domainNames ${props.domainNames.join(', ')} need a certificate (in us-east-1)`);
    if (props.certificate && !props.domainNames?.length) v.fail('certificate needs domainNames (the names it serves), got none');
    if (props.certificate instanceof Construct) {
      const certRegion = Stack.of(props.certificate).region;
      if (!Token.isUnresolved(certRegion) && certRegion !== 'us-east-1') v.fail(`certificate must be in us-east-1 for CloudFront, got ${certRegion}`);
    }
    const t = props.originTimeouts ?? {};
    v.seconds('originTimeouts.readTimeout', t.readTimeout, 1, 180);
    v.seconds('originTimeouts.keepaliveTimeout', t.keepaliveTimeout, 1, 180);
    v.seconds('originTimeouts.connectionTimeout', t.connectionTimeout, 1, 10);
    v.range('originTimeouts.connectionAttempts', t.connectionAttempts, 1, 3);
    v.seconds('htmlTtl', props.htmlTtl, 0, 3600);
    v.range('routes.length', routes.length, 0, MAX_CACHE_BEHAVIORS - 1);
    const patterns = new Set<string>();
    v.enumValue('defaultContentClass', props.defaultContentClass, ContentClass, 'ContentClass');
    v.enumValue('cacheableOriginRouting', props.cacheableOriginRouting, CacheableOriginRouting, 'CacheableOriginRouting');
    for (const r of routes) {
      v.enumValue(`routes['${r.pathPattern}'].contentClass`, r.contentClass, ContentClass, 'ContentClass');
      v.pattern('routes.pathPattern', r.pathPattern, /^\/?[A-Za-z0-9_\-.*$/~"'@:+&?]{1,254}$/, "a path pattern of up to 255 characters of A-Z a-z 0-9 _ - . * $ / ~ \" ' @ : + & ?");
      if (r.pathPattern === '*' || r.pathPattern === '/*') v.fail(`routes.pathPattern '${r.pathPattern}' is the default behaviour; use defaultContentClass`);
      if (patterns.has(r.pathPattern)) v.fail(`routes.pathPattern must be unique, got '${r.pathPattern}' twice`);
      patterns.add(r.pathPattern);
      this.validateRoute(r);
    }
    const classes = [defaultClass, ...routes.map((r) => r.contentClass)];
    if (classes.includes(ContentClass.PRIVATE) && !props.sharedOriginName) {
      v.fail('a PRIVATE route needs sharedOriginName (the latency-routed origin name), got none');
    }
    if (defaultClass === ContentClass.PUBLIC_API) v.fail('defaultContentClass PUBLIC_API needs a query-string allowlist; map the API path with a route instead');
    this.validateEdgeFunctions('default behaviour', props.defaultEdgeLambdas ?? [], props.defaultViewerRequestFunction);
    const alarmOpts = props.alarms ?? {};
    v.range('alarms.error5xxRatePercent', alarmOpts.error5xxRatePercent, 0, 100, { integer: false });
    v.range('alarms.cacheHitRatePercent', alarmOpts.cacheHitRatePercent, 0, 100, { integer: false });
    const multiRegion = props.regionalOrigins.length > 1;
    this.cacheableOriginRouting = props.cacheableOriginRouting
      ?? (props.sharedOriginName && multiRegion ? CacheableOriginRouting.LATENCY_ROUTED : CacheableOriginRouting.PRIMARY_FAILOVER);
    if (this.cacheableOriginRouting === CacheableOriginRouting.LATENCY_ROUTED && !props.sharedOriginName) {
      v.fail('cacheableOriginRouting LATENCY_ROUTED needs sharedOriginName (the latency-routed origin name), got none');
    }
    if (props.sharedOriginShieldRegion !== undefined && this.cacheableOriginRouting !== CacheableOriginRouting.LATENCY_ROUTED) {
      v.fail(`sharedOriginShieldRegion applies to cacheableOriginRouting LATENCY_ROUTED, got ${props.sharedOriginShieldRegion} with ${this.cacheableOriginRouting}`);
    }
    v.pattern('sharedOriginShieldRegion', props.sharedOriginShieldRegion, /^[a-z]{2}-[a-z]+-\d$/, 'a region code like us-east-2');
    v.pattern('staticAssetsOriginShieldRegion', props.staticAssetsOriginShieldRegion, /^[a-z]{2}-[a-z]+-\d$/, 'a region code like us-east-2');
    if (props.originVerify) {
      validateOriginVerifyHeaderName(v, 'originVerify.headerName', props.originVerify.headerName);
      const value = props.originVerify.value;
      if (!Token.isUnresolved(value) && !isDynamicReference(value)) {
        v.fail('originVerify.value must be a dynamic reference to the secret (e.g. OriginVerifySecret.forDistribution(name)), got a literal: it would be readable in the template');
      }
    }

    // ---- buckets ----------------------------------------------------------------------
    if (props.logging ?? true) {
      this.logsBucket = new s3.Bucket(this, 'Logs', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        // CloudFront standard logging writes with ACLs.
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
        removalPolicy: RemovalPolicy.RETAIN,
        // Versioned under a regulatory pack (ComplianceDefaults.versionLogBuckets); old versions
        // expire with the logs.
        versioned: complianceProfile(this).versionLogBuckets,
        lifecycleRules: [{
          expiration: Duration.days(90),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          ...(complianceProfile(this).versionLogBuckets ? { noncurrentVersionExpiration: Duration.days(90) } : {}),
        }],
      });
    }
    if (this.logsBucket) this.acknowledgeLogsBucket(this.logsBucket, !props.staticAssetsBucket);
    // Under a regulatory pack (ComplianceDefaults.kmsBuckets) the static assets are encrypted with
    // a customer-managed key; the Origin Access Control origin grants the distribution kms:Decrypt.
    const kmsAssets = !props.staticAssetsBucket && complianceProfile(this).kmsBuckets;
    this.staticAssetsBucket = props.staticAssetsBucket ?? new s3.Bucket(this, 'StaticAssets', {
      ...(kmsAssets ? {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.createStaticAssetsKey(),
        bucketKeyEnabled: true,
      } : { encryption: s3.BucketEncryption.S3_MANAGED }),
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: this.logsBucket ? 'static-assets-access/' : undefined,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
    });
    if (!props.staticAssetsBucket) this.acknowledgeStaticAssetsBucket(this.staticAssetsBucket as s3.Bucket);
    if (kmsAssets) {
      // S3BucketOrigin.withOriginAccessControl matches every distribution of the account in the key
      // policy: the distribution's own ARN would make the key, bucket and distribution a cycle.
      acknowledge(this, {
        'Annotation::@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac': 'The static-assets key admits CloudFront (cloudfront.amazonaws.com) for kms:Decrypt '
          + "from the account's distributions only (AWS:SourceArn distribution/*); the bucket policy admits this distribution alone.",
      });
    }
    if (!this.logsBucket && !props.staticAssetsBucket) {
      acknowledge(this.staticAssetsBucket, { 'AwsSolutions-S1': 'Logging turned off explicitly with logging: false.' });
    }
    // The log bucket is the static-assets bucket's access-log target, which satisfies cdk-nag's
    // S1; with a bucket of the user's (logged wherever its owner decided), it is not.
    if (this.logsBucket && props.staticAssetsBucket) {
      acknowledge(this.logsBucket, {
        'AwsSolutions-S1': 'This bucket receives CloudFront standard logs; logging access to it would only log the log delivery.',
      });
    }

    // ---- origins ----------------------------------------------------------------------
    const httpOriginProps = {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      readTimeout: t.readTimeout ?? Duration.seconds(30),
      keepaliveTimeout: t.keepaliveTimeout ?? Duration.seconds(5),
      connectionTimeout: t.connectionTimeout ?? Duration.seconds(10),
      connectionAttempts: t.connectionAttempts ?? 3,
    };
    const customHeaders = props.originVerify ? { [props.originVerify.headerName]: props.originVerify.value } : undefined;
    const group = (primaryOrigin: cloudfront.IOrigin, fallbackOrigin: cloudfront.IOrigin) =>
      new origins.OriginGroup({ primaryOrigin, fallbackOrigin, fallbackStatusCodes: FAILOVER_STATUS_CODES });
    const regionalOriginOf = (i: number) => new origins.HttpOrigin(props.regionalOrigins[i].domainName, {
      ...httpOriginProps,
      customHeaders,
      originShieldEnabled: true,
      originShieldRegion: this.originShieldRegions[props.regionalOrigins[i].region],
    });
    if (props.sharedOriginName) {
      v.pattern('sharedOriginName', props.sharedOriginName, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'a lowercase DNS name');
      // Uncacheable traffic: no Origin Shield ("not a good fit" for dynamic content).
      this.sharedOrigin = new origins.HttpOrigin(props.sharedOriginName, { ...httpOriginProps, customHeaders });
    }
    if (this.cacheableOriginRouting === CacheableOriginRouting.LATENCY_ROUTED) {
      // Misses meet in one Origin Shield Region, which resolves the health-checked latency
      // record: every healthy region can serve them, not only two.
      const shield = props.sharedOriginShieldRegion ?? this.originShieldRegions[props.regionalOrigins[0].region];
      this.sharedOriginShieldRegion = shield;
      const shared = new origins.HttpOrigin(props.sharedOriginName!, {
        ...httpOriginProps, customHeaders, originShieldEnabled: true, originShieldRegion: shield,
      });
      this.regionalOrigin = multiRegion
        ? group(shared, regionalOriginOf(1))
        : shared;
    } else {
      this.regionalOrigin = multiRegion
        ? group(regionalOriginOf(0), regionalOriginOf(1))
        : regionalOriginOf(0);
    }
    const bucketRegion = Token.isUnresolved(this.staticAssetsBucket.env.region) ? region : this.staticAssetsBucket.env.region;
    const staticShield = props.staticAssetsOriginShieldRegion ?? (Token.isUnresolved(bucketRegion) ? undefined : originShieldRegionFor(bucketRegion));
    if (!staticShield) {
      v.fail(`no recommended Origin Shield region is known for the static-assets bucket's region ${bucketRegion}; set staticAssetsOriginShieldRegion`);
    }
    this.staticAssetsOriginShieldRegion = staticShield!;
    this.staticOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.staticAssetsBucket, {
      originShieldEnabled: true,
      originShieldRegion: staticShield,
    });

    // ---- policies ---------------------------------------------------------------------
    this.securityHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'cdk-scaleout security headers',
      securityHeadersBehavior: securityHeaders(),
    });
    this.staticCachePolicy = new cloudfront.CachePolicy(this, 'StaticAssetsCache', {
      comment: 'cdk-scaleout: content-hashed static assets, 1 year',
      minTtl: STATIC_ASSET_TTL,
      defaultTtl: STATIC_ASSET_TTL,
      maxTtl: STATIC_ASSET_TTL,
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    this.staticHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'StaticAssetsHeaders', {
      comment: 'cdk-scaleout: immutable static assets',
      securityHeadersBehavior: securityHeaders(),
      customHeadersBehavior: { customHeaders: [{ header: 'Cache-Control', value: `public, max-age=${STATIC_ASSET_TTL.toSeconds()}, immutable`, override: true }] },
    });

    // ---- distribution -----------------------------------------------------------------
    const defaultBehavior = this.behavior('Default', {
      pathPattern: '*',
      contentClass: defaultClass,
      ttl: defaultClass === ContentClass.HTML ? props.htmlTtl : undefined,
      edgeLambdas: props.defaultEdgeLambdas,
      viewerRequestFunction: props.defaultViewerRequestFunction,
    });
    const additionalBehaviors: Record<string, cloudfront.BehaviorOptions> = {};
    routes.forEach((r, i) => { additionalBehaviors[r.pathPattern] = this.behavior(`Route${i}`, r); });

    this.distribution = new cloudfront.Distribution(this, 'Resource', {
      comment: `${this.node.path}`,
      defaultBehavior,
      additionalBehaviors,
      domainNames: props.domainNames,
      certificate: props.certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      sslSupportMethod: cloudfront.SSLMethod.SNI,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_ALL,
      geoRestriction: props.geoRestriction,
      webAclId: props.webAclArn,
      defaultRootObject: props.defaultRootObject,
      enableLogging: !!this.logsBucket,
      logBucket: this.logsBucket,
      logFilePrefix: this.logsBucket ? 'cloudfront/' : undefined,
      publishAdditionalMetrics: true,
    });
    if (props.originVerify?.revision !== undefined) {
      // A new revision changes the distribution, so CloudFormation resolves the header value again.
      Tags.of(this.distribution).add(ORIGIN_VERIFY_REVISION_TAG, props.originVerify.revision);
    }
    if (props.defaultRootObject === undefined) {
      acknowledgeControlTower(this.distribution, {
        cloudfront_default_root_object_configured_check: defaultClass === ContentClass.STATIC_ASSETS
          ? "No default root object: '/' goes to the static-assets bucket through Origin Access Control, whose bucket policy grants s3:GetObject only, so no listing is served; set defaultRootObject to serve a file at '/'."
          : `No default root object: the default behaviour (${defaultClass}) forwards '/' to the application origin, which serves its own root; a default root object would rewrite '/' to a file path.`,
      });
    }
    if (!multiRegion) {
      acknowledgeControlTower(this.distribution, {
        cloudfront_origin_failover_enabled_check: `One regional origin (${props.regionalOrigins[0].region}): an origin group needs a second origin to fail over to; with a second region in regionalOrigins the cacheable classes use a primary/failover origin group.`,
      });
    }
    if (!props.geoRestriction) {
      acknowledge(this.distribution, {
        'AwsSolutions-CFR1': 'Serves a global audience; restrict countries with geoRestriction where required.',
      });
    }
    if (!props.certificate) {
      acknowledge(this.distribution, {
        'AwsSolutions-CFR4': 'No custom domain: the cloudfront.net certificate cannot pin TLSv1.2_2021; give domainNames and certificate for production.',
      });
    }

    if (alarmOpts.enabled ?? true) this.createAlarms(alarmOpts);
  }

  /** The distribution's domain name (`d123.cloudfront.net`). */
  public get distributionDomainName(): string {
    return this.distribution.distributionDomainName;
  }

  /** The distribution ID. */
  public get distributionId(): string {
    return this.distribution.distributionId;
  }

  /**
   * A CloudFront metric of this distribution, with the `DistributionId` and `Region: Global`
   * dimensions CloudFront publishes (aws-cdk-lib's own CloudFront metrics omit `Region` and
   * match no data: aws-cdk #19245), in us-east-1.
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/CloudFront',
      metricName,
      dimensionsMap: { DistributionId: this.distribution.distributionId, Region: 'Global' },
      region: 'us-east-1',
      period: Duration.minutes(5),
      statistic: 'Average',
      ...props,
    });
  }

  /** 5xx error rate in percent, average per 5 minutes. */
  public metric5xxErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('5xxErrorRate', props);
  }

  /** Origin latency in milliseconds (additional metrics), p90 per 5 minutes. */
  public metricOriginLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('OriginLatency', { statistic: 'p90', ...props });
  }

  /** Cache hit rate in percent (additional metrics), average per 5 minutes. */
  public metricCacheHitRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CacheHitRate', props);
  }

  /** Requests, sum per 5 minutes. */
  public metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Requests', { statistic: 'Sum', ...props });
  }

  /**
   * The static-assets key: rotated, retained. S3 (SSE-KMS with a bucket key) and CloudFront's
   * Origin Access Control use it directly, never through grants; under `restrictKeyGrants` the
   * stack's key-policy aspect denies grants but to AWS services for AWS resources, as on every key.
   */
  private createStaticAssetsKey(): kms.Key {
    applyStackProfile(this);
    return new kms.Key(this, 'StaticAssetsKey', {
      description: `${this.node.path} static assets (read by CloudFront through Origin Access Control)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The regulatory packs' findings on the standard-logging bucket that it keeps on purpose. */
  private acknowledgeLogsBucket(bucket: s3.Bucket, accessLogTarget: boolean): void {
    bucketEventNotifications(bucket);
    const writers = accessLogTarget
      ? 'CloudFront standard logs (legacy) and the static-assets bucket\'s S3 server access logs'
      : 'CloudFront standard logs (legacy)';
    const sseS3 = `Receives ${writers}, written by the services' log delivery (CloudFront's through object ACLs); `
      + 'it stays on SSE-S3, which those deliveries use without a KMS key policy that grants them the key.';
    acknowledgePacks(bucket, 'S3DefaultEncryptionKMS', ['R5', 'HIPAA', 'PCI'], sseS3);
    const replication = `Holds ${writers}, kept 90 days in us-east-1 (S3 stores them across at least three Availability Zones); `
      + 'cdk-scaleout does not copy them to a second region.';
    acknowledgePacks(bucket, 'S3BucketReplicationEnabled', ['R4', 'R5', 'HIPAA', 'PCI'], replication);
    const lock = logBucketLockReason(`the delivery of ${writers}`, complianceProfile(this).versionLogBuckets);
    acknowledgePacks(bucket, 'S3BucketDefaultLockEnabled', ['R4'], lock);
    acknowledgeControlTower(bucket, {
      s3_bucket_default_encryption_kms_check: sseS3,
      s3_bucket_object_lock_enabled_check: lock,
      s3_bucket_logging_enabled_check: `This bucket receives ${writers}; logging access to it would only log the log deliveries.`,
      // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html
      s3_bucket_acl_prohibited_check: 'CloudFront standard logging (legacy) writes log files with object ACLs (its awslogsdelivery account gets FULL_CONTROL), '
        + 'so the bucket keeps ACLs enabled (Object Ownership BucketOwnerPreferred); all public access stays blocked.',
    });
  }

  /** The regulatory packs' findings on the static-assets bucket that it keeps on purpose. */
  private acknowledgeStaticAssetsBucket(bucket: s3.Bucket): void {
    bucketEventNotifications(bucket);
    const rebuildable = 'Meant for build outputs (content-hashed assets) that the application\'s deployment uploads and can upload again; the bucket is versioned (noncurrent versions expire after 30 days) and retained on stack deletion';
    acknowledgePacks(bucket, 'S3BucketReplicationEnabled', ['R4', 'R5', 'HIPAA', 'PCI'],
      `${rebuildable}, and S3 stores it across at least three Availability Zones of its region; cdk-scaleout does not copy it to a second region.`);
    const lock = `${rebuildable}: an Object Lock retention would only keep superseded builds undeletable for the lock period.`;
    acknowledgePacks(bucket, 'S3BucketDefaultLockEnabled', ['R4'], lock);
    acknowledgeControlTower(bucket, { s3_bucket_object_lock_enabled_check: lock });
  }

  private validateRoute(r: EdgeRoute): void {
    const v = this.validator;
    const where = `route '${r.pathPattern}'`;
    switch (r.contentClass) {
      case ContentClass.STATIC_ASSETS:
        if (r.ttl) v.fail(`${where}: ttl does not apply to STATIC_ASSETS (content-hashed names are cached ${STATIC_ASSET_TTL.toDays()} days), got ${r.ttl.toHumanString()}`);
        if (r.queryStringAllowlist) v.fail(`${where}: queryStringAllowlist does not apply to STATIC_ASSETS (no query strings in the key)`);
        break;
      case ContentClass.HTML:
        v.seconds(`${where} ttl`, r.ttl, 0, 3600);
        if (r.queryStringAllowlist) v.fail(`${where}: queryStringAllowlist applies to PUBLIC_API routes only`);
        break;
      case ContentClass.PUBLIC_API:
        v.seconds(`${where} ttl`, r.ttl, 30, 300);
        if (!r.queryStringAllowlist) v.fail(`${where}: PUBLIC_API needs an explicit queryStringAllowlist (may be empty)`);
        v.range(`${where} queryStringAllowlist.length`, r.queryStringAllowlist?.length, 0, 10);
        for (const q of r.queryStringAllowlist ?? []) v.pattern(`${where} queryStringAllowlist`, q, /^[A-Za-z0-9_.~-]{1,128}$/, 'parameter names of [A-Za-z0-9_.~-]');
        break;
      case ContentClass.PRIVATE:
        if (r.ttl) v.fail(`${where}: a PRIVATE route is never cached; remove ttl, got ${r.ttl.toHumanString()}`);
        if (r.queryStringAllowlist) v.fail(`${where}: a PRIVATE route forwards every query string; remove queryStringAllowlist`);
        if (r.varyByCountry) v.fail(`${where}: varyByCountry applies to cached classes, got it on PRIVATE`);
        break;
    }
    if (r.varyByCountry && r.contentClass === ContentClass.STATIC_ASSETS) v.fail(`${where}: varyByCountry does not apply to STATIC_ASSETS`);
    this.validateEdgeFunctions(where, r.edgeLambdas ?? [], r.viewerRequestFunction);
  }

  private validateEdgeFunctions(where: string, edgeLambdas: IEdgeLambda[], cfFunction?: ViewerRequestFunction): void {
    const v = this.validator;
    const seen = new Set<string>();
    for (const e of edgeLambdas) {
      if (seen.has(e.eventType)) v.fail(`${where}: at most one Lambda@Edge function per event type, got two for ${e.eventType}`);
      seen.add(e.eventType);
      validateEdgeLambdaLimits(v, where, e);
    }
    if (cfFunction && (seen.has(cloudfront.LambdaEdgeEventType.VIEWER_REQUEST) || seen.has(cloudfront.LambdaEdgeEventType.VIEWER_RESPONSE))) {
      v.fail(`${where}: a CloudFront Function on viewer request excludes Lambda@Edge on viewer request and viewer response`);
    }
  }

  private behavior(id: string, r: EdgeRoute): cloudfront.BehaviorOptions {
    const common = {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      compress: true,
      edgeLambdas: (r.edgeLambdas ?? []).map((e) => ({ functionVersion: e.version, eventType: e.eventType })),
      functionAssociations: r.viewerRequestFunction
        ? [{ function: r.viewerRequestFunction.function, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }] : undefined,
    };
    const countryHeader = r.varyByCountry ? cloudfront.CacheHeaderBehavior.allowList('CloudFront-Viewer-Country') : cloudfront.CacheHeaderBehavior.none();
    switch (r.contentClass) {
      case ContentClass.STATIC_ASSETS:
        return {
          ...common,
          origin: this.staticOrigin,
          cachePolicy: this.staticCachePolicy,
          responseHeadersPolicy: this.staticHeadersPolicy,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        };
      case ContentClass.HTML: {
        const ttl = r.ttl ?? DEFAULT_HTML_TTL;
        return {
          ...common,
          origin: this.regionalOrigin,
          cachePolicy: new cloudfront.CachePolicy(this, `${id}HtmlCache`, {
            comment: `cdk-scaleout: HTML ${r.pathPattern}, ${ttl.toSeconds()} s`,
            minTtl: Duration.seconds(0),
            defaultTtl: ttl,
            maxTtl: Duration.seconds(Math.max(ttl.toSeconds(), 300)),
            cookieBehavior: cloudfront.CacheCookieBehavior.none(),
            headerBehavior: countryHeader,
            queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
            enableAcceptEncodingGzip: true,
            enableAcceptEncodingBrotli: true,
          }),
          responseHeadersPolicy: new cloudfront.ResponseHeadersPolicy(this, `${id}HtmlHeaders`, {
            comment: `cdk-scaleout: HTML ${r.pathPattern}`,
            securityHeadersBehavior: securityHeaders(),
            // Browsers revalidate in the background; the origin's own Cache-Control wins.
            customHeadersBehavior: {
              customHeaders: [{ header: 'Cache-Control', value: `public, max-age=${ttl.toSeconds()}, stale-while-revalidate=${Math.max(ttl.toSeconds(), 60) * 5}`, override: false }],
            },
          }),
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        };
      }
      case ContentClass.PUBLIC_API: {
        const ttl = r.ttl ?? DEFAULT_PUBLIC_API_TTL;
        const qs = r.queryStringAllowlist ?? [];
        return {
          ...common,
          origin: this.regionalOrigin,
          cachePolicy: new cloudfront.CachePolicy(this, `${id}ApiCache`, {
            comment: `cdk-scaleout: public API ${r.pathPattern}, ${ttl.toSeconds()} s`,
            minTtl: Duration.seconds(0),
            defaultTtl: ttl,
            maxTtl: ttl,
            cookieBehavior: cloudfront.CacheCookieBehavior.none(),
            headerBehavior: countryHeader,
            queryStringBehavior: qs.length ? cloudfront.CacheQueryStringBehavior.allowList(...qs) : cloudfront.CacheQueryStringBehavior.none(),
            enableAcceptEncodingGzip: true,
            enableAcceptEncodingBrotli: true,
          }),
          responseHeadersPolicy: this.securityHeadersPolicy,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        };
      }
      case ContentClass.PRIVATE:
        return {
          ...common,
          origin: this.sharedOrigin!,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.securityHeadersPolicy,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        };
    }
  }

  private createAlarms(o: CdnAlarmOptions): void {
    const common = { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING };
    const latency = o.originLatency ?? Duration.seconds(2);
    const alarms = [
      this.metric5xxErrorRate().createAlarm(this, 'Error5xxRateAlarm', {
        ...common,
        threshold: o.error5xxRatePercent ?? 5,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescription: `${this.node.path}: 5xx error rate above ${o.error5xxRatePercent ?? 5} % for 3 of 3 periods`,
      }),
      this.metricOriginLatency().createAlarm(this, 'OriginLatencyAlarm', {
        ...common,
        threshold: latency.toMilliseconds(),
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescription: `${this.node.path}: p90 origin latency above ${latency.toHumanString()} for 3 of 3 periods`,
      }),
      this.metricCacheHitRate().createAlarm(this, 'CacheHitRateAlarm', {
        ...common,
        threshold: o.cacheHitRatePercent ?? 70,
        evaluationPeriods: 6,
        datapointsToAlarm: 4,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        alarmDescription: `${this.node.path}: cache hit rate below ${o.cacheHitRatePercent ?? 70} % for 4 of 6 periods`,
      }),
    ];
    notify(alarms, o.topic);
    this.alarms.push(...alarms);
  }
}

function securityHeaders(): cloudfront.ResponseSecurityHeadersBehavior {
  return {
    strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, preload: true, override: true },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
    referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
    xssProtection: { protection: true, modeBlock: true, override: true },
  };
}

/**
 * Checks a Lambda@Edge association against the Lambda@Edge restrictions: us-east-1, no
 * environment variables, no VPC, x86_64, and timeout / memory per event type.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-restrictions.html
 */
function validateEdgeLambdaLimits(v: Validator, where: string, e: IEdgeLambda): void {
  const fn = e.version.lambda;
  if (!(fn instanceof lambda.Function)) return; // imported: nothing to inspect at synth
  const name = `${where}: Lambda@Edge '${fn.node.path}'`;
  const region = Stack.of(fn).region;
  if (!Token.isUnresolved(region) && region !== 'us-east-1') v.fail(`${name} must be in us-east-1, got ${region}`);
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const env = Stack.of(fn).resolve(cfn.environment) as { variables?: Record<string, string> } | undefined;
  if (env?.variables && Object.keys(env.variables).length > 0) {
    v.fail(`${name} must not have environment variables (Lambda@Edge limit), got ${Object.keys(env.variables).join(', ')}; bake configuration into the code`);
  }
  if (cfn.vpcConfig) v.fail(`${name} must not be in a VPC (Lambda@Edge limit)`);
  const arch = Stack.of(fn).resolve(cfn.architectures) as string[] | undefined;
  if (arch && arch.some((a) => a !== 'x86_64')) v.fail(`${name} must use architecture x86_64 (Lambda@Edge limit), got ${arch.join(', ')}`);
  const isViewer = e.eventType === cloudfront.LambdaEdgeEventType.VIEWER_REQUEST || e.eventType === cloudfront.LambdaEdgeEventType.VIEWER_RESPONSE;
  const timeout = Stack.of(fn).resolve(cfn.timeout) as number | undefined ?? 3;
  const memory = Stack.of(fn).resolve(cfn.memorySize) as number | undefined ?? 128;
  if (typeof timeout === 'number' && timeout > (isViewer ? 5 : 30)) {
    v.fail(`${name} timeout must be at most ${isViewer ? 5 : 30} seconds for ${e.eventType}, got ${timeout} seconds`);
  }
  if (typeof memory === 'number' && (isViewer ? memory !== 128 : memory > 10240)) {
    v.fail(`${name} memorySize must be ${isViewer ? '128 MB' : 'at most 10240 MB'} for ${e.eventType}, got ${memory} MB`);
  }
}
