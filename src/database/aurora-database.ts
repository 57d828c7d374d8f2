import { ArnFormat, CfnResource, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, CONTROL_TOWER_PREFIX } from '../compliance/acknowledge';
import { applyStackProfile, complianceProfile, HANDLER_MEMORY_MB, logGroupDefaults, logRetention, traceFunction, XRAY_STAR_REASON } from '../compliance/profile';
import { SubnetTier } from '../network/network';
import { notify } from '../private/alarms';
import { acknowledgeFunction, CLOUDFORMATION_INVOKED, NO_RESERVED_CONCURRENCY } from '../private/function-compliance';
import { defaultSubnets } from '../private/subnets';
import { Validator } from '../private/validation';
import { StatelessService } from '../service/stateless-service';

/** Default engine: Aurora PostgreSQL 16 (global-database capable). */
export const DEFAULT_AURORA_POSTGRES_VERSION = rds.AuroraPostgresEngineVersion.VER_16_8;
/** Default master user name. */
export const DEFAULT_MASTER_USERNAME = 'dbadmin';
/** Default backup retention. */
export const DEFAULT_BACKUP_RETENTION = Duration.days(7);
/** Default Serverless v2 capacity range (ACU). */
export const DEFAULT_SERVERLESS_V2_MIN_ACU = 0.5;
/** Default Serverless v2 maximum capacity (ACU). */
export const DEFAULT_SERVERLESS_V2_MAX_ACU = 16;
/** The PostgreSQL port. */
export const POSTGRES_PORT = 5432;
/** Aurora allows at most 15 replicas per cluster. */
export const MAX_AURORA_REPLICAS = 15;
/** An Aurora global database has at most 10 secondary regions. */
export const MAX_GLOBAL_SECONDARY_REGIONS = 10;
/** The construct ID of aws-cdk-lib's AwsCustomResource singleton function. */
const AWS_CUSTOM_RESOURCE_SINGLETON_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
/** Valid enhanced-monitoring intervals (seconds). */
const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];
/** Words RDS reserves as master user names for PostgreSQL. */
const RESERVED_USERNAMES = ['rdsadmin', 'rdsrepladmin', 'rds_superuser', 'admin', 'postgres', 'root', 'public', 'user'];
/** Minimum minor version per major version that supports Aurora Global Database (PostgreSQL). */
const GLOBAL_MIN_VERSION: Record<number, number> = { 11: 9, 12: 4, 13: 3, 14: 3, 15: 2, 16: 1, 17: 4 };

/**
 * The role of a cluster in an Aurora Global Database.
 */
export enum GlobalDatabaseRole {
  /** The primary region: creates the global cluster from its own cluster and takes writes. */
  PRIMARY = 'primary',
  /** A secondary region: a read-only cluster attached to the global cluster by its identifier. */
  SECONDARY = 'secondary',
}

/**
 * Aurora Global Database membership. The identifier is agreed by convention in every region,
 * so no region references another's stack (no cross-region exports).
 */
export interface GlobalDatabaseOptions {
  /** The global cluster identifier, 1–63 letters, digits and hyphens, starting with a letter. */
  readonly globalClusterIdentifier: string;

  /** Whether this region is the primary or a secondary. */
  readonly role: GlobalDatabaseRole;

  /**
   * Primary only: the secondary regions (at most 10). The master secret is replicated to them.
   *
   * @default - none
   */
  readonly secondaryRegions?: string[];

  /**
   * Secondary only: forward writes to the primary (Aurora PostgreSQL write forwarding).
   *
   * @default false
   */
  readonly writeForwarding?: boolean;
}

/**
 * Reader auto-scaling: Application Auto Scaling on `rds:cluster:ReadReplicaCount`.
 */
export interface ReaderScalingOptions {
  /**
   * Fewest readers, 0–15.
   *
   * @default 1
   */
  readonly minReaders?: number;

  /**
   * Most readers, `minReaders`–15.
   */
  readonly maxReaders: number;

  /**
   * Target average reader CPU, 10–90 %. Give this or `targetConnections`.
   *
   * @default 60 when `targetConnections` is not given
   */
  readonly targetCpuPercent?: number;

  /**
   * Target average connections per reader, 1–100,000.
   *
   * @default - CPU target
   */
  readonly targetConnections?: number;

  /**
   * Wait after a scale-in.
   *
   * @default Duration.minutes(10)
   */
  readonly scaleInCooldown?: Duration;

  /**
   * Wait after a scale-out.
   *
   * @default Duration.minutes(5)
   */
  readonly scaleOutCooldown?: Duration;
}

/**
 * Default alarms of a database.
 */
export interface DatabaseAlarmOptions {
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
   * Alarm when cluster CPU exceeds this, 1–100 %.
   *
   * @default 80
   */
  readonly cpuPercent?: number;

  /**
   * Alarm when replica lag exceeds this (readers and global secondaries).
   *
   * @default Duration.seconds(1)
   */
  readonly replicaLag?: Duration;

