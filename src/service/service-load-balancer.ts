import { Duration, Names, RemovalPolicy, Tags, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeControlTower, acknowledgePacks, logBucketLockReason } from '../compliance/acknowledge';
import { complianceProfile } from '../compliance/profile';
import { DEFAULT_OPEN_PATHS, LoadBalancerOriginVerify, ORIGIN_VERIFY_REVISION_TAG } from '../edge/origin-verify';
import { isDynamicReference, validateOriginVerifyHeaderName } from '../edge/private/origin-verify-checks';
import { bucketEventNotifications } from '../private/buckets';
import { Validator } from '../private/validation';
import { logWebAcl } from '../private/waf-logging';

/** Default ALB idle timeout. WebSocket services usually want minutes. */
export const DEFAULT_IDLE_TIMEOUT = Duration.seconds(60);
/** Default rate limit of the ALB's web ACL: requests per client IP per 5 minutes. */
export const DEFAULT_WEB_ACL_RATE_LIMIT = 2000;
/** Default expiry of load-balancer access logs. */
export const DEFAULT_ACCESS_LOG_EXPIRATION = Duration.days(90);
/** Maximum rule priority of an ALB listener. */
const MAX_RULE_PRIORITY = 50_000;
/** An ALB rule's conditions may hold at most 5 values in all. */
const MAX_CONDITION_VALUES = 5;
/** With origin verification: the rule of the route without conditions (checks the header only). */
const DEFAULT_ROUTE_PRIORITY = MAX_RULE_PRIORITY;
/** With origin verification: the rule that serves `openPaths` without the header. */
const OPEN_PATHS_PRIORITY = MAX_RULE_PRIORITY - 1;
/** ALB path patterns: up to 128 characters from '/', wildcards * and ?. */
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+*?&=!%]{0,127}$/;
const PATH_PATTERN_DESCRIPTION = "a path of up to 128 characters starting with '/' (wildcards * and ?)";

/**
 * Which kind of load balancer fronts the services.
 */
export enum LoadBalancerType {
  /** Application Load Balancer (L7): HTTPS, path and host routing, per-request algorithms. */
  APPLICATION = 'application',
  /** Network Load Balancer (L4): TCP or TLS, flow hashing, source-IP stickiness, static IPs. */
  NETWORK = 'network',
}

/**
 * The listener protocol of a Network Load Balancer.
 */
export enum NetworkListenerProtocol {
  /** TLS terminated on the load balancer with the given certificate. */
  TLS = 'TLS',
  /** Plain TCP passed through; TLS, if any, ends in the task. */
  TCP = 'TCP',
}

/**
 * The tunable properties of a `ServiceLoadBalancer`, every one optional: what a `ScaleoutStage`
 * override may set (`TierOverrides`).
 */
export interface ServiceLoadBalancerOptions {
  /**
   * ALB (L7) or NLB (L4).
   *
   * @default LoadBalancerType.APPLICATION
   */
  readonly type?: LoadBalancerType;

  /**
   * Whether the load balancer has public addresses.
   *
   * @default true
   */
  readonly internetFacing?: boolean;

  /**
   * TLS security policy of the HTTPS/TLS listener.
   *
   * @default elbv2.SslPolicy.RECOMMENDED_TLS (TLS 1.3 and 1.2, forward secrecy)
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * ALB idle timeout, 1–4000 seconds. WebSockets and long polls need long ones.
   *
   * @default Duration.seconds(60)
   */
  readonly idleTimeout?: Duration;

  /**
   * Protect the load balancer from deletion.
   *
   * @default false, or true under a regulatory compliance pack (`ComplianceDefaults.loadBalancerDeletionProtection`)
   */
  readonly deletionProtection?: boolean;

  /**
   * Write access logs (ALB always; NLB for TLS listeners).
   *
   * @default true
   */
  readonly accessLogs?: boolean;

  /**
   * Bucket for access logs. It must use SSE-S3 (load balancers cannot write to SSE-KMS buckets).
   *
   * @default - a new encrypted, SSL-only, private bucket retained on deletion
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * How long the created access-log bucket keeps logs.
   *
   * @default Duration.days(90)
   */
  readonly accessLogsExpiration?: Duration;

