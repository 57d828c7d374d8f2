import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CacheClusterOptions } from '../cache/cache-cluster';
import { AuroraDatabaseOptions } from '../database/aurora-database';
import { DnsHealthCheckOptions, DnsRouting } from '../dns/global-dns';
import { CdnDistributionOptions, EdgeRouteOptions } from '../edge/cdn-distribution';
import { EdgeFunctionSpec } from '../edge/edge-function-spec';
import { EdgeWebAclProps } from '../edge/edge-web-acl';
import { FanOutTopicProps } from '../messaging/fan-out-topic';
import { WorkQueueProps } from '../messaging/work-queue';
import { NetworkProps } from '../network/network';
import { QueueWorkerOptions } from '../service/queue-worker';
import { ServiceLoadBalancerOptions } from '../service/service-load-balancer';
import { ServiceScaling, StatelessServiceOptions } from '../service/stateless-service';
import { TargetGroupTuning } from '../service/target-group';

/**
 * A stateless service of the spec.
 */
export interface ServiceSpec {
  /** Name (construct id and environment prefix), `[A-Za-z][A-Za-z0-9]*`. */
  readonly name: string;

  /** The container image. */
  readonly image: ecs.ContainerImage;

  /**
   * Container port.
   *
   * @default 8080
   */
  readonly port?: number;

  /**
   * Health-check path of the load balancer.
   *
   * @default '/health'
   */
  readonly healthPath?: string;

  /**
   * Path patterns routed to the service; none makes it the default route (one service only).
   *
   * @default - the default route
   */
  readonly pathPatterns?: string[];

  /**
   * Rule priority with `pathPatterns`, unique per stage.
   *
   * @default - 10 × the service's position in the spec
   */
  readonly priority?: number;

  /**
   * Task CPU units (Fargate table).
   *
   * @default 512
   */
  readonly cpu?: number;

  /**
   * Task memory in MiB (Fargate table).
   *
   * @default 1024
   */
  readonly memoryLimitMiB?: number;

  /**
   * CPU architecture of the task. Build the image for it: an image built for another
   * architecture fails at start (`exec format error`), e.g.
   * `ContainerImage.fromAsset(dir, { platform: Platform.LINUX_AMD64 })` for X86_64.
   *
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * The user the container runs as (`uid`, `uid:gid`, `user` or `user:group`); see
   * `StatelessServiceProps.user`.
   *
   * @default - the image's user; under a regulatory pack (`ComplianceDefaults.nonRootContainers`) `'1000:1000'`
   */
  readonly user?: string;

  /**
   * Scaling; unset fields take the rung's defaults.
   *
   * @default - the rung's task range (1–1, 1–2, 2–10, 2–20 tasks at rungs 1–4) tracking 60 % CPU
   */
  readonly scaling?: ServiceScaling;

  /**
   * Target-group tuning.
   *
   * @default - round robin, health path, 30 s draining
   */
  readonly targetGroup?: TargetGroupTuning;

  /**
   * Plain configuration.
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * Connect the service to the database (DB_* variables and secret).
   *
   * @default true
   */
  readonly useDatabase?: boolean;

  /**
   * Connect the service to the cache (CACHE_* variables and token), when the rung has one.
   *
   * @default true
   */
  readonly useCache?: boolean;
}

/**
 * A work queue of the spec (rung 3 and up), with an optional worker.
 */
export interface QueueSpec {
  /** Name, `[A-Za-z][A-Za-z0-9]*`. */
  readonly name: string;

  /**
   * Services that send to the queue (they get `QUEUE_<NAME>_URL` and send rights).
   *
   * @default - none
   */
  readonly producers?: string[];

  /**
   * Visibility timeout.
   *
   * @default - the worker's maxProcessingTime × 2, else 30 seconds
   */
  readonly visibilityTimeout?: Duration;