  /**
   * Alarm when connections exceed this (set it below the instance class's `max_connections`).
   *
   * @default - no connections alarm
   */
  readonly maxConnections?: number;

  /**
   * Alarm when freeable memory drops below this many bytes.
   *
   * @default 256 MiB
   */
  readonly freeableMemoryBytes?: number;
}

/**
 * The tunable properties of an `AuroraDatabase`, every one optional: what a `ScaleoutStage`
 * override may set (`TierOverrides`).
 */
export interface AuroraDatabaseOptions {
  /**
   * Subnets of the cluster.
   *
   * @default - the `Data` subnets of a `Network`, else the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Aurora PostgreSQL engine version.
   *
   * @default rds.AuroraPostgresEngineVersion.VER_16_8
   */
  readonly engineVersion?: rds.AuroraPostgresEngineVersion;

  /**
   * Provisioned instance class of writer and readers (e.g. `r7g.large`).
   *
   * @default - Serverless v2 with `serverlessV2MinCapacity`–`serverlessV2MaxCapacity`
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Serverless v2 minimum capacity: 0 (pauses when idle) or 0.5–256 ACU in steps of 0.5.
   *
   * @default 0.5
   */
  readonly serverlessV2MinCapacity?: number;

  /**
   * Serverless v2 maximum capacity: 1–256 ACU in steps of 0.5, at least the minimum.
   *
   * @default 16
   */
  readonly serverlessV2MaxCapacity?: number;

  /**
   * Reader instances, 0–15, spread across the AZs. Reads scale here; the writer stays one.
   *
   * @default 1
   */
  readonly readers?: number;

  /**
   * Failover priority of the readers, 0 (first) – 15.
   *
   * @default 1
   */
  readonly readerPromotionTier?: number;

  /**
   * Reader auto-scaling on CPU or connections.
   *
   * @default - a fixed number of readers
   */
  readonly readerScaling?: ReaderScalingOptions;

  /**
   * Name of the database created at launch: 1–63 letters, digits and underscores, starting with a letter.
   *
   * @default 'app'
   */
  readonly defaultDatabaseName?: string;

  /**
   * Master user name: 1–16 letters, digits and underscores, starting with a letter, not reserved.
   *
   * @default 'dbadmin'
   */
  readonly masterUsername?: string;

  /**
   * Backup retention, 1–35 days.
   *
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;

  /**
   * Protect the cluster from deletion.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the cluster (and its key) when it leaves the stack.
   *
   * @default RemovalPolicy.SNAPSHOT (the key: RETAIN)
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Put the cluster in an AWS Backup plan of its own (daily backups kept 35 days, in a
   * retained vault), on top of RDS's automated backups (`backupRetention`).
   *
   * @default false, or true under a regulatory compliance pack (`ComplianceDefaults.awsBackup`)
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/working-with-supported-services.html
   */
  readonly awsBackup?: boolean;

  /**
   * IAM database authentication.
   *
   * @default true
   */
  readonly iamAuthentication?: boolean;

  /**
   * Enhanced monitoring interval: 0 (off), 1, 5, 10, 15, 30 or 60 seconds.
   *
   * @default Duration.seconds(60)
   */
  readonly monitoringInterval?: Duration;

  /**
   * Retention of the exported PostgreSQL logs.
   *
   * @default - logs.RetentionDays.THREE_MONTHS; a year under the compliance profile's `longLogRetention`
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Customer-managed key for storage, the master secret and Performance Insights.
   *
   * @default - a new key with rotation, retained on deletion
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Extra cluster parameters (`rds.force_ssl` is always 1).
   *
   * @default - none
   */
  readonly parameters?: { [name: string]: string };

  /**
   * Put an RDS Proxy (TLS required, IAM auth) in front of the writer, for many short-lived
   * connections from many tasks.
   *
   * @default false
   */
  readonly proxy?: boolean;

  /**
   * Default alarms.
   *
   * @default - CPU > 80 %, replica lag > 1 s, freeable memory < 256 MiB (and connections when `maxConnections` is set)
   */
  readonly alarms?: DatabaseAlarmOptions;
}

/**
 * Properties of an `AuroraDatabase`: its options and the wiring (what it connects to).
 */
export interface AuroraDatabaseProps extends AuroraDatabaseOptions {
  /** The VPC. */
  readonly vpc: ec2.IVpc;

  /**
   * Aurora Global Database membership.
   *
   * @default - a regional cluster
   */
  readonly globalDatabase?: GlobalDatabaseOptions;
}

/**
 * Options of `AuroraDatabase.connect()`.
 */
export interface DatabaseConnectOptions {
  /**
   * Prefix of the environment variables (`<prefix>_HOST`, `_READER_HOST`, `_PORT`, `_NAME`,
   * `_USER`, `_PASSWORD`).
   *
   * @default 'DB'
   */
  readonly envPrefix?: string;
}

