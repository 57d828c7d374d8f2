import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { applyStackProfile, complianceProfile, logGroupDefaults } from '../compliance/profile';
import { SubnetTier } from '../network/network';
import { notify } from '../private/alarms';
import { defaultSubnets } from '../private/subnets';
import { Validator } from '../private/validation';
import { StatelessService } from '../service/stateless-service';

/** Default node type. */
export const DEFAULT_CACHE_NODE_TYPE = 'cache.t4g.medium';
/** Default cache port. */
export const DEFAULT_CACHE_PORT = 6379;
/** Default snapshot retention. */
export const DEFAULT_CACHE_SNAPSHOT_RETENTION_DAYS = 7;
/** Snapshot retention with a regulatory compliance pack (NIST/HIPAA/PCI ask for 15 days or more). */
export const COMPLIANT_CACHE_SNAPSHOT_RETENTION_DAYS = 15;

/**
 * The cache engine.
 */
export enum CacheEngine {
  /** Valkey, the open-source fork of Redis OSS (the default). */
  VALKEY = 'valkey',
  /** Redis OSS. */
  REDIS = 'redis',
}

/** Engine versions accepted per engine, and their parameter-group families. */
const ENGINE_VERSIONS: Record<CacheEngine, Record<string, string>> = {
  [CacheEngine.VALKEY]: { '7.2': 'valkey7', '8.0': 'valkey8', '8.1': 'valkey8' },
  [CacheEngine.REDIS]: { '6.2': 'redis6.x', '7.0': 'redis7', '7.1': 'redis7' },
};
const DEFAULT_ENGINE_VERSION: Record<CacheEngine, string> = { [CacheEngine.VALKEY]: '8.0', [CacheEngine.REDIS]: '7.1' };

/**
 * What the cache evicts when memory is full (`maxmemory-policy`).
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
 */
export enum EvictionPolicy {
  /** Least recently used among all keys: the usual cache-aside choice. */
  ALLKEYS_LRU = 'allkeys-lru',
  /** Least frequently used among all keys. */
  ALLKEYS_LFU = 'allkeys-lfu',
  /** Random among all keys. */
  ALLKEYS_RANDOM = 'allkeys-random',
  /** Least recently used among keys with a TTL. */
  VOLATILE_LRU = 'volatile-lru',
  /** Least frequently used among keys with a TTL. */
  VOLATILE_LFU = 'volatile-lfu',
  /** Random among keys with a TTL. */
  VOLATILE_RANDOM = 'volatile-random',
  /** Shortest TTL first. */
  VOLATILE_TTL = 'volatile-ttl',
  /** Never evict: writes fail when memory is full (for data that must not vanish). */
  NOEVICTION = 'noeviction',
}

/**
 * Global Datastore membership (cross-region replication of the cache).
 *
 * ElastiCache prefixes the datastore ID with a region-specific code, so secondaries attach by
 * the full ID: deploy the primary, read it with `aws elasticache
 * describe-global-replication-groups`, then set it on the secondaries.
 */
export interface CacheGlobalDatastoreOptions {
  /**
   * Primary: create a Global Datastore with this ID suffix.
   *
   * @default - not a primary
   */
  readonly primaryIdSuffix?: string;

  /**
   * Secondary: the full Global Datastore ID (prefix + suffix) to join.
   *
   * @default - not a secondary
   */
  readonly secondaryOf?: string;
}

/**
 * Default alarms of a cache.
 */
export interface CacheAlarmOptions {
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
   * Alarm when engine CPU of any node exceeds this, 1–100 %.
   *
   * @default 80
   */
  readonly engineCpuPercent?: number;

  /**
   * Alarm when memory use of any node exceeds this, 1–100 %.
   *
   * @default 85
   */
  readonly memoryPercent?: number;

  /**
   * Alarm when the nodes evict more keys than this per minute (the working set outgrew memory).
   *
   * @default 1000
   */
  readonly evictionsPerMinute?: number;

  /**
   * Alarm when the cache hit rate falls below this, 0–100 %.
   *
   * @default 80
   */
  readonly hitRatePercent?: number;
}

/**
 * The tunable properties of a `CacheCluster`, every one optional: what a `ScaleoutStage`
 * override may set (`TierOverrides`).
 */
