import { Lazy, Stage, StageProps, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EdgeStack } from './edge-stack';
import { RUNG_DEFAULTS } from './private/rung-defaults';
import { RegionalStack } from './regional-stack';
import { Rung } from './rung';
import {
  CacheSpec, DatabaseSpec, DnsSpec, EdgeOverrides, EdgeSpec, FanOutSpec, NetworkSpec, QueueSpec, RegionalOverrides, ServiceSpec, TierOverrides,
} from './stage-spec';
import { CapacityPlan } from '../capacity/capacity-planner';
import { applyTraffic } from '../capacity/stage-traffic';
import { TrafficProfile } from '../capacity/traffic-profile';
import { GlobalDatabaseRole } from '../database/aurora-database';
import { geolocationCodeProblem } from '../dns/geo-codes';
import { DnsRouting } from '../dns/global-dns';
import { DEPLOYMENT_ID_CONTEXT, releaseFingerprint } from '../edge/cdn-invalidation';
import { mergeOptions } from '../private/merge';
import { Validator } from '../private/validation';

/** Regions the stage accepts (commercial regions with ECS Fargate, Aurora PostgreSQL and ElastiCache). */
export const KNOWN_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-east-1', 'me-south-1', 'me-central-1', 'af-south-1', 'il-central-1',
];

/**
 * The declarative spec of a `ScaleoutStage`.
 */
export interface ScaleoutStageProps extends StageProps {
  /** The AWS account of every stack. */
  readonly account: string;
  /** The public hosted zone ID (`Z…`), imported by attributes: no lookups at synth. */
  readonly hostedZoneId: string;
  /** The hosted zone name, e.g. 'example.com'. */
  readonly zoneName: string;
  /**
   * The domain the stage serves: the zone's name or a subdomain of it. Every DNS name of the
   * stage lives under it (`<domain>`, `www.<domain>`, `origin.<domain>`, `api.<domain>`,
   * `<region>.origin.<domain>`, `app.<domain>` below rung 4), so that two stages sharing a zone
   * (e.g. `staging.example.com` and `example.com`) do not create the same records.
   *
   * @default - the zone's name
   */
  readonly domainName?: string;
  /** The regions; the first is primary. More than one needs rung 4. */
  readonly regions: string[];
  /**
   * The rung of the scaling ladder.
   *
   * @default Rung.LOAD_BALANCED_POOL
   */
  readonly rung?: Rung;
  /**
   * The traffic the stage must carry: `CapacityPlanner.plan(traffic)` fills every default the
   * spec does not state (the rung, each service's min/max tasks, readers, cache shards and node
   * type, queue workers' max tasks). Explicit props always win. The audience regions default
   * to `regions`.
   *
   * @default - no plan: the rung's defaults
   */
  readonly traffic?: TrafficProfile;
  /** The stateless services. */
  readonly services: ServiceSpec[];
  /**
   * Database options.
   *
   * @default - the rung's Aurora PostgreSQL
   */
  readonly database?: DatabaseSpec;
  /**
   * Cache options.
   *
   * @default - the rung's cache (from rung 2)
   */
  readonly cache?: CacheSpec;
  /**
   * Work queues (rung 3 and up).
   *
   * @default - none
   */
  readonly queues?: QueueSpec[];
  /**
   * Fan-out topics (rung 4).
   *
   * @default - none
   */
  readonly fanOuts?: FanOutSpec[];
  /**
   * Edge options (rung 4).
   *
   * @default - static assets and private API routes, 2000 requests per IP per 5 minutes
   */
  readonly edge?: EdgeSpec;
  /**
   * Network options of every region.
   *
   * @default - 2 AZs, the rung's NAT gateways, 10.0.0.0/16
   */
  readonly network?: NetworkSpec;
  /**
   * DNS routing across regions (rung 4).
   *
   * @default - latency routing
   */
  readonly dns?: DnsSpec;
  /**
   * Typed per-tier overrides: any tunable prop of each tier's construct (`StatelessService`,
   * `ServiceLoadBalancer`, `AuroraDatabase`, `CacheCluster`, `WorkQueue`, `QueueWorker`,
   * `FanOutTopic`, `Network`, `CdnDistribution`, `EdgeWebAcl`, the edge purge queue), stage-wide and per region
   * (`overrides.regions[region]`, merged over the stage-wide values). An override wins over the
   * spec's fields and the rung's defaults; wiring (VPC, cluster, routes, images, certificates,
   * alarm topics, global database membership) cannot be overridden. See `RegionalOverrides`.
   *
   * @default - none: the spec's fields and the rung's defaults
   */
  readonly overrides?: TierOverrides;
}