/**
 * Aurora PostgreSQL: a writer plus readers (provisioned or Serverless v2), reader
 * auto-scaling, optional RDS Proxy and Aurora Global Database membership.
 *
 * Secure and data-keeping by default: isolated subnets, storage and secret encrypted with a
 * customer-managed key, `rds.force_ssl = 1`, credentials in Secrets Manager with rotation (RDS
 * managed; a rotated generated secret for global databases), IAM authentication, log export,
 * Performance Insights, enhanced monitoring, deletion protection and `RemovalPolicy.SNAPSHOT`.
 *
 * @example
 * const db = new AuroraDatabase(stack, 'Db', { vpc, readers: 2, readerScaling: { maxReaders: 6 } });
 * db.connect(api); // security group, secret, DB_HOST / DB_READER_HOST / DB_PASSWORD
 */
export class AuroraDatabase extends Construct {
  /** The name of a global database's master secret, the same in every region. */
  public static globalSecretName(globalClusterIdentifier: string): string {
    return `${globalClusterIdentifier}/master`;
  }

  /** The cluster. */
  public readonly cluster: rds.DatabaseCluster;
  /** The writer endpoint. */
  public readonly writerEndpoint: rds.Endpoint;
  /** The reader endpoint (load-balanced over readers). */
  public readonly readerEndpoint: rds.Endpoint;
  /** The master secret (username, password) — in a secondary region, the replica of the primary's. */
  public readonly secret?: secretsmanager.ISecret;
  /** The key encrypting storage, secret and Performance Insights. */
  public readonly encryptionKey: kms.IKey;
  /** The RDS Proxy, when asked. */
  public readonly proxy?: rds.DatabaseProxy;
  /** The global cluster (primary region only). */
  public readonly globalCluster?: rds.CfnGlobalCluster;
  /** The reader auto-scaling target, when asked. */
  public readonly readerScalingTarget?: appscaling.ScalableTarget;
  /** The default alarms. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The security group connections of the cluster. */
  public readonly connections: ec2.Connections;
  /** The database created at launch. */
  public readonly databaseName: string;
  /** The role in a global database, when a member. */
  public readonly globalRole?: GlobalDatabaseRole;
  /** Whether writes sent to this (secondary) cluster are forwarded to the primary. */
  public readonly writeForwarding: boolean;
  /**
   * Where services of this region send writes (`DB_HOST`): the writer endpoint (or the proxy);
   * in a global secondary, the local reader endpoint, whose writes Aurora forwards to the
   * primary when `writeForwarding` is on (no DDL, no `nextval()`/`setval()`, no SAVEPOINT …).
   */
  public get writeHost(): string {
    // A secondary has no writer of its own (its cluster endpoint is inactive) and the primary's
    // writer is in another region's VPC. With write forwarding, writes sent to the local reader
    // endpoint are forwarded to the primary by Aurora over its own cross-region link.
    if (this.globalRole === GlobalDatabaseRole.SECONDARY) return this.readerEndpoint.hostname;
    return this.proxy ? this.proxy.endpoint : this.writerEndpoint.hostname;
  }

