import { Duration, RemovalPolicy, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Rung } from './rung';
import { CacheSpec, DatabaseSpec, FanOutSpec, NetworkSpec, QueueSpec, RegionalOverrides, ServiceSpec } from './stage-spec';
import { CacheCluster, CacheClusterOptions } from '../cache/cache-cluster';
import { AuroraDatabase, AuroraDatabaseOptions, GlobalDatabaseRole } from '../database/aurora-database';
import { OriginVerifySecret } from '../edge/origin-verify';
import { FanOutTopic } from '../messaging/fan-out-topic';
import { WorkQueue, WorkQueueProps } from '../messaging/work-queue';
import { Network, NetworkProps } from '../network/network';
import { mergeOptions } from '../private/merge';
import { Validator } from '../private/validation';
import { QueueWorker, QueueWorkerOptions } from '../service/queue-worker';
import { ServiceLoadBalancer } from '../service/service-load-balancer';
import { StatelessService, StatelessServiceOptions } from '../service/stateless-service';
import { RUNG_DEFAULTS } from './private/rung-defaults';
import { envName } from './private/stack-helpers';
import { AlarmTopic } from '../messaging/alarm-topic';

/**
 * The services of a regional stack that purge CDN paths.
 */
export interface RegionalPurge {
  /** The purge queue's name, in `region` of this account. */
  readonly queueName: string;
  /** The queue's region (the edge stack's, us-east-1). */
  readonly region: string;
  /** Services that get `PURGE_QUEUE_URL` and may send to it. */
  readonly publishers: string[];
}

/**
 * Origin protection of a regional stack.
 */
export interface RegionalOriginVerify {
  /** The secret's name (the same in every region: the primary creates it and replicates it). */
  readonly secretName: string;
  /**
   * The regions the primary replicates the secret to (the other regions and us-east-1, where
   * CloudFront's side is resolved). Set in the primary region only.
   *
   * @default - not the primary: the secret is a replica created by the primary's stack
   */
  readonly replicaRegions?: string[];
  /**
   * Paths served without the header (Route 53 health checkers cannot send headers).
   *
   * @default ['/health']
   */
  readonly openPaths?: string[];
  /**
   * Changes on each release so that CloudFormation resolves a rotated value again.
   *
   * @default - no revision tag
   */
  readonly revision?: string;
}

/**
 * Properties of a `RegionalStack`.
 */
export interface RegionalStackProps extends StackProps {
  /** The rung. */
  readonly rung: Rung;
  /** The hosted zone ID (imported by attributes). */
  readonly hostedZoneId: string;
  /** The hosted zone name. */
  readonly zoneName: string;
  /**
   * The domain served: the zone's name or a subdomain of it; every record is created under it.
   *
   * @default - the zone's name
   */
  readonly domainName?: string;
  /** The services. */
  readonly services: ServiceSpec[];
  /**
   * Network options.
   *
   * @default - 2 AZs, the rung's NAT gateways
   */
  readonly network?: NetworkSpec;
  /**
   * Database options.
   *
   * @default - the rung's database
   */
  readonly database?: DatabaseSpec;
  /**
   * Cache options.
   *
   * @default - the rung's cache
   */
  readonly cache?: CacheSpec;
  /**
   * Queues.
   *
   * @default - none
   */
  readonly queues?: QueueSpec[];
  /**
   * Fan-out topics.
   *
   * @default - none
   */
  readonly fanOuts?: FanOutSpec[];
  /**
   * Global database role of this region (rung 4, several regions).
   *
   * @default - a regional database
   */
  readonly globalDatabaseRole?: GlobalDatabaseRole;
  /**
   * Global cluster identifier with `globalDatabaseRole`.
   *
   * @default - none
   */
  readonly globalClusterIdentifier?: string;
  /**
   * The other regions (the primary replicates the master secret to them).
   *
   * @default - none
   */
  readonly secondaryRegions?: string[];
  /**
   * The edge stack's purge queue (us-east-1) and the services that send to it.
   *
   * @default - no service purges
   */
  readonly purge?: RegionalPurge;
  /**
   * Origin protection (rung 4): the load balancer serves only requests carrying CloudFront's
   * secret header, and `openPaths` (the Route 53 health-check path) without it.
   *
   * @default - none: the load balancer serves any request (rungs 1–3 have no CDN in front)
   */
  readonly originVerify?: RegionalOriginVerify;
  /**
   * Name of the alarm topic. SNS topic names are unique per account and region: keep the
   * stage, region and role in it.
   *
   * @default '<stack name>-alarms'
   */
  readonly alarmTopicName?: string;
  /**
   * Typed overrides of this region's tiers, applied over the spec fields and rung defaults (see
   * `RegionalOverrides` for the precedence; `ScaleoutStage` passes the stage-wide overrides with
   * this region's merged over them).
   *
   * @default - none
   */
  readonly overrides?: RegionalOverrides;
}

