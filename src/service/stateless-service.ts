import { Duration, RemovalPolicy, TimeZone, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { LoadBalancerType, ServiceLoadBalancer } from './service-load-balancer';
import { TargetGroupTuning } from './target-group';
import { acknowledge, acknowledgeControlTower } from '../compliance/acknowledge';
import { SubnetTier } from '../network/network';
import { notify } from '../private/alarms';
import { defaultSubnets } from '../private/subnets';
import { Validator } from '../private/validation';
import { describeMemoryFor, FARGATE_TASK_SIZES } from './private/fargate-sizes';
import { createTargetGroup, validateTargetGroupTuning } from './private/target-group-factory';
import { complianceProfile, logGroupDefaults } from '../compliance/profile';

/** Default task CPU units (0.5 vCPU). */
export const DEFAULT_TASK_CPU = 512;
/** Default task memory (MiB). */
export const DEFAULT_TASK_MEMORY_MIB = 1024;
/** Default container port. */
export const DEFAULT_CONTAINER_PORT = 8080;
/** Default stop timeout, the time between SIGTERM and SIGKILL; starts after the deregistration delay. */
export const DEFAULT_STOP_TIMEOUT = Duration.seconds(30);
/** Default minimum task count: two, one per AZ, so one task or AZ can fail. */
export const DEFAULT_MIN_TASKS = 2;
/**
 * The user the containers run as under a regulatory pack (`ComplianceDefaults.nonRootContainers`)
 * when `user` is not set: uid and gid 1000, the first unprivileged user of most base images (the
 * `node` user of the Node.js images).
 */
export const DEFAULT_NON_ROOT_USER = '1000:1000';
/** Default maximum task count. */
export const DEFAULT_MAX_TASKS = 10;
/** Default CPU target of the target-tracking policy. */
export const DEFAULT_CPU_TARGET_PERCENT = 60;
/** Maximum tasks per ECS service. */
const MAX_TASKS_PER_SERVICE = 5000;
/** Environment variable names that look like secrets and must go through `secrets`. */
const SECRET_LIKE_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)/i;

/** A name that looks like it holds a secret value. `*_ARN` names an identifier (e.g. `DB_SECRET_ARN`), not the value. */
function isSecretLike(name: string): boolean {
  return SECRET_LIKE_NAME.test(name) && !/_ARN$/i.test(name);
}

function secretLikeMessage(name: string): string {
  return `environment.${name} looks like a secret; pass it in secrets (ecs.Secret.fromSecretsManager / fromSsmParameter) instead of a plain environment variable`;
}

/**
 * A scheduled change of the task-count bounds (e.g. scale up before a daily peak).
 */
export interface ScheduledScaling {
  /** When to apply the bounds, e.g. `Schedule.cron({ hour: '8', minute: '0' })`. */
  readonly schedule: appscaling.Schedule;

  /**
   * New minimum task count.
   *
   * @default - unchanged
   */
  readonly minTasks?: number;

  /**
   * New maximum task count.
   *
   * @default - unchanged
   */
  readonly maxTasks?: number;

  /**
   * Time zone of a cron schedule.
   *
   * @default - UTC
   */
  readonly timeZone?: TimeZone;
}

/**
 * Horizontal scaling of a service: how many tasks, and on what signals.
 */
export interface ServiceScaling {
  /**
   * Fewest tasks, 1–5000 (0 allowed without a load balancer: a worker scaled to zero).
   *
   * @default 2 (in a `ScaleoutStage`: the rung's, 1, 1, 2, 2 at rungs 1–4)
   */
  readonly minTasks?: number;

  /**
   * Most tasks, `minTasks`–5000.
   *
   * @default 10 (in a `ScaleoutStage`: the rung's, 1, 2, 10, 20 at rungs 1–4)
   */
  readonly maxTasks?: number;

  /**
   * Target average CPU utilization, 10–90 %.
   *
   * @default 60
   */
  readonly cpuTargetPercent?: number;

  /**
   * Track CPU at all. Queue workers scale on backlog instead and turn this off.
   *
   * @default true
   */
  readonly cpuScaling?: boolean;