export interface CacheClusterOptions {
  /**
   * Subnets of the cache.
   *
   * @default - the `Data` subnets of a `Network`, else the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Engine.
   *
   * @default CacheEngine.VALKEY
   */
  readonly engine?: CacheEngine;

  /**
   * Engine version: Valkey 7.2, 8.0, 8.1; Redis OSS 6.2, 7.0, 7.1.
   *
   * @default '8.0' for Valkey, '7.1' for Redis OSS
   */
  readonly engineVersion?: string;

  /**
   * Node type, e.g. `cache.r7g.large`.
   *
   * @default 'cache.t4g.medium'
   */
  readonly cacheNodeType?: string;

  /**
   * Cluster mode: shard the keyspace over `shards` node groups — the horizontally scaled cache.
   *
   * @default false
   */
  readonly clusterMode?: boolean;

  /**
   * Shards (node groups), 1–500; more than 1 needs `clusterMode`.
   *
   * @default 1
   */
  readonly shards?: number;

  /**
   * Replicas per shard, 0–5.
   *
   * @default 1
   */
  readonly replicasPerShard?: number;

  /**
   * Multi-AZ with automatic failover. Needs at least one replica.
   *
   * @default true when there is a replica
   */
  readonly multiAz?: boolean;

  /**
   * Eviction policy (`maxmemory-policy`).
   *
   * @default EvictionPolicy.ALLKEYS_LRU
   */
  readonly evictionPolicy?: EvictionPolicy;

  /**
   * Port, 1024–65535.
   *
   * @default 6379
   */
  readonly port?: number;

  /**
   * RBAC user groups for authentication. When not given, an AUTH token generated in Secrets
   * Manager is used — never a literal in the template.
   *
   * @default - an AUTH token in Secrets Manager
   */
  readonly userGroupIds?: string[];

  /**
   * Length of the generated AUTH token, 16–128.
   *
   * @default 64
   */
  readonly authTokenLength?: number;

  /**
   * Customer-managed key for data at rest and the AUTH token secret.
   *
   * @default - a new key with rotation, retained on deletion
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Daily snapshots kept, 0–35 (0 turns snapshots off).
   *
   * @default 7, or 15 under a regulatory compliance pack (`ComplianceDefaults.longCacheSnapshotRetention`)
   */
  readonly snapshotRetentionDays?: number;

  /**
   * Daily snapshot window, `hh24:mi-hh24:mi` UTC, at least 60 minutes.
   *
   * @default - chosen by ElastiCache
   */
  readonly snapshotWindow?: string;

  /**
   * Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC.
   *
   * @default - chosen by ElastiCache
   */
  readonly maintenanceWindow?: string;

  /**
   * Retention of the slow-log and engine-log groups.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the replication group when it leaves the stack.
   *
   * @default RemovalPolicy.SNAPSHOT (a final snapshot)
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Global Datastore membership.
   *
   * @default - a regional cache
   */
  readonly globalDatastore?: CacheGlobalDatastoreOptions;

  /**
   * Default alarms.
   *
   * @default - engine CPU > 80 %, memory > 85 %, hit rate < 80 %, > 1000 evictions/min, replication lag > 1 s
   */
  readonly alarms?: CacheAlarmOptions;
}

/**
 * Properties of a `CacheCluster`: its options and the wiring (what it connects to).
 */
export interface CacheClusterProps extends CacheClusterOptions {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
}

/**
 * Options of `CacheCluster.connect()`.
 */
export interface CacheConnectOptions {
  /**
   * Prefix of the environment variables (`<prefix>_HOST`, `_READER_HOST`, `_PORT`, `_TLS`,
   * `_AUTH_TOKEN`).
   *
   * @default 'CACHE'
   */
  readonly envPrefix?: string;
}

/**
 * An ElastiCache (Valkey or Redis OSS) replication group for cache-aside reads and sessions:
 * one shard with replicas, or many shards in cluster mode — the horizontally scaled cache.
 *
 * Secure and data-keeping by default: isolated subnets, TLS required, encryption at rest with a
 * customer-managed key, an AUTH token from Secrets Manager (or RBAC user groups), Multi-AZ with
 * automatic failover, daily snapshots and a final snapshot on deletion, slow and engine logs.
 *
 * @example
 * const cache = new CacheCluster(stack, 'Cache', { vpc, clusterMode: true, shards: 3, replicasPerShard: 1 });
 * cache.connect(api); // security group, CACHE_HOST, CACHE_AUTH_TOKEN
 */