  constructor(scope: Construct, id: string, props: AuroraDatabaseProps) {
    super(scope, id);
    const v = new Validator(this, 'AuroraDatabase');
    const engineVersion = props.engineVersion ?? DEFAULT_AURORA_POSTGRES_VERSION;
    const readers = props.readers ?? 1;
    const minAcu = props.serverlessV2MinCapacity ?? DEFAULT_SERVERLESS_V2_MIN_ACU;
    const maxAcu = props.serverlessV2MaxCapacity ?? Math.max(DEFAULT_SERVERLESS_V2_MAX_ACU, minAcu);
    const username = props.masterUsername ?? DEFAULT_MASTER_USERNAME;
    const databaseName = props.defaultDatabaseName ?? 'app';
    const global = props.globalDatabase;
    const isSecondary = global?.role === GlobalDatabaseRole.SECONDARY;
    const rs = props.readerScaling;

    // ---- validation -------------------------------------------------------------------
    v.enumValue('globalDatabase.role', global?.role, GlobalDatabaseRole, 'GlobalDatabaseRole');
    v.range('readers', readers, 0, MAX_AURORA_REPLICAS);
    v.range('readerPromotionTier', props.readerPromotionTier, 0, 15);
    if (props.instanceType && (props.serverlessV2MinCapacity !== undefined || props.serverlessV2MaxCapacity !== undefined)) {
      v.fail(`serverlessV2MinCapacity/serverlessV2MaxCapacity apply to Serverless v2, got them with instanceType ${props.instanceType}`);
    }
    const checkAcu = (prop: string, value: number, min: number, allowZero: boolean) => {
      if (Token.isUnresolved(value)) return;
      if (!(allowZero && value === 0)) v.range(prop, value, min, 256, { integer: false });
      if (value * 2 !== Math.round(value * 2)) v.fail(`${prop} must be a multiple of 0.5 ACU, got ${value}`);
    };
    // 0 ACU lets Serverless v2 pause when idle.
    checkAcu('serverlessV2MinCapacity', minAcu, 0.5, true);
    checkAcu('serverlessV2MaxCapacity', maxAcu, 1, false);
    if (maxAcu < minAcu) v.fail(`serverlessV2MaxCapacity must be at least serverlessV2MinCapacity (${minAcu}), got ${maxAcu}`);
    v.seconds('backupRetention', props.backupRetention, 86400, 35 * 86400);
    if (props.backupRetention && !props.backupRetention.isUnresolved() && props.backupRetention.toSeconds() % 86400 !== 0) {
      v.fail(`backupRetention must be whole days between 1 and 35, got ${props.backupRetention.toHumanString()}`);
    }
    if (props.monitoringInterval) v.oneOf('monitoringInterval (seconds)', props.monitoringInterval.toSeconds(), MONITORING_INTERVALS);
    v.pattern('masterUsername', username, /^[A-Za-z][A-Za-z0-9_]{0,15}$/, '1–16 letters, digits or underscores starting with a letter');
    if (RESERVED_USERNAMES.includes(username.toLowerCase())) {
      v.fail(`masterUsername '${username}' is reserved; reserved names are ${RESERVED_USERNAMES.join(', ')}`);
    }
    v.pattern('defaultDatabaseName', databaseName, /^[A-Za-z][A-Za-z0-9_]{0,62}$/, '1–63 letters, digits or underscores starting with a letter');
    if (rs) {
      v.range('readerScaling.minReaders', rs.minReaders, 0, MAX_AURORA_REPLICAS);
      v.range('readerScaling.maxReaders', rs.maxReaders, Math.max(rs.minReaders ?? 1, 1), MAX_AURORA_REPLICAS);
      v.range('readerScaling.targetCpuPercent', rs.targetCpuPercent, 10, 90);
      v.range('readerScaling.targetConnections', rs.targetConnections, 1, 100_000);
      if (rs.targetCpuPercent !== undefined && rs.targetConnections !== undefined) {
        v.fail('readerScaling: give targetCpuPercent or targetConnections, got both');
      }
      if (readers > rs.maxReaders) {
        v.fail(`readers (${readers}) must not exceed readerScaling.maxReaders, got maxReaders ${rs.maxReaders}`);
      }
    }
    if (props.proxy && isSecondary) v.fail('proxy needs the master secret, which a global secondary does not own; put the proxy in the primary region (got proxy: true with role secondary)');
    const alarmOpts = props.alarms ?? {};
    v.range('alarms.cpuPercent', alarmOpts.cpuPercent, 1, 100, { integer: false });
    v.range('alarms.maxConnections', alarmOpts.maxConnections, 1, 1_000_000);
    if (global) {
      v.pattern('globalDatabase.globalClusterIdentifier', global.globalClusterIdentifier, /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$/,
        '1–63 letters, digits or hyphens, starting with a letter, without two consecutive hyphens');
      if (global.globalClusterIdentifier.endsWith('-')) v.fail(`globalDatabase.globalClusterIdentifier must not end with a hyphen, got '${global.globalClusterIdentifier}'`);
      const version = engineVersion.auroraPostgresFullVersion;
      const [major, minor] = version.split('.').map(Number);
      const minMinor = GLOBAL_MIN_VERSION[major];
      if (minMinor === undefined || minor < minMinor) {
        v.fail(`engineVersion ${version} does not support Aurora Global Database; use PostgreSQL ${Object.entries(GLOBAL_MIN_VERSION).map(([m, n]) => `${m}.${n}+`).join(', ')}`);
      }
      if (props.instanceType && props.instanceType.toString().startsWith('t')) {
        v.fail(`instanceType ${props.instanceType} does not support Aurora Global Database; use a memory-optimized class (r6g, r7g, r8g…) or Serverless v2`);
      }
      const secondaries = global.secondaryRegions ?? [];
      if (isSecondary && secondaries.length > 0) v.fail('globalDatabase.secondaryRegions is set in the primary region only, got it with role secondary');
      if (!isSecondary && global.writeForwarding) v.fail('globalDatabase.writeForwarding applies to secondary regions, got it with role primary');
      v.range('globalDatabase.secondaryRegions.length', secondaries.length, 0, MAX_GLOBAL_SECONDARY_REGIONS);
      const region = Stack.of(this).region;
      for (const r of secondaries) {
        v.pattern('globalDatabase.secondaryRegions', r, /^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'AWS region names like eu-west-1');
        if (!Token.isUnresolved(region) && r === region) v.fail(`globalDatabase.secondaryRegions must not contain the primary region ${region}`);
      }
      if (new Set(secondaries).size !== secondaries.length) v.fail(`globalDatabase.secondaryRegions must be unique, got ${secondaries.join(', ')}`);
      if (Token.isUnresolved(region)) v.fail('globalDatabase needs a stack with an explicit region (env.region)');
    }

    // ---- key, parameters, credentials --------------------------------------------------
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    applyStackProfile(this);
    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `${this.node.path} storage, secret and Performance Insights`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: engineVersion });
    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: `${this.node.path} cluster parameters`,
      parameters: { ...props.parameters, 'rds.force_ssl': '1' },
    });

    let credentials: rds.Credentials | undefined;
    let manageMasterUserPassword: boolean | undefined;
    if (!global) {
      // RDS-managed master password: stored in Secrets Manager, rotated by RDS, no Lambda.
      credentials = rds.Credentials.fromUsername(username, { encryptionKey: this.encryptionKey });
      manageMasterUserPassword = true;
    } else if (!isSecondary) {
      // RDS-managed passwords are not supported on global databases: a generated secret,
      // replicated to the secondary regions under a name every region knows.
      credentials = rds.Credentials.fromGeneratedSecret(username, {
        secretName: AuroraDatabase.globalSecretName(global.globalClusterIdentifier),
        encryptionKey: this.encryptionKey,
        replicaRegions: (global.secondaryRegions ?? []).map((region) => ({ region })),
      });
    }

    // ---- cluster ------------------------------------------------------------------------
    const vpcSubnets = props.vpcSubnets ?? defaultSubnets(props.vpc, SubnetTier.DATA, ec2.SubnetType.PRIVATE_ISOLATED);
    const azs = props.vpc.availabilityZones;
    const instance = (name: string, reader: boolean, index: number): rds.IClusterInstance => {
      const common = {
        enablePerformanceInsights: true,
        performanceInsightEncryptionKey: this.encryptionKey,
        autoMinorVersionUpgrade: true,
        promotionTier: reader ? (props.readerPromotionTier ?? 1) : undefined,
        // Readers round-robin over the AZs after the writer's.
        availabilityZone: reader && azs.length > 1 && !Token.isUnresolved(azs[0]) ? azs[(index + 1) % azs.length] : undefined,
      };
      return props.instanceType
        ? rds.ClusterInstance.provisioned(name, { ...common, instanceType: props.instanceType })
        : rds.ClusterInstance.serverlessV2(name, { ...common, scaleWithWriter: reader && (props.readerPromotionTier ?? 1) <= 1 });
    };
    const monitoringInterval = props.monitoringInterval ?? Duration.seconds(60);
    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine,
      port: POSTGRES_PORT,
      vpc: props.vpc,
      vpcSubnets,
      writer: instance('Writer', false, 0),
      readers: Array.from({ length: readers }, (_, i) => instance(`Reader${i + 1}`, true, i)),
      serverlessV2MinCapacity: props.instanceType ? undefined : minAcu,
      serverlessV2MaxCapacity: props.instanceType ? undefined : maxAcu,
      credentials,
      manageMasterUserPassword,
      // A secondary has no credentials of its own: it inherits the primary's. Setting the
      // source identifier here keeps the L2 from creating a secret; it is replaced below.
      replicationSourceIdentifier: isSecondary ? global!.globalClusterIdentifier : undefined,
      defaultDatabaseName: isSecondary ? undefined : databaseName,
      parameterGroup,
      storageEncrypted: true,
      storageEncryptionKey: this.encryptionKey,
      iamAuthentication: props.iamAuthentication ?? true,
      backup: { retention: props.backupRetention ?? DEFAULT_BACKUP_RETENTION },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy,
      cloudwatchLogsExports: ['postgresql'],
      cloudwatchLogsRetention: logRetention(this, logs.RetentionDays.THREE_MONTHS, props.logRetention),
      monitoringInterval: monitoringInterval.toSeconds() > 0 ? monitoringInterval : undefined,
      copyTagsToSnapshot: true,
    });
    const cfnCluster = this.cluster.node.defaultChild as rds.CfnDBCluster;
    if (isSecondary) {
      // A secondary inherits the primary's credentials: the L2 renders no master user with
      // `replicationSourceIdentifier` set, but still generates a secret; drop that unused secret.
      this.cluster.node.tryRemoveChild('Secret');
      cfnCluster.replicationSourceIdentifier = undefined;
      cfnCluster.globalClusterIdentifier = global!.globalClusterIdentifier;
      if (global!.writeForwarding) cfnCluster.enableGlobalWriteForwarding = true;
      this.secret = this.replicaSecret(AuroraDatabase.globalSecretName(global!.globalClusterIdentifier));
    } else {
      this.secret = this.cluster.secret;
    }
    if (global && !isSecondary) {
      // The global master secret is the only copy of the credentials the secondaries share:
      // keep it (and its replicas) when the stack or the cluster goes, like the cluster's data; but
      // not when the stack's creation rolls back: its fixed name would fail the retried create.
      (this.cluster.node.findChild('Secret') as secretsmanager.Secret).applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    }
    if (global && !isSecondary) {
      this.globalCluster = new rds.CfnGlobalCluster(this, 'GlobalCluster', {
        globalClusterIdentifier: global.globalClusterIdentifier,
        sourceDbClusterIdentifier: this.cluster.clusterArn,
        deletionProtection: props.deletionProtection ?? true,
      });
      // Fixed identifier: retained on deletion, removed when the stack's creation rolls back.
      this.globalCluster.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
      this.cluster.addRotationSingleUser({
        automaticallyAfter: Duration.days(30),
        vpcSubnets: defaultSubnets(props.vpc, SubnetTier.APP, ec2.SubnetType.PRIVATE_WITH_EGRESS),
      });
      this.concretePortRules();
    }
    this.writerEndpoint = this.cluster.clusterEndpoint;
    this.readerEndpoint = this.cluster.clusterReadEndpoint;
    this.globalRole = global?.role;
    this.writeForwarding = isSecondary && (global!.writeForwarding ?? false);

    this.connections = this.cluster.connections;
    this.databaseName = databaseName;

    // cloudwatchLogsRetention uses CDK's stack-wide log-retention function.
    const logRetentionFn = Stack.of(this).node.tryFindChild('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a');
    if (logRetentionFn) {
      acknowledge(logRetentionFn.node.defaultChild ?? logRetentionFn, {
        [`${CONTROL_TOWER_PREFIX}lambda_inside_vpc_check`]: "aws-cdk-lib's log-retention function (sets the retention of RDS's exported log groups at deploy time) calls only the CloudWatch Logs API and reaches nothing inside a VPC.",
      });
      acknowledge(logRetentionFn, {
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': "CDK's log-retention function (sets the retention of RDS's exported log groups at deploy time): aws-cdk-lib attaches the AWS-managed AWSLambdaBasicExecutionRole, which allows logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents on every log group of the account (Resource '*'), not only its own; it grants no read and runs only aws-cdk-lib's handler on CloudFormation events.",
        'AwsSolutions-IAM5[Resource::*]': "CDK's log-retention function: logs:PutRetentionPolicy and logs:DeleteRetentionPolicy on '*' because RDS names the log group at deploy time.",
      });
    }
    if (props.awsBackup ?? complianceProfile(this).awsBackup) this.addBackupPlan();
    if (monitoringInterval.toSeconds() > 0) {
      acknowledge(this.cluster.node.findChild('MonitoringRole'), {
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]': 'AmazonRDSEnhancedMonitoringRole is the AWS-documented policy for RDS enhanced monitoring and covers only its log stream.',
      });
    }

    // ---- proxy --------------------------------------------------------------------------
    if (props.proxy) {
      this.proxy = this.cluster.addProxy('Proxy', {
        secrets: [this.secret!],
        vpc: props.vpc,
        vpcSubnets,
        requireTLS: true,
        iamAuth: true,
      });
      this.cluster.connections.allowFrom(this.proxy, ec2.Port.tcp(POSTGRES_PORT), `${this.node.path} proxy to cluster`);
    }

    // ---- reader scaling -----------------------------------------------------------------
    if (rs) {
      this.readerScalingTarget = new appscaling.ScalableTarget(this, 'ReaderScaling', {
        serviceNamespace: appscaling.ServiceNamespace.RDS,
        scalableDimension: 'rds:cluster:ReadReplicaCount',
        resourceId: `cluster:${this.cluster.clusterIdentifier}`,
        minCapacity: rs.minReaders ?? 1,
        maxCapacity: rs.maxReaders,
      });
      this.readerScalingTarget.node.addDependency(this.cluster);
      this.readerScalingTarget.scaleToTrackMetric('Target', {
        predefinedMetric: rs.targetConnections !== undefined
          ? appscaling.PredefinedMetric.RDS_READER_AVERAGE_DATABASE_CONNECTIONS
          : appscaling.PredefinedMetric.RDS_READER_AVERAGE_CPU_UTILIZATION,
        targetValue: rs.targetConnections ?? rs.targetCpuPercent ?? 60,
        scaleInCooldown: rs.scaleInCooldown ?? Duration.minutes(10),
        scaleOutCooldown: rs.scaleOutCooldown ?? Duration.minutes(5),
      });
    }

    if (alarmOpts.enabled ?? true) this.createAlarms(alarmOpts, readers > 0 || !!rs, isSecondary);
  }

  /**
   * Lets a service use the database: a security-group rule on the port (of the proxy when
   * there is one), the master secret injected as `<prefix>_USER` / `<prefix>_PASSWORD` (with
   * KMS decrypt), and in the environment:
   * - `<prefix>_HOST`: where to write (`writeHost`: the writer or proxy; in a global secondary
   *   the local reader endpoint, with write forwarding);
   * - `<prefix>_READER_HOST`: the local reader endpoint;
   * - `<prefix>_PORT`, `<prefix>_NAME`;
   * - `<prefix>_MIGRATE`: `true` where schema changes may run (not in a global secondary);
   * - `<prefix>_SECRET_ARN`: the master secret, which the task role may read: `_USER`/`_PASSWORD`
   *   are injected at task start, so after a rotation re-read it and reconnect (PostgreSQL
   *   error 28P01, invalid password);
   * - `<prefix>_WRITE_FORWARDING`: in a global secondary, whether writes are forwarded.
   */
  public connect(service: StatelessService, options: DatabaseConnectOptions = {}): void {
    const prefix = options.envPrefix ?? 'DB';
    const target: ec2.IConnectable = this.proxy ?? this.cluster;
    target.connections.allowFrom(service, ec2.Port.tcp(POSTGRES_PORT), `${service.node.path} to ${this.node.path}`);
    service.addEnvironment(`${prefix}_HOST`, this.writeHost);
    service.addEnvironment(`${prefix}_READER_HOST`, this.readerEndpoint.hostname);
    service.addEnvironment(`${prefix}_PORT`, String(POSTGRES_PORT));
    service.addEnvironment(`${prefix}_NAME`, this.databaseName);
    const secondary = this.globalRole === GlobalDatabaseRole.SECONDARY;
    // Schema changes (DDL) and sequences work on the primary's writer only.
    service.addEnvironment(`${prefix}_MIGRATE`, String(!secondary));
    if (secondary) service.addEnvironment(`${prefix}_WRITE_FORWARDING`, String(this.writeForwarding));
    if (this.secret) {
      service.container.addSecret(`${prefix}_USER`, ecs.Secret.fromSecretsManager(this.secret, 'username'));
      service.container.addSecret(`${prefix}_PASSWORD`, ecs.Secret.fromSecretsManager(this.secret, 'password'));
      this.encryptionKey.grantDecrypt(service.taskDefinition.obtainExecutionRole());
      // ECS injects the password once, at task start; the secret is rotated (RDS: every 7 days,
      // global: every 30). The task may read the secret itself to reconnect after a rotation.
      service.addEnvironment(`${prefix}_SECRET_ARN`, this.secret.secretArn);
      this.secret.grantRead(service.taskDefinition.taskRole);
      this.encryptionKey.grantDecrypt(service.taskDefinition.taskRole);
    }
  }

  /**
   * The primary's master secret as replicated into this (secondary) region, by its complete ARN.
   * `Secret.fromSecretNameV2` gives a partial ARN (no `-XXXXXX` suffix), which ECS rejects
   * for secrets with JSON keys (aws-cdk #18555, #20744): tasks would fail to start. The ARN is
   * read in this region at deploy time (DescribeSecret on the replica), with no cross-region
   * reference; the stack deploys after the primary's, which creates the replica.
   */
  private replicaSecret(name: string): secretsmanager.ISecret {
    const stack = Stack.of(this);
    const describe: cr.AwsSdkCall = {
      service: 'SecretsManager',
      action: 'describeSecret',
      parameters: { SecretId: name },
      physicalResourceId: cr.PhysicalResourceId.fromResponse('ARN'),
      outputPaths: ['ARN'],
    };
    const lookup = new cr.AwsCustomResource(this, 'ReplicaSecretArn', {
      onCreate: describe,
      onUpdate: describe,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({
        resources: [stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${name}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
      installLatestAwsSdk: false,
      memorySize: HANDLER_MEMORY_MB,
      logGroup: new logs.LogGroup(this, 'ReplicaSecretArnLogs', logGroupDefaults(this, logs.RetentionDays.THREE_MONTHS)),
    });
    const provider = stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_SINGLETON_ID);
    if (provider) {
      const traced = provider instanceof lambda.Function && traceFunction(provider);
      acknowledge(provider, {
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': "aws-cdk-lib's AwsCustomResource function (reads the replica secret's ARN at deploy time) has the AWS-managed AWSLambdaBasicExecutionRole: logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents on every log group of the account (Resource '*'); no read, aws-cdk-lib's handler only.",
        ...(traced ? { 'AwsSolutions-IAM5[Resource::*]': XRAY_STAR_REASON } : {}),
      });
      acknowledgeFunction(provider, {
        concurrency: `${NO_RESERVED_CONCURRENCY} aws-cdk-lib's AwsCustomResource function runs once per operation on its custom resources of a deployment.`,
        dlq: CLOUDFORMATION_INVOKED,
        vpc: "aws-cdk-lib's AwsCustomResource function calls the AWS APIs of its custom resources (here Secrets Manager DescribeSecret, for the replica secret's ARN) and CloudFormation's pre-signed response URL; it reaches nothing inside a VPC.",
      });
    }
    return secretsmanager.Secret.fromSecretCompleteArn(this, 'ReplicaSecret', lookup.getResponseField('ARN'));
  }

  /**
   * The cluster's security-group rules that aws-cdk-lib writes with the cluster's endpoint port
   * (`Fn::GetAtt Endpoint.Port`, e.g. the one from the rotation function's security group) get
   * the port itself: it is POSTGRES_PORT (the cluster's `port`), and a literal port is what
   * reviewers and rule packs can read (cdk-nag cannot resolve the attribute).
   */
  private concretePortRules(): void {
    const stack = Stack.of(this);
    const endpointPort = stack.resolve((this.cluster.node.defaultChild as rds.CfnDBCluster).attrEndpointPort);
    for (const c of this.cluster.node.findAll()) {
      if (!(c instanceof ec2.CfnSecurityGroupIngress) || !Token.isUnresolved(c.fromPort)) continue;
      const same = (value: unknown) => JSON.stringify(stack.resolve(value)) === JSON.stringify(endpointPort);
      if (!same(c.fromPort) || !same(c.toPort)) continue;
      c.fromPort = POSTGRES_PORT;
      c.toPort = POSTGRES_PORT;
    }
  }

  /** An AWS Backup plan for the cluster (see `awsBackup`). */
  private addBackupPlan(): void {
    const plan = new backup.BackupPlan(this, 'BackupPlan', {
      // A plan name is unique per account and region (aws-cdk-lib names it after the construct id).
      backupPlanName: Names.uniqueResourceName(this, { maxLength: 50, separator: '-' }),
    });
    plan.addRule(backup.BackupPlanRule.daily());
    // The vault has a fixed name: retained on deletion (it holds the recovery points), removed when
    // the stack's creation rolls back (a retained empty vault would fail the retried create).
    (plan.backupVault.node.defaultChild as CfnResource).applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    const selection = plan.addSelection('Cluster', { resources: [backup.BackupResource.fromRdsDatabaseCluster(this.cluster)] });
    acknowledge(selection, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]':
        'AWSBackupServiceRolePolicyForBackup is the AWS-documented service role policy that lets AWS Backup snapshot the cluster.',
    });
    // AWS Backup protects an Aurora cluster as a whole; its instances hold no data of their own
    // and cannot be selected. cdk-nag's RDSInBackupPlan looks for the instances.
    for (const instance of this.cluster.node.findAll().filter((c) => c instanceof rds.CfnDBInstance)) {
      const reason = `An Aurora instance is backed up with its cluster, which is in the AWS Backup plan ${plan.node.path}; AWS Backup does not select Aurora instances.`;
      acknowledge(instance, { 'NIST.800.53.R4-RDSInBackupPlan': reason, 'NIST.800.53.R5-RDSInBackupPlan': reason, 'HIPAA.Security-RDSInBackupPlan': reason });
    }
  }

  /** A metric of the cluster (namespace AWS/RDS, dimension DBClusterIdentifier). */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metric(metricName, { period: Duration.minutes(1), ...props });
  }

  /** Replica lag of the readers in milliseconds, maximum per minute. */
  public metricReplicaLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('AuroraReplicaLag', { statistic: 'Maximum', ...props });
  }

  /** Lag of this secondary region behind the global primary, in milliseconds, maximum per minute. */
  public metricGlobalReplicationLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('AuroraGlobalDBReplicationLag', { statistic: 'Maximum', ...props });
  }

  /** CPU utilization, average per minute. */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CPUUtilization', { statistic: 'Average', ...props });
  }

  /** Freeable memory in bytes, minimum per minute. */
  public metricFreeableMemory(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('FreeableMemory', { statistic: 'Minimum', ...props });
  }

  /** Database connections, maximum per minute. */
  public metricDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DatabaseConnections', { statistic: 'Maximum', ...props });
  }

  private createAlarms(o: DatabaseAlarmOptions, hasReaders: boolean, isSecondary: boolean): void {
    const lagMs = (o.replicaLag ?? Duration.seconds(1)).toMilliseconds();
    const common = { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING };
    const alarms = [
      this.metricCpuUtilization().createAlarm(this, 'CpuAlarm', {
        ...common,
        alarmDescription: `${this.node.path}: CPU above ${o.cpuPercent ?? 80} % for 5 of 5 minutes`,
        threshold: o.cpuPercent ?? 80,
        evaluationPeriods: 5,
      }),
      this.metricFreeableMemory().createAlarm(this, 'FreeableMemoryAlarm', {
        ...common,
        alarmDescription: `${this.node.path}: freeable memory low for 5 of 5 minutes`,
        threshold: o.freeableMemoryBytes ?? 256 * 1024 * 1024,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 5,
      }),
    ];
    if (o.maxConnections !== undefined) {
      alarms.push(this.metricDatabaseConnections().createAlarm(this, 'ConnectionsAlarm', {
        ...common,
        alarmDescription: `${this.node.path}: more than ${o.maxConnections} connections for 3 of 3 minutes`,
        threshold: o.maxConnections,
        evaluationPeriods: 3,
      }));
    }
    if (hasReaders) {
      alarms.push(this.metricReplicaLag().createAlarm(this, 'ReplicaLagAlarm', {
        ...common,
        alarmDescription: `${this.node.path}: reader replica lag above ${lagMs} ms for 3 of 3 minutes`,
        threshold: lagMs,
        evaluationPeriods: 3,
      }));
    }
    if (isSecondary) {
      alarms.push(this.metricGlobalReplicationLag().createAlarm(this, 'GlobalReplicationLagAlarm', {
        ...common,
        alarmDescription: `${this.node.path}: global replication lag above ${lagMs} ms for 3 of 3 minutes`,
        threshold: lagMs,
        evaluationPeriods: 3,
      }));
    }
    notify(alarms, o.topic);
    this.alarms.push(...alarms);
  }
}