  /**
   * Receives before a message moves to the dead-letter queue, 1–1000.
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * A worker that drains the queue, scaled on backlog per task.
   *
   * @default - no worker
   */
  readonly worker?: WorkerSpec;
}

/**
 * The worker of a queue.
 */
export interface WorkerSpec {
  /** The container image. */
  readonly image: ecs.ContainerImage;

  /** The longest one message may take. */
  readonly maxProcessingTime: Duration;

  /**
   * Fewest tasks (0 scales to zero).
   *
   * @default 0
   */
  readonly minTasks?: number;

  /**
   * Most tasks.
   *
   * @default 10
   */
  readonly maxTasks?: number;

  /**
   * Target messages waiting per running task: the acceptable latency ÷ the time per message.
   *
   * @default 10
   */
  readonly backlogPerTask?: number;

  /**
   * Task CPU units (Fargate table).
   *
   * @default 512
   */
  readonly cpu?: number;

  /**
   * Task memory in MiB (Fargate table).
   *
   * @default 1024
   */
  readonly memoryLimitMiB?: number;

  /**
   * CPU architecture of the task. Build the image for it: an image built for another
   * architecture fails at start (`exec format error`), e.g.
   * `ContainerImage.fromAsset(dir, { platform: Platform.LINUX_AMD64 })` for X86_64.
   *
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * The user the container runs as (`uid`, `uid:gid`, `user` or `user:group`); see
   * `StatelessServiceProps.user`.
   *
   * @default - the image's user; under a regulatory pack (`ComplianceDefaults.nonRootContainers`) `'1000:1000'`
   */
  readonly user?: string;

  /**
   * Plain configuration, e.g. `{ ROLE: 'worker' }` when the image serves several roles.
   * `QUEUE_URL` (this queue) is always set.
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * Connect the worker to the database (DB_* variables and secret), like a service.
   *
   * @default true
   */
  readonly useDatabase?: boolean;

  /**
   * Connect the worker to the cache (CACHE_* variables and token), when the rung has one.
   *
   * @default true
   */
  readonly useCache?: boolean;
}

/**
 * A fan-out topic of the spec (rung 4).
 */
export interface FanOutSpec {
  /** Name, `[A-Za-z][A-Za-z0-9]*`. */
  readonly name: string;

  /** Services that publish (they get `TOPIC_<NAME>_ARN` and publish rights). */
  readonly publishers: string[];

  /** Queues of the spec that receive every message. */
  readonly subscribers: string[];
}

/**
 * Database options of the spec.
 */
export interface DatabaseSpec {
  /**
   * Deploy the database.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Provisioned instance class.
   *
   * @default - Serverless v2
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Readers.
   *
   * @default - the rung's (0 at rungs 1–2, 1 at 3–4)
   */
  readonly readers?: number;

  /**
   * Most readers with auto-scaling.
   *
   * @default - the rung's (none at rungs 1–2, 4 at rung 3, 6 at rung 4)
   */
  readonly maxReaders?: number;

  /**
   * Global cluster identifier at rung 4 with several regions.
   *
   * @default '<stage name>-db'
   */
  readonly globalClusterIdentifier?: string;

  /**
   * Removal policy of the cluster.
   *
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Cache options of the spec.
 */
export interface CacheSpec {
  /**
   * Deploy the cache (from rung 2).
   *
   * @default true from rung 2
   */
  readonly enabled?: boolean;

  /**
   * Node type.
   *
   * @default 'cache.t4g.medium' (rungs 2–3), 'cache.r7g.large' (rung 4)
   */
  readonly cacheNodeType?: string;