  /**
   * Target average memory utilization, 10–90 %.
   *
   * @default - no memory policy
   */
  readonly memoryTargetPercent?: number;

  /**
   * Target requests per task per minute, from the ALB (`RequestCountPerTarget`), 1–1,000,000.
   * Usually the best signal for request/response services.
   *
   * @default - no request-count policy
   */
  readonly requestsPerTarget?: number;

  /**
   * Wait after a scale-in before the next one, 0–3600 seconds.
   *
   * @default Duration.minutes(5)
   */
  readonly scaleInCooldown?: Duration;

  /**
   * Wait after a scale-out before the next one, 0–3600 seconds.
   *
   * @default Duration.minutes(1)
   */
  readonly scaleOutCooldown?: Duration;

  /**
   * Scheduled changes of the bounds, by name.
   *
   * @default - none
   */
  readonly schedules?: { [name: string]: ScheduledScaling };
}

/**
 * Rolling deployments.
 */
export interface ServiceDeployment {
  /**
   * Roll back automatically when new tasks fail to become healthy.
   *
   * @default true
   */
  readonly rollback?: boolean;

  /**
   * Lower bound of running tasks during a deployment, 0–100 % of the desired count.
   *
   * @default 100
   */
  readonly minHealthyPercent?: number;

  /**
   * Upper bound of running tasks during a deployment, 100–200 %.
   *
   * @default 200
   */
  readonly maxHealthyPercent?: number;
}

/**
 * Default alarms of a service.
 */
export interface ServiceAlarmOptions {
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
   * Alarm when target 5xx responses exceed this share of requests, 0–100 % (ALB).
   *
   * @default 5
   */
  readonly http5xxRatePercent?: number;

  /**
   * Alarm when p99 target response time exceeds this (ALB).
   *
   * @default Duration.seconds(2)
   */
  readonly p99Latency?: Duration;
}

/**
 * The tunable properties of a `StatelessService`, every one optional: what a `ScaleoutStage`
 * override may set (`TierOverrides`).
 */
export interface StatelessServiceOptions {
  /**
   * Subnets of the tasks. Tasks never get public IPs.
   *
   * @default - the `App` subnets of a `Network`, else the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Port the container listens on, 1–65535.
   *
   * @default 8080
   */
  readonly containerPort?: number;

  /**
   * Task CPU units, one of Fargate's 256, 512, 1024, 2048, 4096, 8192, 16384. The vertical knob.
   *
   * @default 512
   */
  readonly cpu?: number;

  /**
   * Task memory in MiB, valid for `cpu` per Fargate's table.
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
   * Plain configuration. Names that look like secrets (PASSWORD, TOKEN, SECRET…) are rejected:
   * pass those through `secrets`.
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * Secrets from Secrets Manager or SSM Parameter Store, injected at start; never in the template.
   *
   * @default - none
   */
  readonly secrets?: { [key: string]: ecs.Secret };

  /**
   * Container health check (in addition to the load balancer's).
   *
   * @default - none; the load balancer's health check decides
   */
  readonly containerHealthCheck?: ecs.HealthCheck;

  /**
   * Make the root filesystem read-only; `writablePaths` stay writable (task storage).
   *
   * @default true
   */
  readonly readonlyRootFilesystem?: boolean;

  /**
   * Writable scratch paths when the root filesystem is read-only.
   *
   * @default ['/tmp']
   */
  readonly writablePaths?: string[];

  /**
   * The user the container runs as: `uid`, `uid:gid`, `user` or `user:group` (ECS `User`).
   * A non-root user cannot write to a scratch path (`writablePaths`) unless the image owns it:
   * ECS creates the volume root-owned with mode 0755, or copies the path's contents and
   * permissions when the image declares it with `VOLUME` (e.g. `VOLUME ["/tmp"]` keeps /tmp's 1777).
   *
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html
   * @default - the image's user; under a regulatory pack (`ComplianceDefaults.nonRootContainers`)
   * `'1000:1000'` (`DEFAULT_NON_ROOT_USER`)
   */
  readonly user?: string;