/**
 * One region of the architecture: network, load balancer (certificate for this region's origin
 * name and the shared names), services, database, cache, queues with workers, fan-out topics,
 * an alarm topic every tier's alarms feed, a dashboard, and this region's origin name in the
 * hosted zone (`<region>.origin.<zone>`, an alias to the load balancer that evaluates target
 * health). Built by `ScaleoutStage`; every part is reachable for escape hatches.
 */
export class RegionalStack extends Stack {
  /** The network. */
  public readonly network: Network;
  /** The load balancer. */
  public readonly loadBalancer: ServiceLoadBalancer;
  /** The services, by name. */
  public readonly services: { [name: string]: StatelessService } = {};
  /** The database, when the spec has one. */
  public readonly database?: AuroraDatabase;
  /** The cache, from rung 2. */
  public readonly cache?: CacheCluster;
  /** The queues, by name. */
  public readonly queues: { [name: string]: WorkQueue } = {};
  /** The queue workers, by queue name. */
  public readonly workers: { [name: string]: QueueWorker } = {};
  /** The fan-out topics, by name. */
  public readonly fanOuts: { [name: string]: FanOutTopic } = {};
  /** The topic every alarm of this stack notifies. */
  public readonly alarmTopic: sns.Topic;
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** This region's origin name, e.g. `eu-west-1.origin.example.com`. */
  public readonly originName: string;
  /** The origin-verify secret, in the primary region of a stage with origin protection. */
  public readonly originVerifySecret?: OriginVerifySecret;