  /**
   * Shards (cluster mode at rung 4).
   *
   * @default - the rung's (1, or 2 at rung 4)
   */
  readonly shards?: number;
}

/**
 * A route of the distribution in the spec: a path pattern, its content class, and the
 * Lambda@Edge functions the edge stack creates for it.
 */
export interface EdgeRouteSpec extends EdgeRouteOptions {
  /**
   * Lambda@Edge functions of the route, at most one per event type, created in the us-east-1
   * edge stack: the library's (`EdgeFunctionSpec.abTest`, `.jwtAuth`, `.geoContent`) or yours
   * (`.fromCode`, `.fromFactory`).
   *
   * @default - none
   */
  readonly edgeFunctions?: EdgeFunctionSpec[];
}

/**
 * Edge options of the spec (rung 4).
 */
export interface EdgeSpec {
  /**
   * Path patterns mapped to content classes. Given routes replace the defaults
   * (`DEFAULT_EDGE_ROUTES`: '/assets/*' static assets, '/api/*' private): list those too if you
   * want them. Everything else is the default behaviour (HTML, cached 60 s, to the regions).
   *
   * @default DEFAULT_EDGE_ROUTES
   */
  readonly routes?: EdgeRouteSpec[];

  /**
   * Lambda@Edge functions of the default behaviour. It runs the URL-normalizing CloudFront
   * Function on viewer request, so only origin-request and origin-response functions fit.
   *
   * @default - none
   */
  readonly defaultEdgeFunctions?: EdgeFunctionSpec[];

  /**
   * Services that purge paths from the CDN when data changes: they get `PURGE_QUEUE_URL` (the
   * edge stack's purge queue in us-east-1; send `{"paths": ["/abc"]}`) and may send to it. The
   * queue exists once the edge stack is deployed (after the regions): tolerate a failed send.
   *
   * @default - none
   */
  readonly purgePublishers?: string[];

  /**
   * The release being deployed: a new value purges `invalidationPaths`.
   *
   * @default - the `cdk-scaleout:deployment-id` context, else a fingerprint of the stage's assets and images
   */
  readonly releaseId?: string;

  /**
   * Requests per client IP per 5 minutes before 429.
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
}

/**
 * DNS options of the spec.
 */
export interface DnsSpec {
  /**
   * How `origin.<domain>` picks a region (rung 4).
   *
   * @default DnsRouting.LATENCY
   */
  readonly routing?: DnsRouting;

  /**
   * GEOLOCATION: locations per region ('*', 'continent:EU', 'DE', 'US-CA').
   *
   * @default - '*' for the primary region
   */
  readonly geolocations?: { [region: string]: string[] };

  /**
   * WEIGHTED: weight per region, 0–255 (0 sends a region no traffic while others are healthy).
   *
   * @default - 1 for every region (an even split)
   */
  readonly weights?: { [region: string]: number };

  /**
   * Route 53 health checks of the regions.
   *
   * @default - HTTPS '/health' every 30 s, 3 failures
   */
  readonly healthCheck?: DnsHealthCheckOptions;
}

/**
 * Network options of the spec (every region's VPC).
 */
export interface NetworkSpec {
  /**
   * Availability zones per region, 2–3 (their names come from cdk.json context: no lookups).
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * NAT gateways per region, 1 to the AZ count (one per AZ keeps zones independent; each costs
   * an Elastic IP, 5 per region by default).
   *
   * @default - the rung's (1 at rungs 1–2, 2 from rung 3)
   */
  readonly natGateways?: number;

  /**
   * The VPC's IPv4 CIDR in every region (regions are not peered, so they may share it).
   *
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
}

/**
 * Typed overrides of one region's tiers: any tunable prop of the construct behind each tier,
 * also those the spec has no field for.
 *
 * Precedence, lowest first: the construct's defaults; the rung's defaults and the spec's fields;
 * the stage-wide `overrides`; `overrides.regions[region]`. A value an override sets wins, also
 * over a spec field for the same prop (`cache.shards`, `database.readers`, `network.natGateways`…);
 * defaults the stage derives from another prop follow the winning value (the cache's
 * `clusterMode` from `shards`, Serverless v2 capacity only without `instanceType`, a service's
 * `maxTasks` at least its `minTasks`, reader auto-scaling's `minReaders` from `readers`). Plain
 * objects (`scaling`, `targetGroup`, `alarms`, `environment`…) merge key by key; arrays and other
 * values replace. Wiring is not part of the option types and cannot be overridden: the VPC,
 * cluster, load balancer, routes, images, certificates, global database membership, and the
 * stack's alarm topic (`alarms.topic`). Each construct validates the merged props, so a bad
 * override fails with that construct's message.
 */
export interface RegionalOverrides {
  /**
   * Every region's (or this region's) `Network`, e.g. `flowLogRetention`, or `availabilityZones` (zone names
   * are regional: give them per region, in `regions[region].network`).
   *
   * @default - the spec's `network`
   */
  readonly network?: NetworkProps;