  /**
   * Retention of the container log group.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Target-group tuning: algorithm, slow start, health check, deregistration delay, stickiness.
   *
   * @default - round robin, '/health', 30 s deregistration delay, no stickiness
   */
  readonly targetGroup?: TargetGroupTuning;

  /**
   * Horizontal scaling.
   *
   * @default - 2–10 tasks tracking 60 % CPU
   */
  readonly scaling?: ServiceScaling;

  /**
   * Rolling-deployment settings.
   *
   * @default - circuit breaker with rollback, 100 % min healthy, 200 % max
   */
  readonly deployment?: ServiceDeployment;

  /**
   * Time between SIGTERM and SIGKILL, 2–120 seconds. ECS sends SIGTERM after the target's
   * deregistration delay, so in-flight requests drain first.
   *
   * @default Duration.seconds(30)
   */
  readonly stopTimeout?: Duration;

  /**
   * Grace period for load-balancer health checks after a task starts, 0–2,147,483,647 s.
   *
   * @default Duration.seconds(60) with a load balancer
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * Default alarms.
   *
   * @default - 5xx rate > 5 %, p99 > 2 s (ALB) and unhealthy tasks, without actions
   */
  readonly alarms?: ServiceAlarmOptions;
}

/**
 * Properties of a `StatelessService`: its options and the wiring (what it connects to).
 */
export interface StatelessServiceProps extends StatelessServiceOptions {
  /** The container image. Keep state out of it: sessions go to the cache, data to the database. */
  readonly image: ecs.ContainerImage;

  /**
   * The VPC (ignored when `cluster` is given).
   *
   * @default - the cluster's VPC; one of `vpc` or `cluster` is required
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The ECS cluster. Share one between services of a region.
   *
   * @default - a new cluster with Container Insights (enhanced) in `vpc`
   */
  readonly cluster?: ecs.ICluster;

  /**
   * The load balancer in front. A target group is created and routed (see `route`).
   *
   * @default - no load balancer (e.g. a worker)
   */
  readonly loadBalancer?: ServiceLoadBalancer;

  /**
   * How the load balancer routes to this service.
   *
   * @default - the default route (no path or host conditions)
   */
  readonly route?: ServiceRoute;
}

/**
 * How a load balancer routes to a service.
 */
export interface ServiceRoute {
  /**
   * Path patterns, e.g. `['/api/*']` (ALB).
   *
   * @default - any path
   */
  readonly pathPatterns?: string[];

  /**
   * Host headers, e.g. `['api.example.com']` (ALB).
   *
   * @default - any host
   */
  readonly hostHeaders?: string[];

  /**
   * Rule priority, 1–50000, unique per listener. Required with conditions.
   *
   * @default - none (default route)
   */
  readonly priority?: number;

  /**
   * Register the route. Set false to forward to `service.targetGroup` yourself, e.g. in a
   * weighted canary route made with `ServiceLoadBalancer.addRoute()`.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/**
 * A stateless ECS Fargate service that scales out behind an ALB or NLB.
 *
 * Secure by default: private subnets, no public IP, read-only root filesystem, secrets only
 * from Secrets Manager/SSM, logs with retention. Deploys roll back on failure; the
 * deregistration delay drains requests before SIGTERM. Scales on CPU (and requests per target,
 * memory, schedules when asked); alarms on 5xx rate, p99 latency and unhealthy tasks.
 *
 * @example
 * new StatelessService(stack, 'Api', {
 *   cluster,
 *   image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
 *   loadBalancer: lb,
 *   route: { pathPatterns: ['/api/*'], priority: 10 },
 *   targetGroup: { algorithm: LoadBalancingAlgorithm.LEAST_OUTSTANDING_REQUESTS },
 *   scaling: { minTasks: 2, maxTasks: 20, requestsPerTarget: 1000 },
 * });
 */
export class StatelessService extends Construct {
  /** The ECS service. */
  public readonly service: ecs.FargateService;
  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The application container. */
  public readonly container: ecs.ContainerDefinition;
  /** The cluster. */
  public readonly cluster: ecs.ICluster;
  /** The container log group. */
  public readonly logGroup: logs.LogGroup;
  /** The target group, when behind a load balancer. */
  public readonly targetGroup?: elbv2.ApplicationTargetGroup | elbv2.NetworkTargetGroup;
  /** The scalable task count. */
  public readonly scaling: ecs.ScalableTaskCount;
  /** The Application Auto Scaling target of the task count, for policies the L2 cannot express. */
  public readonly scalableTarget: appscaling.ScalableTarget;
  /** The default alarms. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The container port. */
  public readonly containerPort: number;
  /** The security group of the tasks. */
  public readonly connections: ec2.Connections;