  /**
   * NLB listener protocol.
   *
   * @default NetworkListenerProtocol.TLS
   */
  readonly networkProtocol?: NetworkListenerProtocol;

  /**
   * NLB listener port, 1–65535.
   *
   * @default 443
   */
  readonly networkPort?: number;

  /**
   * NLB cross-zone load balancing (ALBs always balance across zones).
   *
   * @default true
   */
  readonly crossZoneEnabled?: boolean;
}

/**
 * Properties of a `ServiceLoadBalancer`: its options and the wiring (what it connects to).
 */
export interface ServiceLoadBalancerProps extends ServiceLoadBalancerOptions {
  /** The VPC; the load balancer goes in its public subnets (or private ones when internal). */
  readonly vpc: ec2.IVpc;

  /**
   * The certificate of the HTTPS (ALB) or TLS (NLB) listener. Give this, or `domainName`
   * and `hostedZone` to have a DNS-validated certificate created.
   *
   * @default - created from `domainName` and `hostedZone`
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The name clients use, for the certificate created when `certificate` is not given.
   *
   * @default - none; `certificate` is required then (except for an NLB with a TCP listener)
   */
  readonly domainName?: string;

  /**
   * More names on the created certificate (e.g. the shared origin name of a multi-region setup).
   *
   * @default - none
   */
  readonly subjectAlternativeNames?: string[];

  /**
   * The hosted zone that validates the created certificate. Import it by attributes
   * (`HostedZone.fromHostedZoneAttributes`): no lookups at synth.
   *
   * @default - none; required with `domainName`
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * Require CloudFront's origin-verify header (ALB only): every route's rule gets an
   * `http-header` condition with the accepted values, the default action becomes a fixed 403,
   * and `openPaths` (default `/health`, for Route 53 health checkers, which cannot send custom
   * headers) are forwarded to the default route without the header. Priorities 49999 and 50000
   * are then reserved. Use `OriginVerifySecret.forLoadBalancer(secretName)`.
   *
   * The security group still admits any IPv4 address on 443: the CloudFront origin-facing prefix
   * list would shut out the direct `api.` entry and Route 53 health checkers, and needs a lookup
   * per region (see the README, "Origin protection").
   *
   * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html
   * @default - no header required: anyone who finds the name reaches the services directly
   */
  readonly originVerify?: LoadBalancerOriginVerify;

  /**
   * Associate a regional AWS WAF web ACL with the ALB (ALB only): the AWS managed common rule
   * set and known-bad-inputs rule groups, and a rate-based rule that blocks a client IP above
   * `webAclRateLimit` requests per 5 minutes. With `originVerify`, the rate rule counts only
   * requests without the origin-verify header: CloudFront's requests arrive from CloudFront's
   * addresses, and the edge web ACL limits each viewer. The common rule set blocks, among others,
   * request bodies over 8 KB (`SizeRestrictions_BODY`), requests without a User-Agent and bodies
   * that embed URLs with IPv4 hosts (`GenericRFI_BODY`). A client that sends any origin-verify
   * header value escapes the rate rule, but the listener answers it 403 without reaching a target. Set
   * `webAcl` false and associate a web ACL of your own where a service needs them.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
   * @default false, or true under a regulatory compliance pack (`ComplianceDefaults.loadBalancerWaf`)
   */
  readonly webAcl?: boolean;

  /**
   * The web ACL's limit of requests per client IP per 5 minutes, 10–2,000,000,000.
   *
   * @default 2000
   */
  readonly webAclRateLimit?: number;

  /**
   * Log the web ACL's requests to CloudWatch Logs (an `aws-waf-logs-…` group kept one year;
   * authorization, cookie and origin-verify headers redacted).
   *
   * @default false, or true under a regulatory compliance pack (`ComplianceDefaults.wafLogging`)
   */
  readonly webAclLogging?: boolean;
}

/**
 * One target group of a (possibly weighted) route.
 */
export interface WeightedTargetGroup {
  /** The target group, e.g. `service.targetGroup`. */
  readonly targetGroup: elbv2.ITargetGroup;