  constructor(scope: Construct, id: string, props: RegionalStackProps) {
    super(scope, id, props);
    const rung = RUNG_DEFAULTS[props.rung];
    const ovr = props.overrides ?? {};
    this.validateOverrides(props, ovr);
    const region = this.region;
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: props.zoneName });
    const domain = props.domainName ?? props.zoneName;
    this.originName = `${region}.origin.${domain}`;

    this.alarmTopic = AlarmTopic.create(this, props.alarmTopicName ?? `${this.stackName}-alarms`);
    this.network = new Network(this, 'Network', mergeOptions<NetworkProps>({
      maxAzs: props.network?.maxAzs,
      natGateways: props.network?.natGateways ?? rung.natGateways,
      cidr: props.network?.cidr,
    }, ovr.network));
    const vpc = this.network.vpc;
    const ov = props.originVerify;
    if (ov?.replicaRegions) {
      this.originVerifySecret = new OriginVerifySecret(this, 'OriginVerify', {
        secretName: ov.secretName,
        replicaRegions: ov.replicaRegions,
        // On demand, right before a release (`aws secretsmanager rotate-secret`): a schedule can
        // rotate twice between releases, and the load balancers tolerate one rotation only.
        rotationInterval: Duration.days(0),
      });
    }
    this.loadBalancer = new ServiceLoadBalancer(this, 'LoadBalancer', {
      ...ovr.loadBalancer,
      vpc,
      certificate: undefined,
      domainName: this.originName,
      // The names clients reach it by: CloudFront calls `origin.<domain>` (rung 4); below rung 4
      // browsers call `app.<domain>`. No more: each shared name is a validation record that
      // every region's certificate shares.
      subjectAlternativeNames: [props.rung === Rung.FULL_DISTRIBUTION ? `origin.${domain}` : `app.${domain}`],
      hostedZone: zone,
      originVerify: ov ? OriginVerifySecret.forLoadBalancer(ov.secretName, { openPaths: ov.openPaths, revision: ov.revision }) : undefined,
    });
    // The listener rules resolve the secret when they are created: after its initialization here
    // (the primary), after the primary's stack (which creates the replica) elsewhere.
    if (this.originVerifySecret) this.loadBalancer.node.addDependency(this.originVerifySecret.initialization);
    new route53.ARecord(this, 'OriginRecord', {
      zone,
      recordName: this.originName,
      target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer.loadBalancer, { evaluateTargetHealth: true })),
    });
    if (props.rung < Rung.FULL_DISTRIBUTION) {
      // One region, no CDN: the app's name points at the load balancer.
      new route53.ARecord(this, 'AppRecord', {
        zone,
        recordName: `app.${domain}`,
        target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer.loadBalancer, { evaluateTargetHealth: true })),
      });
    }

    // ---- services -----------------------------------------------------------------------
    let cluster: StatelessService['cluster'] | undefined;
    props.services.forEach((spec, i) => {
      const scaling = spec.scaling ?? {};
      const override = ovr.services?.[spec.name];
      // The rung's maxTasks is at least the winning minTasks (an override's, else the spec's).
      const minTasks = override?.scaling?.minTasks ?? scaling.minTasks ?? rung.minTasks;
      const options = mergeOptions<StatelessServiceOptions>({
        containerPort: spec.port,
        cpu: spec.cpu,
        memoryLimitMiB: spec.memoryLimitMiB,
        cpuArchitecture: spec.cpuArchitecture,
        user: spec.user,
        environment: spec.environment,
        targetGroup: { ...spec.targetGroup, healthCheck: { path: spec.healthPath ?? '/health', ...spec.targetGroup?.healthCheck } },
        scaling: {
          ...scaling,
          minTasks: scaling.minTasks ?? rung.minTasks,
          maxTasks: scaling.maxTasks ?? Math.max(rung.maxTasks, minTasks),
        },
      }, override);
      const svc = new StatelessService(this, spec.name, {
        ...options,
        vpc: cluster ? undefined : vpc,
        cluster,
        image: spec.image,
        loadBalancer: this.loadBalancer,
        route: spec.pathPatterns?.length ? { pathPatterns: spec.pathPatterns, priority: spec.priority ?? 10 * (i + 1) } : undefined,
        alarms: { ...options.alarms, topic: this.alarmTopic },
      });
      cluster ??= svc.cluster;
      this.services[spec.name] = svc;
    });

    // ---- data tier ----------------------------------------------------------------------
    const db = props.database ?? {};
    if (db.enabled ?? true) {
      const removalPolicy = db.removalPolicy ?? RemovalPolicy.SNAPSHOT;
      const override = ovr.database;
      // Derived defaults follow the winning value (an override's, else the spec's).
      const readers = override?.readers ?? db.readers ?? rung.readers;
      const maxReaders = override?.readerScaling?.maxReaders ?? db.maxReaders ?? rung.maxReaders;
      const instanceType = override?.instanceType ?? db.instanceType;
      const options = mergeOptions<AuroraDatabaseOptions>({
        instanceType: db.instanceType,
        readers: db.readers ?? rung.readers,
        readerScaling: maxReaders !== undefined ? { maxReaders, minReaders: Math.min(readers, maxReaders) } : undefined,
        serverlessV2MaxCapacity: instanceType ? undefined : (props.rung === Rung.SINGLE_SERVER ? 4 : 16),
        removalPolicy,
      }, override);
      this.database = new AuroraDatabase(this, 'Database', {
        ...options,
        vpc,
        globalDatabase: props.globalDatabaseRole ? {
          globalClusterIdentifier: props.globalClusterIdentifier!,
          role: props.globalDatabaseRole,
          secondaryRegions: props.globalDatabaseRole === GlobalDatabaseRole.PRIMARY ? props.secondaryRegions : undefined,
          writeForwarding: props.globalDatabaseRole === GlobalDatabaseRole.SECONDARY ? true : undefined,
        } : undefined,
        alarms: { ...options.alarms, topic: this.alarmTopic },
      });
    }
    const cacheSpec = props.cache ?? {};
    if (rung.cache && (cacheSpec.enabled ?? true)) {
      // clusterMode follows the winning shard count (an override's, else the spec's).
      const shards = ovr.cache?.shards ?? cacheSpec.shards ?? rung.cacheShards;
      const options = mergeOptions<CacheClusterOptions>({
        cacheNodeType: cacheSpec.cacheNodeType ?? (props.rung === Rung.FULL_DISTRIBUTION ? 'cache.r7g.large' : undefined),
        clusterMode: shards > 1,
        shards,
        replicasPerShard: 1,
      }, ovr.cache);
      this.cache = new CacheCluster(this, 'Cache', {
        ...options,
        vpc,
        alarms: { ...options.alarms, topic: this.alarmTopic },
      });
    }
    for (const spec of props.services) {
      const svc = this.services[spec.name];
      if (this.database && (spec.useDatabase ?? true)) this.database.connect(svc);
      if (this.cache && (spec.useCache ?? true)) this.cache.connect(svc);
    }

    // ---- async tier ---------------------------------------------------------------------
    for (const q of props.queues ?? []) {
      const processing = q.worker?.maxProcessingTime;
      const queueOptions = mergeOptions<WorkQueueProps>({
        maxReceiveCount: q.maxReceiveCount,
        visibilityTimeout: q.visibilityTimeout ?? (processing ? Duration.seconds(Math.max(30, processing.toSeconds() * 2)) : undefined),
      }, ovr.queues?.[q.name]);
      const queue = new WorkQueue(this, `${q.name}Queue`, {
        ...queueOptions,
        alarms: { ...queueOptions.alarms, topic: this.alarmTopic },
      });
      this.queues[q.name] = queue;
      for (const producer of q.producers ?? []) {
        const svc = this.services[producer];
        queue.grantSendMessages(svc.taskDefinition.taskRole);
        svc.addEnvironment(`QUEUE_${envName(q.name)}_URL`, queue.queueUrl);
      }
      if (q.worker) {
        this.workers[q.name] = new QueueWorker(this, `${q.name}Worker`, {
          ...mergeOptions<QueueWorkerOptions>({
            minTasks: q.worker.minTasks ?? 0,
            maxTasks: q.worker.maxTasks ?? 10,
            backlogPerTask: q.worker.backlogPerTask,
            cpu: q.worker.cpu,
            memoryLimitMiB: q.worker.memoryLimitMiB,
            cpuArchitecture: q.worker.cpuArchitecture,
            user: q.worker.user,
            environment: q.worker.environment,
          }, ovr.workers?.[q.name]),
          cluster,
          vpc: cluster ? undefined : vpc,
          queue,
          image: q.worker.image,
          maxProcessingTime: q.worker.maxProcessingTime,
        });
        // Workers are stateless like the services: their state lives in the database and cache.
        const worker = this.workers[q.name].worker;
        if (this.database && (q.worker.useDatabase ?? true)) this.database.connect(worker);
        if (this.cache && (q.worker.useCache ?? true)) this.cache.connect(worker);
      }
    }
    for (const f of props.fanOuts ?? []) {
      const topic = new FanOutTopic(this, `${f.name}Topic`, ovr.fanOuts?.[f.name]);
      this.fanOuts[f.name] = topic;
      for (const name of f.subscribers) topic.addSubscriber(this.queues[name]);
      for (const publisher of f.publishers) {
        const svc = this.services[publisher];
        topic.grantPublish(svc.taskDefinition.taskRole);
        svc.addEnvironment(`TOPIC_${envName(f.name)}_ARN`, topic.topic.topicArn);
      }
    }

    if (props.purge) {
      // By name and ARN, no reference: the edge stack deploys after this one.
      const queueArn = Stack.of(this).formatArn({ service: 'sqs', region: props.purge.region, resource: props.purge.queueName });
      const queueUrl = `https://sqs.${props.purge.region}.${Stack.of(this).urlSuffix}/${this.account}/${props.purge.queueName}`;
      for (const name of props.purge.publishers) {
        const svc = this.services[name];
        svc.addEnvironment('PURGE_QUEUE_URL', queueUrl);
        svc.taskDefinition.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queueArn] }));
      }
    }

    this.dashboard = this.createDashboard();
  }

  /** Every name an override uses must be a tier of this stack. */
  private validateOverrides(props: RegionalStackProps, ovr: RegionalOverrides): void {
    const v = new Validator(this, 'RegionalStack');
    const names = (kind: string, given: { [name: string]: unknown } | undefined, known: string[]) => {
      for (const name of Object.keys(given ?? {})) {
        if (!known.includes(name)) v.fail(`overrides.${kind}: no ${kind.replace(/s$/, '')} '${name}'; ${kind} are ${known.join(', ') || '(none)'}`);
      }
    };
    names('services', ovr.services, props.services.map((s) => s.name));
    names('queues', ovr.queues, (props.queues ?? []).map((q) => q.name));
    names('workers', ovr.workers, (props.queues ?? []).filter((q) => q.worker).map((q) => q.name));
    names('fanOuts', ovr.fanOuts, (props.fanOuts ?? []).map((f) => f.name));
    for (const az of ovr.network?.availabilityZones ?? []) {
      // Zone names are regional: a stage-wide list fits one region only.
      if (!Token.isUnresolved(this.region) && !Token.isUnresolved(az) && !az.startsWith(this.region)) {
        v.fail(`overrides.network.availabilityZones: ${az} is not in this stack's region ${this.region}; give each region its zones in overrides.regions['${this.region}'].network`);
      }
    }
    if (ovr.database && props.database?.enabled === false) v.fail('overrides.database: the database is disabled (database.enabled false); drop the override or enable the database');
    if (ovr.cache && !(RUNG_DEFAULTS[props.rung].cache && (props.cache?.enabled ?? true))) {
      v.fail(`overrides.cache: there is no cache (rung ${props.rung}${props.cache?.enabled === false ? ', cache.enabled false' : ''}); caches start at rung 2 (SEPARATE_DATA_TIER)`);
    }
  }

  private createDashboard(): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `${this.stackName}`.replace(/[^A-Za-z0-9_-]/g, '-') });
    const widgets: cloudwatch.IWidget[] = [];
    for (const [name, svc] of Object.entries(this.services)) {
      widgets.push(new cloudwatch.GraphWidget({ title: `${name}: requests and 5xx`, left: [svc.metricRequestCount()], right: [svc.metricHttp5xxCount()], width: 8 }));
      widgets.push(new cloudwatch.GraphWidget({ title: `${name}: p99 latency (s)`, left: [svc.metricTargetResponseTime()], width: 8 }));
      widgets.push(new cloudwatch.GraphWidget({ title: `${name}: CPU and healthy tasks`, left: [svc.metricCpuUtilization()], right: [svc.metricHealthyHostCount()], width: 8 }));
    }
    if (this.database) {
      widgets.push(new cloudwatch.GraphWidget({ title: 'Database: CPU and connections', left: [this.database.metricCpuUtilization()], right: [this.database.metricDatabaseConnections()], width: 12 }));
      widgets.push(new cloudwatch.GraphWidget({ title: 'Database: replica lag (ms)', left: [this.database.metricReplicaLag()], width: 12 }));
    }
    if (this.cache) {
      widgets.push(new cloudwatch.GraphWidget({ title: 'Cache: hit rate (%)', left: [this.cache.metricHitRate()], width: 12 }));
      widgets.push(new cloudwatch.GraphWidget({ title: 'Cache: engine CPU and memory (%)', left: [this.cache.metricEngineCpuUtilization(), this.cache.metricMemoryUsage()], width: 12 }));
    }
    for (const [name, q] of Object.entries(this.queues)) {
      widgets.push(new cloudwatch.GraphWidget({ title: `${name}: backlog, age, dead letters`, left: [q.metricBacklog(), q.metricDeadLetters()], right: [q.metricOldestMessageAge()], width: 12 }));
    }
    dashboard.addWidgets(...widgets);
    return dashboard;
  }
}