  private readonly loadBalancer?: ServiceLoadBalancer;

  constructor(scope: Construct, id: string, props: StatelessServiceProps) {
    super(scope, id);
    const v = new Validator(this, 'StatelessService');
    const lbType = props.loadBalancer?.type;
    const tuning = props.targetGroup ?? {};
    const scaling = props.scaling ?? {};
    const deployment = props.deployment ?? {};
    const cpu = props.cpu ?? DEFAULT_TASK_CPU;
    const memory = props.memoryLimitMiB ?? DEFAULT_TASK_MEMORY_MIB;
    const containerPort = props.containerPort ?? DEFAULT_CONTAINER_PORT;

    // ---- validation -------------------------------------------------------------------
    if (!props.vpc && !props.cluster) v.fail('vpc or cluster is required, got neither');
    v.range('containerPort', containerPort, 1, 65535);
    v.oneOf('cpu', cpu, [...FARGATE_TASK_SIZES.keys()]);
    const allowedMemory = FARGATE_TASK_SIZES.get(cpu);
    if (allowedMemory && !allowedMemory.includes(memory)) {
      v.fail(`memoryLimitMiB with cpu ${cpu} must be one of ${describeMemoryFor(cpu)}, got ${memory}`);
    }
    for (const name of Object.keys(props.environment ?? {})) {
      if (isSecretLike(name)) v.fail(secretLikeMessage(name));
      if (props.secrets?.[name]) v.fail(`environment.${name} is also in secrets; give it once`);
    }
    v.seconds('stopTimeout', props.stopTimeout, 2, 120);
    v.seconds('healthCheckGracePeriod', props.healthCheckGracePeriod, 0, 2_147_483_647);
    v.range('deployment.minHealthyPercent', deployment.minHealthyPercent, 0, 100);
    v.range('deployment.maxHealthyPercent', deployment.maxHealthyPercent, 100, 200);
    const minTasks = scaling.minTasks ?? DEFAULT_MIN_TASKS;
    const maxTasks = scaling.maxTasks ?? Math.max(DEFAULT_MAX_TASKS, minTasks);
    v.range('scaling.minTasks', minTasks, props.loadBalancer ? 1 : 0, MAX_TASKS_PER_SERVICE);
    v.range('scaling.maxTasks', maxTasks, Math.max(minTasks, 1), MAX_TASKS_PER_SERVICE);
    v.range('scaling.cpuTargetPercent', scaling.cpuTargetPercent, 10, 90);
    v.range('scaling.memoryTargetPercent', scaling.memoryTargetPercent, 10, 90);
    v.range('scaling.requestsPerTarget', scaling.requestsPerTarget, 1, 1_000_000);
    v.seconds('scaling.scaleInCooldown', scaling.scaleInCooldown, 0, 3600);
    v.seconds('scaling.scaleOutCooldown', scaling.scaleOutCooldown, 0, 3600);
    for (const [name, s] of Object.entries(scaling.schedules ?? {})) {
      if (s.minTasks === undefined && s.maxTasks === undefined) v.fail(`scaling.schedules.${name} must set minTasks or maxTasks, got neither`);
      v.range(`scaling.schedules.${name}.minTasks`, s.minTasks, 0, MAX_TASKS_PER_SERVICE);
      v.range(`scaling.schedules.${name}.maxTasks`, s.maxTasks, s.minTasks ?? 0, MAX_TASKS_PER_SERVICE);
    }
    if (scaling.cpuScaling === false && scaling.cpuTargetPercent !== undefined) {
      v.fail(`scaling.cpuTargetPercent needs cpuScaling, got cpuTargetPercent ${scaling.cpuTargetPercent} with cpuScaling false`);
    }
    if (scaling.requestsPerTarget !== undefined && lbType !== LoadBalancerType.APPLICATION) {
      v.fail(`scaling.requestsPerTarget needs an Application Load Balancer, got ${lbType ?? 'no load balancer'}`);
    }
    if (!props.loadBalancer && (props.route || props.targetGroup)) {
      v.fail('route and targetGroup need loadBalancer, got no loadBalancer');
    }
    if (props.loadBalancer) validateTargetGroupTuning(v, props.loadBalancer.type, tuning);
    const alarmOpts = props.alarms ?? {};
    v.range('alarms.http5xxRatePercent', alarmOpts.http5xxRatePercent, 0, 100, { integer: false });
    if (alarmOpts.p99Latency && !alarmOpts.p99Latency.isUnresolved()) {
      v.range('alarms.p99Latency', alarmOpts.p99Latency.toMilliseconds() / 1000, 0.001, 3600, { integer: false, unit: 'seconds' });
    }
    const readonlyRoot = props.readonlyRootFilesystem ?? true;
    if (props.user !== undefined && !Token.isUnresolved(props.user)) {
      v.pattern('user', props.user, /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31})?$/, 'a user or uid, optionally with :group or :gid');
    }
    const profile = complianceProfile(this);
    const user = props.user ?? (profile.nonRootContainers ? DEFAULT_NON_ROOT_USER : undefined);
    for (const p of props.writablePaths ?? []) v.pattern('writablePaths', p, /^\/[^\s]*$/, 'an absolute path');