/**
 * The architecture from one spec, at a rung of the scaling ladder: one `RegionalStack` per
 * region (explicit env), and at rung 4 the us-east-1 `EdgeStack` (CDN, WAF, GeoDNS). Names are
 * agreed by convention (`<region>.origin.<domain>`, `origin.<domain>`, the global database
 * identifier, the secrets' and the purge queue's names), so there are no cross-region exports;
 * stack dependencies order what must exist first: the primary region, then the secondaries
 * (global cluster, replicated secrets), then the edge stack (aliases to the regions' records,
 * the purge after their rollout).
 *
 * @example
 * const stage = new ScaleoutStage(app, 'Prod', {
 *   account: '111111111111', hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com',
 *   regions: ['eu-west-1', 'us-east-1', 'ap-southeast-1'], rung: Rung.FULL_DISTRIBUTION,
 *   services: [{ name: 'Web', image }],
 * });
 * stage.regional('eu-west-1').database; // escape hatch (`region` is Stage's own property)
 */
export class ScaleoutStage extends Stage {
  /** The rung. */
  public readonly rung: Rung;
  /** The edge stack (rung 4). */
  public readonly edge?: EdgeStack;
  /** The regional stacks in spec order. */
  public readonly regionalStacks: RegionalStack[] = [];
  /** The capacity plan of `traffic`, when given. */
  public readonly plan?: CapacityPlan;

  constructor(scope: Construct, id: string, props: ScaleoutStageProps) {
    super(scope, id, props);
    // With `traffic`, the plan fills what the spec does not state.
    const planned = applyTraffic(props);
    this.plan = planned.plan;
    props = planned.props;
    const v = new Validator(this, 'ScaleoutStage');
    const rung = props.rung ?? Rung.LOAD_BALANCED_POOL;
    const defaults = RUNG_DEFAULTS[rung];
    this.rung = rung;
    this.validate(v, props, rung);

    const multiRegion = props.regions.length > 1;
    const globalId = props.database?.globalClusterIdentifier ?? `${this.stageName}-db`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const domainName = props.domainName ?? props.zoneName;
    // Origin protection wherever CloudFront fronts the regions (rung 4): one secret, created by
    // the primary's stack and replicated to the other regions and us-east-1 (CloudFront's side).
    const originVerifySecretName = defaults.edge ? `${this.stageName}/OriginVerify` : undefined;
    const release = () => props.edge?.releaseId ?? this.node.tryGetContext(DEPLOYMENT_ID_CONTEXT) ?? releaseFingerprint(this, []);
    const originVerifyRevision = defaults.edge ? Lazy.string({ produce: release }) : undefined;
    const healthPath = props.dns?.healthCheck?.path ?? '/health';
    let primary: RegionalStack | undefined;
    props.regions.forEach((region, i) => {
      const stack = new RegionalStack(this, region, {
        env: { account: props.account, region },
        stackName: `${this.stageName}-${region}`,
        rung,
        hostedZoneId: props.hostedZoneId,
        zoneName: props.zoneName,
        domainName,
        services: props.services,
        network: props.network,
        database: props.database,
        cache: props.cache,
        queues: defaults.queues ? props.queues : undefined,
        fanOuts: defaults.fanOut ? props.fanOuts : undefined,
        globalDatabaseRole: multiRegion && (props.database?.enabled ?? true)
          ? (i === 0 ? GlobalDatabaseRole.PRIMARY : GlobalDatabaseRole.SECONDARY) : undefined,
        globalClusterIdentifier: multiRegion ? globalId : undefined,
        secondaryRegions: multiRegion && i === 0 ? props.regions.slice(1) : undefined,
        purge: defaults.edge && props.edge?.purgePublishers?.length
          ? { queueName: EdgeStack.purgeQueueName(`${this.stageName}-edge`), region: 'us-east-1', publishers: props.edge.purgePublishers } : undefined,
        originVerify: originVerifySecretName ? {
          secretName: originVerifySecretName,
          replicaRegions: i === 0 ? [...props.regions.slice(1), ...(props.regions.includes('us-east-1') ? [] : ['us-east-1'])] : undefined,
          openPaths: [healthPath],
          revision: originVerifyRevision,
        } : undefined,
        overrides: regionalOverrides(props.overrides, region),
        description: `cdk-scaleout ${this.stageName}: region ${region} (rung ${rung})`,
      });
      // Order without exports: secondaries attach to the global cluster, and read the replicas
      // of the master and origin-verify secrets, after the primary's stack created them.
      if (primary && (stack.database || originVerifySecretName)) stack.addStackDependency(primary, 'the primary creates the global cluster and the secrets this region reads');
      primary ??= stack;
      this.regionalStacks.push(stack);
    });

    if (defaults.edge) {
      this.edge = new EdgeStack(this, 'edge', {
        env: { account: props.account, region: 'us-east-1' },
        stackName: `${this.stageName}-edge`,
        hostedZoneId: props.hostedZoneId,
        zoneName: props.zoneName,
        domainName,
        regions: props.regions,
        routes: props.edge?.routes,
        defaultEdgeFunctions: props.edge?.defaultEdgeFunctions,
        releaseId: props.edge?.releaseId,
        rateLimit: props.edge?.rateLimit,
        invalidationPaths: props.edge?.invalidationPaths,
        dnsRouting: props.dns?.routing,
        geolocations: props.dns?.geolocations,
        weights: props.dns?.weights,
        healthCheck: props.dns?.healthCheck,
        originVerifySecretName,
        originVerifyRevision,
        overrides: edgeOverrides(props.overrides),
        description: `cdk-scaleout ${this.stageName}: edge (CloudFront, WAF, GeoDNS) in us-east-1`,
      });
      // The edge stack's aliases point at the regions' `<region>.origin.<domain>` records, which
      // Route 53 rejects while they do not exist; its deploy-time purge must follow the release
      // the regions roll out. A stack dependency orders both and needs no export.
      for (const stack of this.regionalStacks) this.edge.addStackDependency(stack, 'the edge aliases target its origin record; purge after its release');
    }
  }