  /**
   * Relative weight, 0–999. Only used when a route forwards to several target groups.
   *
   * @default 1
   */
  readonly weight?: number;
}

/**
 * A routing rule of a `ServiceLoadBalancer`.
 */
export interface RouteOptions {
  /**
   * Where matching requests go: one target group, or up to 5 with weights (canaries).
   */
  readonly targetGroups: WeightedTargetGroup[];

  /**
   * Path patterns, e.g. `['/api/*']` (ALB only).
   *
   * @default - any path
   */
  readonly pathPatterns?: string[];

  /**
   * Host headers, e.g. `['api.example.com']` (ALB only).
   *
   * @default - any host
   */
  readonly hostHeaders?: string[];

  /**
   * Rule priority, 1–50000, unique per listener; lower wins. Required with conditions.
   *
   * @default - none: a route without conditions becomes the listener's default action
   */
  readonly priority?: number;

  /**
   * Stickiness across the target groups of a weighted route, 1 s – 7 days.
   *
   * @default - none
   */
  readonly targetGroupStickiness?: Duration;
}

/**
 * An ALB or NLB for the stateless services of one region, with secure listeners.
 *
 * - ALB: HTTPS listener with a current TLS policy, HTTP → HTTPS redirect, access logs to an
 *   encrypted SSL-only bucket, invalid header fields dropped, a 404 default until a service
 *   takes the default route; path/host rules with clash-checked priorities; weighted forwarding.
 * - NLB: TLS or TCP listener, cross-zone balancing, a security group (so that targets can
 *   admit the NLB while client IPs are preserved).
 * - With `originVerify`: only requests carrying CloudFront's secret header (and `openPaths`,
 *   for health checkers) reach a target group; everything else gets a 403.
 *
 * @example
 * const lb = new ServiceLoadBalancer(stack, 'Lb', { vpc, domainName: 'eu-west-1.origin.example.com', hostedZone });
 */
export class ServiceLoadBalancer extends Construct {
  /** The kind of load balancer. */
  public readonly type: LoadBalancerType;
  /** The load balancer. */
  public readonly loadBalancer: elbv2.BaseLoadBalancer;
  /** The ALB, when `type` is APPLICATION. */
  public readonly applicationLoadBalancer?: elbv2.ApplicationLoadBalancer;
  /** The NLB, when `type` is NETWORK. */
  public readonly networkLoadBalancer?: elbv2.NetworkLoadBalancer;
  /** The HTTPS listener (ALB). */
  public readonly httpsListener?: elbv2.ApplicationListener;
  /** The TLS/TCP listener (NLB). */
  public readonly networkListener?: elbv2.NetworkListener;
  /** The listener certificate, when one is used. */
  public readonly certificate?: acm.ICertificate;
  /** The access-log bucket, when access logs are on. */
  public readonly accessLogsBucket?: s3.IBucket;
  /** The load balancer's security group. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The regional web ACL associated with the ALB, when `webAcl` is on. */
  public readonly webAcl?: wafv2.CfnWebACL;

  private readonly validator: Validator;
  private readonly priorities = new Map<number, string>();
  private defaultRouteOwner?: string;
  private readonly originVerify?: LoadBalancerOriginVerify;