    // ---- cluster, task, container -----------------------------------------------------
    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    });
    if (!props.cluster) {
      acknowledgeControlTower(this.cluster, {
        ecs_container_insights_enabled_check: 'Container Insights is on with enhanced observability '
          + "(containerInsights 'enhanced'), which collects every Container Insights metric plus task- and container-level ones; "
          + "the Control Tower rule CT.ECS.PR.2 accepts only the value 'enabled'.",
      });
    }
    this.containerPort = containerPort;
    this.loadBalancer = props.loadBalancer;

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu,
      memoryLimitMiB: memory,
      runtimePlatform: {
        cpuArchitecture: props.cpuArchitecture ?? ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      ...logGroupDefaults(this, logs.RetentionDays.THREE_MONTHS, props.logRetention),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.container = this.taskDefinition.addContainer('App', {
      image: props.image,
      portMappings: [{ containerPort, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: id }),
      environment: props.environment,
      secrets: props.secrets,
      healthCheck: props.containerHealthCheck,
      readonlyRootFilesystem: readonlyRoot,
      stopTimeout: props.stopTimeout ?? DEFAULT_STOP_TIMEOUT,
      user,
      // Under a regulatory pack (ComplianceDefaults.containerMemoryLimits) the container's hard
      // limit is the task's memory: the one container may use all of it, and no more.
      memoryLimitMiB: profile.containerMemoryLimits ? memory : undefined,
    });
    if ((props.image instanceof ecs.AssetImage || props.image instanceof ecs.EcrImage) && this.taskDefinition.executionRole) {
      acknowledge(this.taskDefinition.executionRole, {
        'AwsSolutions-IAM5[Resource::*]': 'ecr:GetAuthorizationToken supports only Resource "*"; image pulls themselves are scoped to the image repository.',
      });
    }
    if (readonlyRoot) {
      (props.writablePaths ?? ['/tmp']).forEach((path, i) => {
        const name = `scratch${i}`;
        this.taskDefinition.addVolume({ name });
        this.container.addMountPoints({ containerPath: path, sourceVolume: name, readOnly: false });
      });
    }
    if (props.environment && Object.keys(props.environment).length > 0) this.acknowledgeEnvironment();

    // ---- service ----------------------------------------------------------------------
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: minTasks,
      assignPublicIp: false,
      vpcSubnets: props.vpcSubnets ?? defaultSubnets(this.cluster.vpc, SubnetTier.APP, ec2.SubnetType.PRIVATE_WITH_EGRESS),
      circuitBreaker: { enable: true, rollback: deployment.rollback ?? true },
      minHealthyPercent: deployment.minHealthyPercent ?? 100,
      maxHealthyPercent: deployment.maxHealthyPercent ?? 200,
      healthCheckGracePeriod: props.loadBalancer ? (props.healthCheckGracePeriod ?? Duration.seconds(60)) : props.healthCheckGracePeriod,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });
    this.connections = this.service.connections;

    // ---- load balancer ----------------------------------------------------------------
    if (props.loadBalancer) {
      const tg = createTargetGroup(this, 'TargetGroup', {
        vpc: this.cluster.vpc,
        port: containerPort,
        lbType: props.loadBalancer.type,
        tuning,
      });
      this.targetGroup = tg;
      if (tg instanceof elbv2.ApplicationTargetGroup) {
        this.service.attachToApplicationTargetGroup(tg);
      } else {
        this.service.attachToNetworkTargetGroup(tg);
        // NLB with a security group: admit it on the container port (client IPs are preserved).
        this.service.connections.allowFrom(props.loadBalancer.securityGroup, ec2.Port.tcp(containerPort), 'From the NLB');
        props.loadBalancer.securityGroup.connections.allowTo(this.service, ec2.Port.tcp(containerPort), 'To the service tasks');
      }
      const route = props.route ?? {};
      if (route.enabled ?? true) {
        props.loadBalancer.addRoute(id, {
          targetGroups: [{ targetGroup: tg }],
          pathPatterns: route.pathPatterns,
          hostHeaders: route.hostHeaders,
          priority: route.priority,
        });
      }
    }

    // ---- scaling ----------------------------------------------------------------------
    this.scaling = this.service.autoScaleTaskCount({ minCapacity: minTasks, maxCapacity: maxTasks });
    const cooldowns = {
      scaleInCooldown: scaling.scaleInCooldown ?? Duration.minutes(5),
      scaleOutCooldown: scaling.scaleOutCooldown ?? Duration.minutes(1),
    };
    this.scalableTarget = this.scaling.node.findChild('Target') as appscaling.ScalableTarget;
    if (scaling.cpuScaling ?? true) {
      this.scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: scaling.cpuTargetPercent ?? DEFAULT_CPU_TARGET_PERCENT, ...cooldowns });
    }
    if (scaling.memoryTargetPercent !== undefined) {
      this.scaling.scaleOnMemoryUtilization('Memory', { targetUtilizationPercent: scaling.memoryTargetPercent, ...cooldowns });
    }
    if (scaling.requestsPerTarget !== undefined) {
      this.scaling.scaleOnRequestCount('Requests', {
        requestsPerTarget: scaling.requestsPerTarget,
        targetGroup: this.targetGroup as elbv2.ApplicationTargetGroup,
        ...cooldowns,
      });
    }
    for (const [name, s] of Object.entries(scaling.schedules ?? {})) {
      this.scaling.scaleOnSchedule(name, { schedule: s.schedule, minCapacity: s.minTasks, maxCapacity: s.maxTasks, timeZone: s.timeZone });
    }

    // ---- alarms -----------------------------------------------------------------------
    if (alarmOpts.enabled ?? true) this.createAlarms(alarmOpts);
  }

  /**
   * Adds a plain environment variable to the container. Names that look like secrets
   * (PASSWORD, TOKEN, SECRET…) are rejected: use `container.addSecret()` for those.
   */
  public addEnvironment(name: string, value: string): void {
    if (isSecretLike(name)) throw new Error(`StatelessService '${this.node.path}': ${secretLikeMessage(name)}`);
    this.container.addEnvironment(name, value);
    this.acknowledgeEnvironment();
  }

  private acknowledgeEnvironment(): void {
    acknowledge(this.taskDefinition, {
      'AwsSolutions-ECS2': 'Plain configuration only: names that look like secrets are rejected at synth and secrets are injected from Secrets Manager/SSM.',
    });
  }

  /**
   * A metric of this service's target group, with the `LoadBalancer` and `TargetGroup`
   * dimensions (namespace AWS/ApplicationELB or AWS/NetworkELB).
   *
   * @param metricName e.g. 'RequestCount', 'HTTPCode_Target_5XX_Count', 'TargetResponseTime'
   * @param props statistic, period and other options
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const tg = this.requireTargetGroup(`metric('${metricName}')`);
    const lb = this.loadBalancer!;
    return new cloudwatch.Metric({
      namespace: lb.type === LoadBalancerType.APPLICATION ? 'AWS/ApplicationELB' : 'AWS/NetworkELB',
      metricName,
      dimensionsMap: { LoadBalancer: lb.loadBalancer.loadBalancerFullName, TargetGroup: tg.targetGroupFullName },
      period: Duration.minutes(1),
      ...props,
    });
  }

  /**
   * Target 5xx responses (ALB), sum per minute.
   */
  public metricHttp5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    this.requireAlb('metricHttp5xxCount');
    return this.metric('HTTPCode_Target_5XX_Count', { statistic: 'Sum', ...props });
  }

  /**
   * Requests to the service's targets (ALB), sum per minute.
   */
  public metricRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    this.requireAlb('metricRequestCount');
    return this.metric('RequestCount', { statistic: 'Sum', ...props });
  }

  /**
   * Target response time in seconds (ALB), p99 per minute unless `props.statistic` says otherwise.
   */
  public metricTargetResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    this.requireAlb('metricTargetResponseTime');
    return this.metric('TargetResponseTime', { statistic: 'p99', ...props });
  }

  /**
   * Healthy targets, minimum per minute.
   */
  public metricHealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    this.requireTargetGroup('metricHealthyHostCount');
    return this.metric('HealthyHostCount', { statistic: 'Minimum', ...props });
  }

  /**
   * Unhealthy targets, maximum per minute.
   */
  public metricUnhealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    this.requireTargetGroup('metricUnhealthyHostCount');
    return this.metric('UnHealthyHostCount', { statistic: 'Maximum', ...props });
  }

  /**
   * Average CPU utilization of the service's tasks.
   */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricCpuUtilization(props);
  }

  private createAlarms(o: ServiceAlarmOptions): void {
    if (!this.targetGroup) return;
    const alarms: cloudwatch.Alarm[] = [];
    if (this.targetGroup instanceof elbv2.ApplicationTargetGroup) {
      const threshold = o.http5xxRatePercent ?? 5;
      const rate = new cloudwatch.MathExpression({
        expression: '100 * FILL(errors, 0) / IF(requests > 0, requests, 1)',
        usingMetrics: { errors: this.metricHttp5xxCount(), requests: this.metricRequestCount() },
        label: 'Target 5xx rate (%)',
        period: Duration.minutes(1),
      });
      alarms.push(rate.createAlarm(this, 'Http5xxRateAlarm', {
        alarmDescription: `${this.node.path}: target 5xx responses above ${threshold} % of requests for 3 of 3 minutes`,
        threshold,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
      const latency = o.p99Latency ?? Duration.seconds(2);
      alarms.push(this.metricTargetResponseTime().createAlarm(this, 'P99LatencyAlarm', {
        alarmDescription: `${this.node.path}: p99 target response time above ${latency.toHumanString()} for 5 of 5 minutes`,
        threshold: latency.toMilliseconds() / 1000,
        evaluationPeriods: 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
    }
    alarms.push(this.metricUnhealthyHostCount().createAlarm(this, 'UnhealthyTasksAlarm', {
      alarmDescription: `${this.node.path}: at least one task failing load-balancer health checks for 3 of 3 minutes`,
      threshold: 1,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
    notify(alarms, o.topic);
    this.alarms.push(...alarms);
  }

  private requireTargetGroup(method: string): elbv2.ApplicationTargetGroup | elbv2.NetworkTargetGroup {
    if (!this.targetGroup) throw new Error(`StatelessService '${this.node.path}': ${method}() needs a loadBalancer, got none`);
    return this.targetGroup;
  }

  private requireAlb(method: string): void {
    const tg = this.requireTargetGroup(method);
    if (!(tg instanceof elbv2.ApplicationTargetGroup)) {
      throw new Error(`StatelessService '${this.node.path}': ${method}() needs an Application Load Balancer, got ${this.loadBalancer?.type}`);
    }
  }
}