  /**
   * The `ServiceLoadBalancer`, e.g. `idleTimeout`, `sslPolicy`, `accessLogsExpiration`.
   *
   * @default - the construct's defaults
   */
  readonly loadBalancer?: ServiceLoadBalancerOptions;

  /**
   * `StatelessService` options by service name (names of `services`), e.g.
   * `{ Web: { deployment: { minHealthyPercent: 50 }, logRetention: RetentionDays.ONE_YEAR } }`.
   *
   * @default - the spec's services
   */
  readonly services?: { [name: string]: StatelessServiceOptions };

  /**
   * The `AuroraDatabase`, e.g. `backupRetention`, `proxy`, `parameters`, `serverlessV2MinCapacity`.
   *
   * @default - the spec's `database`
   */
  readonly database?: AuroraDatabaseOptions;

  /**
   * The `CacheCluster`, e.g. `engineVersion`, `evictionPolicy`, `snapshotRetentionDays`.
   *
   * @default - the spec's `cache`
   */
  readonly cache?: CacheClusterOptions;

  /**
   * `WorkQueue` props by queue name (names of `queues`), e.g. `{ Orders: { retentionPeriod: Duration.days(7) } }`.
   *
   * @default - the spec's queues
   */
  readonly queues?: { [name: string]: WorkQueueProps };

  /**
   * `QueueWorker` options by queue name (queues with a `worker`), e.g. `{ Orders: { scaleInCooldown: Duration.minutes(10) } }`.
   *
   * @default - the spec's workers
   */
  readonly workers?: { [queueName: string]: QueueWorkerOptions };

  /**
   * `FanOutTopic` props by fan-out name (names of `fanOuts`).
   *
   * @default - the spec's fan-out topics
   */
  readonly fanOuts?: { [name: string]: FanOutTopicProps };
}

/**
 * Typed overrides of the edge stack's tiers (rung 4), with the precedence of `RegionalOverrides`.
 */
export interface EdgeOverrides {
  /**
   * The `CdnDistribution`, e.g. `priceClass`, `htmlTtl`, `originTimeouts`, `geoRestriction`.
   *
   * @default - the spec's `edge`
   */
  readonly distribution?: CdnDistributionOptions;

  /**
   * The `EdgeWebAcl`, e.g. `pathRateLimits`, `rateWindow`, `managedRules`.
   *
   * @default - the spec's `edge.rateLimit`
   */
  readonly webAcl?: EdgeWebAclProps;

  /**
   * The purge queue (`edge.purgePublishers` send to it), e.g. `maxReceiveCount`, `alarms`. Its
   * `queueName` is wiring (the regions' services send to it by name).
   *
   * @default - a 5-minute visibility timeout
   */
  readonly purgeQueue?: WorkQueueProps;
}

/**
 * Typed per-tier overrides of a `ScaleoutStage`: stage-wide values for every region (and the
 * edge stack), and per-region values that merge over them (see `RegionalOverrides` for the
 * precedence).
 */
export interface TierOverrides extends RegionalOverrides, EdgeOverrides {
  /**
   * Per-region overrides by region name (names of `regions`); each merges over the stage-wide
   * values above, key by key, and wins.
   *
   * @default - the stage-wide overrides in every region
   */
  readonly regions?: { [region: string]: RegionalOverrides };
}