  constructor(scope: Construct, id: string, props: ServiceLoadBalancerProps) {
    super(scope, id);
    const v = this.validator = new Validator(this, 'ServiceLoadBalancer');
    this.type = props.type ?? LoadBalancerType.APPLICATION;
    const isAlb = this.type === LoadBalancerType.APPLICATION;
    const internetFacing = props.internetFacing ?? true;
    const networkProtocol = props.networkProtocol ?? NetworkListenerProtocol.TLS;
    const needsCertificate = isAlb || networkProtocol === NetworkListenerProtocol.TLS;

    // ---- validation -------------------------------------------------------------------
    v.enumValue('type', props.type, LoadBalancerType, 'LoadBalancerType');
    v.enumValue('networkProtocol', props.networkProtocol, NetworkListenerProtocol, 'NetworkListenerProtocol');
    v.seconds('idleTimeout', props.idleTimeout, 1, 4000);
    v.range('networkPort', props.networkPort, 1, 65535);
    v.seconds('accessLogsExpiration', props.accessLogsExpiration, 86400, 3650 * 86400);
    v.range('webAclRateLimit', props.webAclRateLimit, 10, 2_000_000_000);
    if (!isAlb && (props.webAcl || props.webAclRateLimit !== undefined || props.webAclLogging)) {
      v.fail(`webAcl, webAclRateLimit and webAclLogging apply to type APPLICATION only (AWS WAF does not protect Network Load Balancers), got them with type ${this.type}`);
    }
    if (props.webAcl === false && (props.webAclRateLimit !== undefined || props.webAclLogging)) {
      v.fail('webAclRateLimit and webAclLogging need the web ACL, got them with webAcl false');
    }
    if (!isAlb && props.idleTimeout) {
      v.fail(`idleTimeout applies to an Application Load Balancer only, got it with type ${this.type} (NLB TCP idle timeout is fixed at 350 seconds)`);
    }
    if (isAlb && (props.networkProtocol || props.networkPort || props.crossZoneEnabled !== undefined)) {
      v.fail('networkProtocol, networkPort and crossZoneEnabled apply to type NETWORK only, got them with type APPLICATION');
    }
    if (props.certificate && props.domainName) {
      v.fail(`give either certificate or domainName, got both (domainName '${props.domainName}')`);
    }
    if (props.domainName && !props.hostedZone) {
      v.fail(`domainName '${props.domainName}' needs hostedZone to validate the certificate it creates`);
    }
    if (needsCertificate && !props.certificate && !props.domainName) {
      v.fail(`a ${isAlb ? 'HTTPS' : 'TLS'} listener needs certificate, or domainName and hostedZone to create one; got neither`);
    }
    if (!needsCertificate && (props.certificate || props.domainName)) {
      v.fail('certificate and domainName apply to HTTPS/TLS listeners, got them with networkProtocol TCP');
    }
    if (props.hostedZone && !props.domainName) {
      v.fail('hostedZone is only used with domainName, got hostedZone without domainName');
    }
    if (props.originVerify) {
      if (!isAlb) v.fail(`originVerify needs type APPLICATION (an NLB cannot read headers), got type ${this.type}`);
      this.validateOriginVerify(props.originVerify);
      this.originVerify = props.originVerify;
    }

    // ---- certificate ------------------------------------------------------------------
    if (props.certificate) {
      this.certificate = props.certificate;
    } else if (props.domainName && props.hostedZone) {
      this.certificate = new acm.Certificate(this, 'Certificate', {
        domainName: props.domainName,
        subjectAlternativeNames: props.subjectAlternativeNames,
        validation: acm.CertificateValidation.fromDns(props.hostedZone),
      });
    }

    // ---- security group ---------------------------------------------------------------
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${this.node.path} ${isAlb ? 'ALB' : 'NLB'}`,
      allowAllOutbound: false,
    });
    this.securityGroup = sg;
    const clients = internetFacing ? ec2.Peer.anyIpv4() : ec2.Peer.ipv4(props.vpc.vpcCidrBlock);
    const subnets = { subnetType: internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS };

    // ---- load balancer ----------------------------------------------------------------
    if (isAlb) {
      const alb = new elbv2.ApplicationLoadBalancer(this, 'Resource', {
        vpc: props.vpc,
        vpcSubnets: subnets,
        internetFacing,
        securityGroup: sg,
        idleTimeout: props.idleTimeout ?? DEFAULT_IDLE_TIMEOUT,
        dropInvalidHeaderFields: true,
        http2Enabled: true,
        deletionProtection: props.deletionProtection ?? complianceProfile(this).loadBalancerDeletionProtection,
        desyncMitigationMode: elbv2.DesyncMitigationMode.DEFENSIVE,
      });
      this.applicationLoadBalancer = alb;
      this.loadBalancer = alb;

      this.httpsListener = alb.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [this.certificate!],
        sslPolicy: props.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS,
        open: false,
        defaultAction: props.originVerify
          ? elbv2.ListenerAction.fixedResponse(403, { contentType: 'text/plain', messageBody: 'Forbidden' })
          : elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not Found' }),
      });
      alb.addRedirect({
        sourcePort: 80,
        sourceProtocol: elbv2.ApplicationProtocol.HTTP,
        targetPort: 443,
        targetProtocol: elbv2.ApplicationProtocol.HTTPS,
      });
      sg.addIngressRule(clients, ec2.Port.tcp(443), 'HTTPS from clients');
      sg.addIngressRule(clients, ec2.Port.tcp(80), 'HTTP from clients, redirected to HTTPS');
      const redirect = alb.node.tryFindChild('Redirect80To443');
      if (redirect) {
        acknowledgePacks(redirect, 'ELBv2ACMCertificateRequired', ['R5', 'HIPAA', 'PCI'],
          'The HTTP listener on port 80 only answers 301 redirects to HTTPS on 443 and forwards nothing; an HTTP listener takes no certificate. The HTTPS listener has the ACM certificate.');
      }
      const profile = complianceProfile(this);
      if (props.webAcl ?? profile.loadBalancerWaf) {
        this.webAcl = this.createWebAcl(alb, props.webAclRateLimit ?? DEFAULT_WEB_ACL_RATE_LIMIT, props.webAclLogging ?? profile.wafLogging);
      }
    } else {
      const nlb = new elbv2.NetworkLoadBalancer(this, 'Resource', {
        vpc: props.vpc,
        vpcSubnets: subnets,
        internetFacing,
        securityGroups: [sg],
        crossZoneEnabled: props.crossZoneEnabled ?? true,
        deletionProtection: props.deletionProtection ?? complianceProfile(this).loadBalancerDeletionProtection,
      });
      this.networkLoadBalancer = nlb;
      this.loadBalancer = nlb;
      const port = props.networkPort ?? 443;
      this.networkListener = nlb.addListener('Listener', {
        port,
        protocol: networkProtocol === NetworkListenerProtocol.TLS ? elbv2.Protocol.TLS : elbv2.Protocol.TCP,
        certificates: this.certificate ? [this.certificate] : undefined,
        sslPolicy: networkProtocol === NetworkListenerProtocol.TLS ? (props.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS) : undefined,
      });
      sg.addIngressRule(clients, ec2.Port.tcp(port), `${networkProtocol} from clients`);
    }
    if (internetFacing) {
      acknowledge(sg, {
        'AwsSolutions-EC23': props.originVerify
          ? 'Internet-facing load balancer behind CloudFront: any address may connect, but only requests with the secret origin-verify header (and the health path) reach a target; targets only admit this security group.'
          : 'Internet-facing load balancer: its listener ports must accept any client address; targets only admit this security group.',
      });
    }
    if (props.originVerify) {
      this.node.addValidation({
        validate: () => (this.originVerify?.openPaths ?? DEFAULT_OPEN_PATHS).length > 0 && this.defaultRouteOwner === undefined
          ? [`ServiceLoadBalancer '${this.node.path}': originVerify.openPaths ${(this.originVerify?.openPaths ?? DEFAULT_OPEN_PATHS).join(', ')} forward to the default route, but no route without conditions was added; add one or set openPaths to []`]
          : [],
      });
    }

    // ---- access logs -----------------------------------------------------------------
    const logsOn = props.accessLogs ?? true;
    if (logsOn) {
      const bucket = props.accessLogsBucket ?? this.createAccessLogsBucket(props.accessLogsExpiration ?? DEFAULT_ACCESS_LOG_EXPIRATION);
      this.accessLogsBucket = bucket;
      this.loadBalancer.logAccessLogs(bucket, this.node.id);
    } else {
      acknowledge(this.loadBalancer, {
        'AwsSolutions-ELB2': 'Access logs turned off explicitly with accessLogs: false.',
      });
    }
  }

  /** The DNS name of the load balancer. */
  public get loadBalancerDnsName(): string {
    return this.loadBalancer.loadBalancerDnsName;
  }

  /**
   * Routes requests to one or more target groups.
   *
   * A route without `pathPatterns`/`hostHeaders` becomes the listener's default action (one
   * per load balancer). Priorities are checked for clashes; an NLB takes a default route only.
   *
   * @param id construct id of the rule
   * @param options conditions, priority and target groups
   */
  public addRoute(id: string, options: RouteOptions): void {
    const v: Validator = this.validator;
    const hasConditions = (options.pathPatterns?.length ?? 0) + (options.hostHeaders?.length ?? 0) > 0;
    const groups = options.targetGroups;
    v.range(`route '${id}' targetGroups.length`, groups.length, 1, 5);
    groups.forEach((g, i) => v.range(`route '${id}' targetGroups[${i}].weight`, g.weight, 0, 999));
    v.seconds(`route '${id}' targetGroupStickiness`, options.targetGroupStickiness, 1, 7 * 86400);

    if (this.type === LoadBalancerType.NETWORK) {
      if (hasConditions || options.priority !== undefined) {
        v.fail(`route '${id}': a Network Load Balancer routes by port only; pathPatterns, hostHeaders and priority need type APPLICATION`);
      }
      if (groups.length !== 1) {
        v.fail(`route '${id}': a Network Load Balancer listener forwards to exactly 1 target group, got ${groups.length}`);
      }
      this.claimDefaultRoute(id);
      this.networkListener!.addAction(id, { action: elbv2.NetworkListenerAction.forward([groups[0].targetGroup as elbv2.INetworkTargetGroup]) });
      return;
    }

    const headerValues = this.originVerify?.values.length ?? 0;
    const valueCount = (options.pathPatterns?.length ?? 0) + (options.hostHeaders?.length ?? 0) + headerValues;
    if (valueCount > MAX_CONDITION_VALUES) {
      v.fail(headerValues
        ? `route '${id}': pathPatterns, hostHeaders and the ${headerValues} originVerify values may hold at most ${MAX_CONDITION_VALUES} values in all, got ${valueCount}`
        : `route '${id}': pathPatterns and hostHeaders may hold at most ${MAX_CONDITION_VALUES} values in all, got ${valueCount}`);
    }
    for (const p of options.pathPatterns ?? []) {
      v.pattern(`route '${id}' pathPatterns`, p, PATH_PATTERN, PATH_PATTERN_DESCRIPTION);
    }
    for (const h of options.hostHeaders ?? []) {
      v.pattern(`route '${id}' hostHeaders`, h, /^[A-Za-z0-9*?.-]{1,128}$/, 'a host name of up to 128 characters (wildcards * and ?)');
    }
    const action = this.forwardAction(options);
    if (!hasConditions) {
      if (options.priority !== undefined) {
        v.fail(`route '${id}': priority ${options.priority} needs pathPatterns or hostHeaders; a route without conditions is the default route`);
      }
      this.claimDefaultRoute(id);
      if (this.originVerify) {
        // The 403 default stays; the default route is a rule that checks the header only, and
        // the open paths (health checks) reach the same target groups without it.
        this.addRule(id, action, [], DEFAULT_ROUTE_PRIORITY);
        const openPaths = this.originVerify.openPaths ?? DEFAULT_OPEN_PATHS;
        if (openPaths.length > 0) {
          const rule = new elbv2.ApplicationListenerRule(this.httpsListener!, 'OriginVerifyOpenPathsRule', {
            listener: this.httpsListener!,
            priority: OPEN_PATHS_PRIORITY,
            conditions: [elbv2.ListenerCondition.pathPatterns(openPaths)],
            action,
          });
          this.tagRevision(rule);
        }
        return;
      }
      // The listener starts with a 404 placeholder so that it is valid without services;
      // the service that takes the default route replaces it on purpose.
      acknowledge(this.httpsListener!, {
        'Annotation::@aws-cdk/aws-elbv2:listenerExistingDefaultActionReplaced': 'The 404 placeholder default action is replaced by the route without conditions.',
      });
      this.httpsListener!.addAction(id, { action });
      return;
    }
    if (options.priority === undefined) {
      v.fail(`route '${id}': priority is required with pathPatterns or hostHeaders (1–${MAX_RULE_PRIORITY}, unique per listener)`);
    }
    v.range(`route '${id}' priority`, options.priority, 1, MAX_RULE_PRIORITY);
    if (this.originVerify && options.priority >= OPEN_PATHS_PRIORITY) {
      v.fail(`route '${id}': priority ${options.priority} is reserved with originVerify (${OPEN_PATHS_PRIORITY} open paths, ${DEFAULT_ROUTE_PRIORITY} default route); use 1–${OPEN_PATHS_PRIORITY - 1}`);
    }
    const owner = this.priorities.get(options.priority);
    if (owner !== undefined) {
      v.fail(`route '${id}': priority ${options.priority} is already used by route '${owner}'; priorities must be unique per listener`);
    }
    this.priorities.set(options.priority, id);
    const conditions: elbv2.ListenerCondition[] = [];
    if (options.pathPatterns?.length) conditions.push(elbv2.ListenerCondition.pathPatterns(options.pathPatterns));
    if (options.hostHeaders?.length) conditions.push(elbv2.ListenerCondition.hostHeaders(options.hostHeaders));
    this.addRule(id, action, conditions, options.priority);
  }

  /** A listener rule, with the origin-verify header condition when it is required. */
  private addRule(id: string, action: elbv2.ListenerAction, conditions: elbv2.ListenerCondition[], priority: number): void {
    const verify = this.originVerify;
    const all = verify ? [...conditions, elbv2.ListenerCondition.httpHeader(verify.headerName, verify.values)] : conditions;
    this.httpsListener!.addAction(id, { action, conditions: all, priority });
    const rule = this.httpsListener!.node.tryFindChild(`${id}Rule`);
    if (rule) this.tagRevision(rule);
  }

  private tagRevision(rule: Construct): void {
    const revision = this.originVerify?.revision;
    if (revision !== undefined) Tags.of(rule).add(ORIGIN_VERIFY_REVISION_TAG, revision);
  }

  private validateOriginVerify(o: LoadBalancerOriginVerify): void {
    const v = this.validator;
    validateOriginVerifyHeaderName(v, 'originVerify.headerName', o.headerName);
    // A route with conditions needs at least one path or host value besides the header's.
    v.range('originVerify.values.length', o.values.length, 1, MAX_CONDITION_VALUES - 1);
    for (const value of o.values) {
      if (Token.isUnresolved(value) || isDynamicReference(value)) continue;
      if (!/^[A-Za-z0-9]{32,128}$/.test(value)) {
        v.fail(`originVerify.values must be dynamic references or 32–128 letters and digits (the ALB treats * and ? as wildcards), got a literal of ${value.length} characters`);
      }
    }
    const openPaths = o.openPaths ?? DEFAULT_OPEN_PATHS;
    v.range('originVerify.openPaths.length', openPaths.length, 0, MAX_CONDITION_VALUES);
    for (const p of openPaths) v.pattern('originVerify.openPaths', p, PATH_PATTERN, PATH_PATTERN_DESCRIPTION);
    if (o.revision !== undefined) {
      v.pattern('originVerify.revision', o.revision, /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u, 'a tag value of 1–256 letters, digits, spaces and _ . : / = + - @');
    }
  }

  private forwardAction(options: RouteOptions): elbv2.ListenerAction {
    const groups = options.targetGroups.map((g) => g.targetGroup as elbv2.IApplicationTargetGroup);
    if (groups.length === 1 && options.targetGroups[0].weight === undefined && !options.targetGroupStickiness) {
      return elbv2.ListenerAction.forward(groups);
    }
    return elbv2.ListenerAction.weightedForward(
      options.targetGroups.map((g) => ({ targetGroup: g.targetGroup as elbv2.IApplicationTargetGroup, weight: g.weight ?? 1 })),
      { stickinessDuration: options.targetGroupStickiness },
    );
  }

  private claimDefaultRoute(id: string): void {
    if (this.defaultRouteOwner !== undefined) {
      this.validator.fail(`route '${id}': the default route is already taken by '${this.defaultRouteOwner}'; give pathPatterns or hostHeaders and a priority`);
    }
    this.defaultRouteOwner = id;
  }

  private createWebAcl(alb: elbv2.ApplicationLoadBalancer, limit: number, logging: boolean): wafv2.CfnWebACL {
    const scope = new Construct(this, 'WebAcl');
    const metricPrefix = scope.node.addr.slice(0, 8);
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${metricPrefix}-${name}`,
    });
    const verify = this.originVerify;
    const rateLimit: wafv2.CfnWebACL.RateBasedStatementProperty = {
      limit,
      aggregateKeyType: 'IP',
      evaluationWindowSec: 300,
      // Behind CloudFront every viewer arrives from CloudFront's addresses: count only the requests
      // that come without the origin-verify header (direct clients; a wrong header gets a 403 anyway).
      scopeDownStatement: verify ? {
        notStatement: {
          statement: {
            sizeConstraintStatement: {
              fieldToMatch: { singleHeader: { Name: verify.headerName.toLowerCase() } },
              comparisonOperator: 'GT',
              size: 0,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
        },
      } : undefined,
    };
    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      { name: 'RateLimitPerIp', priority: 0, action: { block: {} }, visibilityConfig: visibility('rate-ip'), statement: { rateBasedStatement: rateLimit } },
      ...['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'].map((name, i) => ({
        name,
        priority: i + 1,
        overrideAction: { none: {} },
        visibilityConfig: visibility(name),
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      })),
    ];
    const webAcl = new wafv2.CfnWebACL(scope, 'Resource', {
      // Unique per account and region: the path holds the stage, the stack and the construct.
      name: Names.uniqueResourceName(scope, { maxLength: 128, separator: '-' }),
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('all'),
      rules,
    });
    new wafv2.CfnWebACLAssociation(scope, 'Association', { resourceArn: alb.loadBalancerArn, webAclArn: webAcl.attrArn });
    if (logging) logWebAcl(scope, webAcl, { redactHeaders: verify ? [verify.headerName] : [] });
    return webAcl;
  }

  private createAccessLogsBucket(expiration: Duration): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      // Load balancers can only deliver access logs to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versioned under a regulatory pack (ComplianceDefaults.versionLogBuckets); old versions
      // expire with the logs.
      versioned: complianceProfile(this).versionLogBuckets,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{
        expiration,
        abortIncompleteMultipartUploadAfter: Duration.days(7),
        ...(complianceProfile(this).versionLogBuckets ? { noncurrentVersionExpiration: expiration } : {}),
      }],
    });
    const selfLogging = 'This bucket is the load balancer access-log target; logging its own access would only log the log delivery.';
    acknowledge(bucket, { 'AwsSolutions-S1': selfLogging });
    bucketEventNotifications(bucket);
    acknowledgePacks(bucket, 'S3BucketLoggingEnabled', ['R4', 'R5', 'HIPAA', 'PCI'], selfLogging);
    const days = expiration.isUnresolved() ? 'their retention' : `${expiration.toDays()} days`;
    acknowledgePacks(bucket, 'S3BucketReplicationEnabled', ['R4', 'R5', 'HIPAA', 'PCI'],
      `Access logs of this region's load balancer, kept ${days} in this region (S3 stores them across at least three Availability Zones); `
      + 'cdk-scaleout does not copy them to a second region: pass an accessLogsBucket with replication where a retention policy demands one.');
    const lock = logBucketLockReason('Elastic Load Balancing\'s log delivery', complianceProfile(this).versionLogBuckets);
    acknowledgePacks(bucket, 'S3BucketDefaultLockEnabled', ['R4'], lock);
    acknowledgeControlTower(bucket, {
      s3_bucket_logging_enabled_check: selfLogging,
      s3_bucket_object_lock_enabled_check: lock,
    });
    if (this.type === LoadBalancerType.APPLICATION) {
      // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
      const sseS3 = 'Application Load Balancers deliver access logs only to buckets encrypted with SSE-S3 (Amazon S3-managed keys), not SSE-KMS.';
      acknowledge(bucket, {
        'NIST.800.53.R5-S3DefaultEncryptionKMS': sseS3,
        'HIPAA.Security-S3DefaultEncryptionKMS': sseS3,
        'PCI.DSS.321-S3DefaultEncryptionKMS': sseS3,
      });
      acknowledgeControlTower(bucket, { s3_bucket_default_encryption_kms_check: sseS3 });
    }
    return bucket;
  }
}