  /** The regional stack of `region` (for escape hatches: `.database`, `.cache`, `.services`). */
  public regional(region: string): RegionalStack {
    const stack = this.regionalStacks.find((s) => s.region === region);
    if (!stack) throw new Error(`ScaleoutStage '${this.node.path}': no region ${region}; regions are ${this.regionalStacks.map((s) => s.region).join(', ')}`);
    return stack;
  }

  private validate(v: Validator, props: ScaleoutStageProps, rung: Rung): void {
    const defaults = RUNG_DEFAULTS[rung];
    v.enumValue('rung', rung, Rung, 'Rung');
    v.enumValue('dns.routing', props.dns?.routing, DnsRouting, 'DnsRouting');
    if (!Token.isUnresolved(props.account)) v.pattern('account', props.account, /^\d{12}$/, 'a 12-digit AWS account ID');
    v.pattern('hostedZoneId', props.hostedZoneId, /^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone ID like 'Z0123456789ABC'");
    v.pattern('zoneName', props.zoneName, /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/, "a lowercase domain like 'example.com' (no trailing dot)");
    if (props.domainName !== undefined && props.domainName !== props.zoneName && !props.domainName.endsWith(`.${props.zoneName}`)) {
      v.fail(`domainName must be the zone's name ${props.zoneName} or a subdomain of it, got '${props.domainName}'`);
    }
    v.pattern('domainName', props.domainName, /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/, "a lowercase domain like 'staging.example.com' (no trailing dot)");
    // The regional certificate names `<region>.origin.<domain>`; ACM allows 64 characters for it.
    for (const region of props.regions) {
      const originName = `${region}.origin.${props.domainName ?? props.zoneName}`;
      if (originName.length > 64) v.fail(`domainName '${props.domainName ?? props.zoneName}' is too long: '${originName}' must fit ACM's 64-character domain name, got ${originName.length} characters`);
    }
    if (props.regions.length === 0) v.fail('regions must name at least the primary region, got none');
    const seen = new Set<string>();
    for (const r of props.regions) {
      v.oneOf('regions', r, KNOWN_REGIONS);
      if (seen.has(r)) v.fail(`regions must not repeat a region, got ${r} twice`);
      seen.add(r);
    }
    if (props.regions.length > 1 && !defaults.multiRegion) {
      v.fail(`regions: ${props.regions.length} regions need rung 4 (FULL_DISTRIBUTION), got rung ${rung}; climb the ladder or keep one region`);
    }
    if (props.queues?.length && !defaults.queues) v.fail(`queues need rung 3 (LOAD_BALANCED_POOL) or higher, got rung ${rung}`);
    if (props.fanOuts?.length && !defaults.fanOut) v.fail(`fanOuts need rung 4 (FULL_DISTRIBUTION), got rung ${rung}`);
    if (props.edge && !defaults.edge) v.fail(`edge needs rung 4 (FULL_DISTRIBUTION), got rung ${rung}`);
    if (props.dns && !defaults.multiRegion) v.fail(`dns routing needs rung 4 (FULL_DISTRIBUTION), got rung ${rung}`);
    if (props.cache?.enabled && !defaults.cache) v.fail(`cache needs rung 2 (SEPARATE_DATA_TIER) or higher, got rung ${rung}`);
    const ovr = props.overrides;
    const edgeOverride = (['distribution', 'webAcl', 'purgeQueue'] as const).find((k) => ovr?.[k] !== undefined);
    if (edgeOverride && !defaults.edge) v.fail(`overrides.${edgeOverride} needs the edge stack of rung 4 (FULL_DISTRIBUTION), got rung ${rung}`);
    for (const region of Object.keys(ovr?.regions ?? {})) {
      if (!props.regions.includes(region)) v.fail(`overrides.regions: ${region} is not one of the regions ${props.regions.join(', ')}`);
    }

    if (props.services.length === 0) v.fail('services must hold at least one service, got none');
    const names = new Set<string>();
    const priorities = new Map<number, string>();
    let defaultRoute: string | undefined;
    props.services.forEach((s, i) => {
      v.pattern('services.name', s.name, /^[A-Z][A-Za-z0-9]{0,30}$/, 'a PascalCase name of up to 31 letters and digits');
      if (names.has(s.name)) v.fail(`services.name must be unique, got '${s.name}' twice`);
      names.add(s.name);
      if (!s.pathPatterns?.length) {
        if (defaultRoute) v.fail(`services: '${s.name}' and '${defaultRoute}' both take the default route; give one of them pathPatterns`);
        defaultRoute = s.name;
      } else {
        const priority = s.priority ?? 10 * (i + 1);
        const other = priorities.get(priority);
        if (other) v.fail(`services: '${s.name}' and '${other}' both use route priority ${priority}; priorities must be unique`);
        priorities.set(priority, s.name);
      }
    });
    const queueNames = new Set<string>();
    for (const q of props.queues ?? []) {
      v.pattern('queues.name', q.name, /^[A-Z][A-Za-z0-9]{0,30}$/, 'a PascalCase name of up to 31 letters and digits');
      if (queueNames.has(q.name)) v.fail(`queues.name must be unique, got '${q.name}' twice`);
      queueNames.add(q.name);
      for (const p of q.producers ?? []) if (!names.has(p)) v.fail(`queues['${q.name}'].producers: no service '${p}'; services are ${[...names].join(', ')}`);
    }
    for (const p of props.edge?.purgePublishers ?? []) if (!names.has(p)) v.fail(`edge.purgePublishers: no service '${p}'; services are ${[...names].join(', ')}`);
    for (const f of props.fanOuts ?? []) {
      v.pattern('fanOuts.name', f.name, /^[A-Z][A-Za-z0-9]{0,30}$/, 'a PascalCase name of up to 31 letters and digits');
      for (const p of f.publishers) if (!names.has(p)) v.fail(`fanOuts['${f.name}'].publishers: no service '${p}'`);
      for (const q of f.subscribers) if (!queueNames.has(q)) v.fail(`fanOuts['${f.name}'].subscribers: no queue '${q}'`);
    }
    if (props.regions.length > 1 && props.database?.globalClusterIdentifier) {
      // Checked in full by AuroraDatabase; the identifier must be valid before it names stacks' resources.
      v.pattern('database.globalClusterIdentifier', props.database.globalClusterIdentifier, /^[a-z][a-z0-9-]{0,62}$/, 'lowercase letters, digits and hyphens');
    }
    if (props.dns?.weights) {
      if (props.dns.routing !== DnsRouting.WEIGHTED) v.fail(`dns.weights needs dns.routing WEIGHTED, got ${props.dns.routing ?? DnsRouting.LATENCY}`);
      for (const region of Object.keys(props.dns.weights)) {
        if (!seen.has(region)) v.fail(`dns.weights: ${region} is not one of the regions ${props.regions.join(', ')}`);
      }
    }
    if (props.dns?.geolocations) {
      if ((props.dns.routing ?? DnsRouting.LATENCY) !== DnsRouting.GEOLOCATION) v.fail(`dns.geolocations needs dns.routing GEOLOCATION, got ${props.dns.routing ?? DnsRouting.LATENCY}`);
      for (const [region, codes] of Object.entries(props.dns.geolocations)) {
        if (!seen.has(region)) v.fail(`dns.geolocations: ${region} is not one of the regions ${props.regions.join(', ')}`);
        for (const code of codes) {
          const problem = geolocationCodeProblem(code);
          if (problem) v.fail(`dns.geolocations['${region}']: ${problem}`);
        }
      }
    }
  }
}

/** The stage-wide regional overrides with `region`'s merged over them (none without overrides). */
function regionalOverrides(overrides: TierOverrides | undefined, region: string): RegionalOverrides | undefined {
  if (!overrides) return undefined;
  const { regions, distribution, webAcl, purgeQueue, ...stageWide } = overrides;
  return mergeOptions<RegionalOverrides>(stageWide, regions?.[region]);
}

/** The edge stack's part of the overrides (none without any). */
function edgeOverrides(overrides: TierOverrides | undefined): EdgeOverrides | undefined {
  const { distribution, webAcl, purgeQueue } = overrides ?? {};
  return distribution || webAcl || purgeQueue ? { distribution, webAcl, purgeQueue } : undefined;
}