export class CacheCluster extends Construct {
  /** The replication group. */
  public readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** The AUTH token secret, when RBAC is not used. */
  public readonly authToken?: secretsmanager.Secret;
  /** The key for data at rest and the secret. */
  public readonly encryptionKey: kms.IKey;
  /** The cache's security group connections. */
  public readonly connections: ec2.Connections;
  /** The cache port. */
  public readonly port: number;
  /** Whether cluster mode is on. */
  public readonly clusterMode: boolean;
  /** The primary (or, in cluster mode, configuration) endpoint address. */
  public readonly primaryEndpoint: string;
  /** The reader endpoint address (cluster mode disabled), else the configuration endpoint. */
  public readonly readerEndpoint: string;
  /** The Global Datastore, when this is its primary. */
  public readonly globalDatastore?: elasticache.CfnGlobalReplicationGroup;
  /** The default alarms. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** IDs of the member cache clusters (nodes), for per-node metrics. */
  public readonly memberClusterIds: string[];

  constructor(scope: Construct, id: string, props: CacheClusterProps) {
    super(scope, id);
    const v = new Validator(this, 'CacheCluster');
    const engine = props.engine ?? CacheEngine.VALKEY;
    const engineVersion = props.engineVersion ?? DEFAULT_ENGINE_VERSION[engine];
    const clusterMode = props.clusterMode ?? false;
    const shards = props.shards ?? 1;
    const replicas = props.replicasPerShard ?? 1;
    const multiAz = props.multiAz ?? replicas > 0;
    const port = props.port ?? DEFAULT_CACHE_PORT;
    const nodeType = props.cacheNodeType ?? DEFAULT_CACHE_NODE_TYPE;
    const global = props.globalDatastore;

    // ---- validation -------------------------------------------------------------------
    v.enumValue('engine', props.engine, CacheEngine, 'CacheEngine');
    v.enumValue('evictionPolicy', props.evictionPolicy, EvictionPolicy, 'EvictionPolicy');
    v.oneOf('engineVersion', engineVersion, Object.keys(ENGINE_VERSIONS[engine]));
    v.pattern('cacheNodeType', nodeType, /^cache\.[a-z0-9]+\.[a-z0-9]+$/, "a node type like 'cache.r7g.large'");
    v.range('shards', shards, 1, 500);
    v.range('replicasPerShard', replicas, 0, 5);
    if (!clusterMode && shards > 1) v.fail(`shards must be 1 without clusterMode, got ${shards}; set clusterMode: true to shard`);
    if (clusterMode && shards * (replicas + 1) > 500) {
      v.fail(`shards × (replicasPerShard + 1) must be at most 500 nodes, got ${shards} × ${replicas + 1} = ${shards * (replicas + 1)}`);
    }
    if (multiAz && replicas < 1) v.fail('multiAz (with automatic failover) needs replicasPerShard of at least 1, got 0');
    if (clusterMode && replicas < 1 && props.multiAz !== false) {
      v.fail('clusterMode needs automatic failover, which needs replicasPerShard of at least 1, got 0');
    }
    v.range('port', port, 1024, 65535);
    v.range('authTokenLength', props.authTokenLength, 16, 128);
    if (props.userGroupIds && props.authTokenLength !== undefined) v.fail('authTokenLength applies to AUTH tokens, got it with userGroupIds (RBAC)');
    if (props.userGroupIds && props.userGroupIds.length !== 1) v.fail(`userGroupIds must hold exactly 1 user group, got ${props.userGroupIds.length}`);
    v.range('snapshotRetentionDays', props.snapshotRetentionDays, 0, 35);
    v.pattern('snapshotWindow', props.snapshotWindow, /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, "a UTC window like '03:00-04:00'");
    v.pattern('maintenanceWindow', props.maintenanceWindow, /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/,
      "a UTC window like 'sun:05:00-sun:06:00'");
    if (global?.primaryIdSuffix !== undefined && global.secondaryOf !== undefined) v.fail('globalDatastore: give primaryIdSuffix or secondaryOf, got both');
    v.pattern('globalDatastore.primaryIdSuffix', global?.primaryIdSuffix, /^[A-Za-z0-9-]{1,40}$/, '1–40 letters, digits or hyphens');
    if (global && nodeType.includes('.t')) v.fail(`cacheNodeType ${nodeType} does not support Global Datastore; use m5/r5 or newer, non-burstable node types`);
    const alarmOpts = props.alarms ?? {};
    v.range('alarms.engineCpuPercent', alarmOpts.engineCpuPercent, 1, 100, { integer: false });
    v.range('alarms.memoryPercent', alarmOpts.memoryPercent, 1, 100, { integer: false });
    v.range('alarms.evictionsPerMinute', alarmOpts.evictionsPerMinute, 0, 1e12);
    v.range('alarms.hitRatePercent', alarmOpts.hitRatePercent, 0, 100, { integer: false });

    this.port = port;
    this.clusterMode = clusterMode;

    // ---- key, secret, network -----------------------------------------------------------
    applyStackProfile(this);
    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `${this.node.path} data at rest and AUTH token`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (!props.userGroupIds && !global?.secondaryOf) {
      this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
        description: `${this.node.path} AUTH token`,
        encryptionKey: this.encryptionKey,
        generateSecretString: { passwordLength: props.authTokenLength ?? 64, excludePunctuation: true, includeSpace: false },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const authTokenRotation = 'ElastiCache AUTH tokens rotate through ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE: old and new token both accepted, '
        + 'then SET once clients use the new one, stored in this secret), not a Secrets Manager rotation Lambda, which AWS provides for ElastiCache RBAC users only; '
        + 'use userGroupIds (RBAC) for managed credential rotation.';
      acknowledge(this.authToken, {
        'AwsSolutions-SMG4': authTokenRotation,
        'HIPAA.Security-SecretsManagerRotationEnabled': authTokenRotation,
        'NIST.800.53.R5-SecretsManagerRotationEnabled': authTokenRotation,
      });
    }
    const subnets = props.vpc.selectSubnets(props.vpcSubnets ?? defaultSubnets(props.vpc, SubnetTier.DATA, ec2.SubnetType.PRIVATE_ISOLATED));
    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: `${this.node.path} subnets`,
      subnetIds: subnets.subnetIds,
    });
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${this.node.path} cache nodes`,
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(port) });

    const family = ENGINE_VERSIONS[engine][engineVersion];
    const parameterGroup = new elasticache.CfnParameterGroup(this, 'Parameters', {
      cacheParameterGroupFamily: family,
      description: `${this.node.path} parameters`,
      properties: {
        'maxmemory-policy': props.evictionPolicy ?? EvictionPolicy.ALLKEYS_LRU,
        'cluster-enabled': clusterMode ? 'yes' : 'no',
      },
    });

    const slowLog = new logs.LogGroup(this, 'SlowLog', { ...logGroupDefaults(this, logs.RetentionDays.ONE_MONTH, props.logRetention), removalPolicy: RemovalPolicy.RETAIN });
    const engineLog = new logs.LogGroup(this, 'EngineLog', { ...logGroupDefaults(this, logs.RetentionDays.ONE_MONTH, props.logRetention), removalPolicy: RemovalPolicy.RETAIN });
    const logDelivery = (logType: string, group: logs.LogGroup) => ({
      destinationType: 'cloudwatch-logs',
      destinationDetails: { cloudWatchLogsDetails: { logGroup: group.logGroupName } },
      logFormat: 'json',
      logType,
    });

    // ---- replication group --------------------------------------------------------------
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupDescription: `${this.node.path}`,
      engine,
      engineVersion,
      cacheNodeType: nodeType,
      clusterMode: clusterMode ? 'enabled' : 'disabled',
      numNodeGroups: shards,
      replicasPerNodeGroup: replicas,
      automaticFailoverEnabled: multiAz || clusterMode,
      multiAzEnabled: multiAz,
      port,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      kmsKeyId: this.encryptionKey.keyArn,
      authToken: this.authToken ? this.authToken.secretValue.unsafeUnwrap() : undefined,
      userGroupIds: props.userGroupIds,
      cacheParameterGroupName: parameterGroup.ref,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [securityGroup.securityGroupId],
      snapshotRetentionLimit: props.snapshotRetentionDays
        ?? (complianceProfile(this).longCacheSnapshotRetention ? COMPLIANT_CACHE_SNAPSHOT_RETENTION_DAYS : DEFAULT_CACHE_SNAPSHOT_RETENTION_DAYS),
      snapshotWindow: props.snapshotWindow,
      preferredMaintenanceWindow: props.maintenanceWindow,
      autoMinorVersionUpgrade: true,
      logDeliveryConfigurations: [logDelivery('slow-log', slowLog), logDelivery('engine-log', engineLog)],
      globalReplicationGroupId: global?.secondaryOf,
    });
    this.replicationGroup.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.SNAPSHOT);
    // cdk-nag's AEC5 flags the default port of the Redis engine only (Valkey is not checked).
    if (engine === CacheEngine.REDIS && port === DEFAULT_CACHE_PORT) {
      acknowledge(this.replicationGroup, {
        'AwsSolutions-AEC5': 'The default port is kept: only granted security groups reach it and TLS plus authentication are required; a non-standard port adds no protection.',
      });
    }

    if (global?.primaryIdSuffix) {
      this.globalDatastore = new elasticache.CfnGlobalReplicationGroup(this, 'GlobalDatastore', {
        globalReplicationGroupIdSuffix: global.primaryIdSuffix,
        globalReplicationGroupDescription: `${this.node.path} global datastore`,
        members: [{ replicationGroupId: this.replicationGroup.ref, replicationGroupRegion: Stack.of(this).region, role: 'PRIMARY' }],
      });
      // Fixed name: retained on deletion, removed when the stack's creation rolls back.
      this.globalDatastore.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    }

    if (clusterMode) {
      this.primaryEndpoint = this.replicationGroup.attrConfigurationEndPointAddress;
      this.readerEndpoint = this.replicationGroup.attrConfigurationEndPointAddress;
    } else {
      this.primaryEndpoint = this.replicationGroup.attrPrimaryEndPointAddress;
      this.readerEndpoint = this.replicationGroup.attrReaderEndPointAddress;
    }
    // Member cluster IDs follow ElastiCache's naming: <group>-001 (one shard) or <group>-0001-001.
    const rgId = this.replicationGroup.ref;
    this.memberClusterIds = [];
    for (let s = 1; s <= shards; s++) {
      for (let n = 1; n <= replicas + 1; n++) {
        const suffix = clusterMode ? `-${String(s).padStart(4, '0')}-${String(n).padStart(3, '0')}` : `-${String(n).padStart(3, '0')}`;
        this.memberClusterIds.push(Fn.join('', [rgId, suffix]));
      }
    }

    if (alarmOpts.enabled ?? true) this.createAlarms(alarmOpts, replicas > 0);
  }

  /**
   * Lets a service use the cache: a security-group rule on the port, the AUTH token injected as
   * `<prefix>_AUTH_TOKEN` (with KMS decrypt), and `<prefix>_HOST`, `_READER_HOST`, `_PORT`,
   * `_TLS=true` (and `_CLUSTER_MODE`) in the environment.
   */
  public connect(service: StatelessService, options: CacheConnectOptions = {}): void {
    const prefix = options.envPrefix ?? 'CACHE';
    this.connections.allowDefaultPortFrom(service, `${service.node.path} to ${this.node.path}`);
    service.addEnvironment(`${prefix}_HOST`, this.primaryEndpoint);
    service.addEnvironment(`${prefix}_READER_HOST`, this.readerEndpoint);
    service.addEnvironment(`${prefix}_PORT`, String(this.port));
    service.addEnvironment(`${prefix}_TLS`, 'true');
    service.addEnvironment(`${prefix}_CLUSTER_MODE`, String(this.clusterMode));
    if (this.authToken) {
      service.container.addSecret(`${prefix}_AUTH_TOKEN`, ecs.Secret.fromSecretsManager(this.authToken));
      this.encryptionKey.grantDecrypt(service.taskDefinition.obtainExecutionRole());
    }
  }

  /**
   * A metric summed or averaged over every node of the group with metric math.
   *
   * @param metricName e.g. 'CacheHits', 'EngineCPUUtilization'
   * @param statistic per-node statistic
   * @param aggregate how nodes combine: 'SUM', 'MAX' or 'AVG'
   */
  public metricOverNodes(
    metricName: string, statistic: string, aggregate: string, props?: cloudwatch.MathExpressionOptions,
  ): cloudwatch.MathExpression {
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    this.memberClusterIds.forEach((clusterId, i) => {
      // Unique ids across nested expressions (hit rate combines two of these).
      usingMetrics[`${metricName.toLowerCase().replace(/[^a-z0-9]/g, '')}${i}`] = this.metric(metricName, clusterId, { statistic });
    });
    return new cloudwatch.MathExpression({
      expression: `${aggregate}([${Object.keys(usingMetrics).join(', ')}])`,
      usingMetrics,
      label: `${metricName} (${aggregate.toLowerCase()} over nodes)`,
      period: Duration.minutes(1),
      ...props,
    });
  }

  /** A metric of one node (namespace AWS/ElastiCache, dimension CacheClusterId). */
  public metric(metricName: string, cacheClusterId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ElastiCache',
      metricName,
      dimensionsMap: { CacheClusterId: cacheClusterId },
      period: Duration.minutes(1),
      ...props,
    });
  }

  /** Cache hit rate in percent over all nodes: hits ÷ (hits + misses). The first figure to watch. */
  public metricHitRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    const hits = this.metricOverNodes('CacheHits', 'Sum', 'SUM');
    const misses = this.metricOverNodes('CacheMisses', 'Sum', 'SUM');
    return new cloudwatch.MathExpression({
      expression: '100 * hits / IF(hits + misses > 0, hits + misses, 1)',
      usingMetrics: { hits, misses },
      label: 'Cache hit rate (%)',
      period: Duration.minutes(1),
      ...props,
    });
  }

  /** Highest engine CPU of any node, percent. */
  public metricEngineCpuUtilization(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return this.metricOverNodes('EngineCPUUtilization', 'Average', 'MAX', props);
  }

  /** Highest host CPU of any node, percent. */
  public metricCpuUtilization(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return this.metricOverNodes('CPUUtilization', 'Average', 'MAX', props);
  }

  /** Highest memory use of any node, percent of maxmemory. */
  public metricMemoryUsage(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return this.metricOverNodes('DatabaseMemoryUsagePercentage', 'Maximum', 'MAX', props);
  }

  /** Evicted keys over all nodes. */
  public metricEvictions(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return this.metricOverNodes('Evictions', 'Sum', 'SUM', props);
  }

  /** Highest replication lag of any replica, seconds. */
  public metricReplicationLag(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return this.metricOverNodes('ReplicationLag', 'Maximum', 'MAX', props);
  }

  private createAlarms(o: CacheAlarmOptions, hasReplicas: boolean): void {
    const common = { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING };
    const alarms = [
      this.metricEngineCpuUtilization().createAlarm(this, 'EngineCpuAlarm', {
        ...common,
        threshold: o.engineCpuPercent ?? 80,
        evaluationPeriods: 5,
        alarmDescription: `${this.node.path}: engine CPU of a node above ${o.engineCpuPercent ?? 80} % for 5 of 5 minutes`,
      }),
      this.metricMemoryUsage().createAlarm(this, 'MemoryAlarm', {
        ...common,
        threshold: o.memoryPercent ?? 85,
        evaluationPeriods: 5,
        alarmDescription: `${this.node.path}: memory of a node above ${o.memoryPercent ?? 85} % for 5 of 5 minutes`,
      }),
      this.metricHitRate().createAlarm(this, 'HitRateAlarm', {
        ...common,
        threshold: o.hitRatePercent ?? 80,
        evaluationPeriods: 15,
        datapointsToAlarm: 10,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        alarmDescription: `${this.node.path}: cache hit rate below ${o.hitRatePercent ?? 80} % for 10 of 15 minutes`,
      }),
      this.metricEvictions().createAlarm(this, 'EvictionsAlarm', {
        ...common,
        threshold: o.evictionsPerMinute ?? 1000,
        evaluationPeriods: 5,
        alarmDescription: `${this.node.path}: more than ${o.evictionsPerMinute ?? 1000} evictions a minute for 5 of 5 minutes (the working set outgrew memory)`,
      }),
    ];
    if (hasReplicas) {
      alarms.push(this.metricReplicationLag().createAlarm(this, 'ReplicationLagAlarm', {
        ...common,
        threshold: 1,
        evaluationPeriods: 3,
        alarmDescription: `${this.node.path}: replication lag above 1 s for 3 of 3 minutes`,
      }));
    }
    notify(alarms, o.topic);
    this.alarms.push(...alarms);
  }
}
