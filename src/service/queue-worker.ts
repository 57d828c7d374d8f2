import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { StatelessService } from './stateless-service';
import { WorkQueue } from '../messaging/work-queue';
import { Validator } from '../private/validation';

/** Default target of messages waiting per running task. */
export const DEFAULT_BACKLOG_PER_TASK = 10;

/**
 * The tunable properties of a `QueueWorker`, every one optional: what a `ScaleoutStage`
 * override may set (`TierOverrides`).
 */
export interface QueueWorkerOptions {
  /**
   * Fewest tasks, 0–5000. 0 scales to zero when the queue is empty; a step policy starts a
   * task as soon as a message arrives.
   *
   * @default 1
   */
  readonly minTasks?: number;

  /**
   * Most tasks, 1–5000.
   *
   * @default 10
   */
  readonly maxTasks?: number;

  /**
   * Target messages waiting per running task: the acceptable latency divided by the time one
   * message takes. 1–1,000,000.
   *
   * @default 10
   */
  readonly backlogPerTask?: number;

  /**
   * Also track CPU, 10–90 %. Off by default: CPU competes with the backlog signal.
   *
   * @default - no CPU policy
   */
  readonly cpuTargetPercent?: number;

  /**
   * Wait after a scale-in, 0–3600 seconds.
   *
   * @default Duration.minutes(5)
   */
  readonly scaleInCooldown?: Duration;

  /**
   * Wait after a scale-out, 0–3600 seconds.
   *
   * @default Duration.minutes(1)
   */
  readonly scaleOutCooldown?: Duration;

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
   * Plain configuration (secret-looking names rejected).
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * Secrets from Secrets Manager or SSM.
   *
   * @default - none
   */
  readonly secrets?: { [key: string]: ecs.Secret };

  /**
   * Time between SIGTERM and SIGKILL, 2–120 seconds, to finish the current message.
   *
   * @default - `maxProcessingTime`, at most 120 seconds
   */
  readonly stopTimeout?: Duration;

  /**
   * Retention of the container log group.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Properties of a `QueueWorker`: its options and the wiring (what it connects to).
 */
export interface QueueWorkerProps extends QueueWorkerOptions {
  /** The queue to consume. */
  readonly queue: WorkQueue;

  /** The container image. It reads `QUEUE_URL` and deletes each message once processed. */
  readonly image: ecs.ContainerImage;

  /**
   * The longest one message may take. The queue's visibility timeout must cover it, or
   * messages would be processed twice.
   */
  readonly maxProcessingTime: Duration;

  /**
   * The VPC (ignored when `cluster` is given).
   *
   * @default - the cluster's VPC; one of `vpc` or `cluster` is required
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The ECS cluster; it needs Container Insights (the running-task metric comes from it).
   *
   * @default - a new cluster with Container Insights (enhanced)
   */
  readonly cluster?: ecs.ICluster;
}

/**
 * An ECS Fargate worker that consumes a `WorkQueue` and scales on **backlog per task**:
 * target tracking on the metric-math expression (waiting + in-flight messages) ÷ running tasks,
 * the signal AWS recommends (ecs-patterns' queue service scales on raw queue depth); in-flight
 * messages keep scale-in from stopping a busy task. With `minTasks: 0` a step policy starts the
 * first task when messages wait and no task runs, and does nothing otherwise. No CPU policy
 * unless asked.
 *
 * The task role may consume the queue (and use its key), nothing more.
 *
 * @example
 * new QueueWorker(stack, 'ClickWorker', { cluster, queue: clicks, image, maxProcessingTime: Duration.seconds(20), minTasks: 0 });
 */
export class QueueWorker extends Construct {
  /** The underlying stateless service (task, container, logs, scaling). */
  public readonly worker: StatelessService;
  /** The backlog-per-task target-tracking policy. */
  public readonly backlogPolicy: appscaling.CfnScalingPolicy;
  /** With `minTasks: 0`: the metric of the scale-from-zero step policy (waiting messages while no task runs, else 0). */
  public readonly scaleFromZeroMetric?: cloudwatch.IMetric;

  constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    const v = new Validator(this, 'QueueWorker');
    const minTasks = props.minTasks ?? 1;
    const maxTasks = props.maxTasks ?? Math.max(10, minTasks);
    v.range('minTasks', minTasks, 0, 5000);
    v.range('maxTasks', maxTasks, Math.max(minTasks, 1), 5000);
    v.range('backlogPerTask', props.backlogPerTask, 1, 1_000_000);
    v.seconds('maxProcessingTime', props.maxProcessingTime, 1, 43_200);
    props.queue.checkVisibilityCovers(this.node.path, props.maxProcessingTime);

    const processing = props.maxProcessingTime.isUnresolved() ? 30 : props.maxProcessingTime.toSeconds();
    const cooldowns = {
      scaleInCooldown: props.scaleInCooldown ?? Duration.minutes(5),
      scaleOutCooldown: props.scaleOutCooldown ?? Duration.minutes(1),
    };
    this.worker = new StatelessService(this, 'Service', {
      image: props.image,
      vpc: props.vpc,
      cluster: props.cluster,
      cpu: props.cpu,
      memoryLimitMiB: props.memoryLimitMiB,
      cpuArchitecture: props.cpuArchitecture,
      user: props.user,
      environment: { ...props.environment, QUEUE_URL: props.queue.queueUrl },
      secrets: props.secrets,
      logRetention: props.logRetention,
      stopTimeout: props.stopTimeout ?? Duration.seconds(Math.min(120, Math.max(2, processing))),
      scaling: {
        minTasks,
        maxTasks,
        cpuScaling: props.cpuTargetPercent !== undefined,
        cpuTargetPercent: props.cpuTargetPercent,
        ...cooldowns,
      },
    });
    props.queue.grantConsumeMessages(this.worker.taskDefinition.taskRole);

    // Backlog per task = (waiting + in flight) ÷ running tasks. In-flight messages count so that
    // scale-in never stops a task that is still working on one. The L2 target-tracking policy
    // takes a single metric only, so the metric-math form is written with the L1 policy.
    const fargate = this.worker.service;
    const queueDimension = [{ name: 'QueueName', value: props.queue.queue.queueName }];
    const runningTasks = new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensionsMap: { ClusterName: fargate.cluster.clusterName, ServiceName: fargate.serviceName },
      statistic: 'Average',
      period: Duration.minutes(1),
      label: 'Running tasks',
    });
    this.backlogPolicy = new appscaling.CfnScalingPolicy(this, 'BacklogPerTaskPolicy', {
      policyName: `${id}-backlog-per-task`,
      policyType: 'TargetTrackingScaling',
      scalingTargetId: this.worker.scalableTarget.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.backlogPerTask ?? DEFAULT_BACKLOG_PER_TASK,
        scaleInCooldown: cooldowns.scaleInCooldown.toSeconds(),
        scaleOutCooldown: cooldowns.scaleOutCooldown.toSeconds(),
        customizedMetricSpecification: {
          metrics: [
            {
              id: 'visible',
              label: 'Messages waiting',
              returnData: false,
              metricStat: { metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: queueDimension }, stat: 'Sum' },
            },
            {
              id: 'inflight',
              label: 'Messages in flight',
              returnData: false,
              metricStat: { metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesNotVisible', dimensions: queueDimension }, stat: 'Sum' },
            },
            {
              id: 'tasks',
              label: 'Running tasks',
              returnData: false,
              metricStat: {
                metric: {
                  namespace: runningTasks.namespace,
                  metricName: runningTasks.metricName,
                  dimensions: Object.entries(runningTasks.dimensions!).map(([name, value]) => ({ name, value: String(value) })),
                },
                stat: 'Average',
              },
            },
            { id: 'backlogPerTask', label: 'Backlog per task', expression: '(visible + inflight) / tasks', returnData: true },
          ],
        },
      },
    });

    if (minTasks === 0) {
      // With no task running, backlog ÷ tasks has no value and target tracking does nothing. This
      // step policy starts the first task, and acts only then: its metric is the waiting
      // messages while no task runs, 0 otherwise (a busy queue must not add a task a minute).
      this.scaleFromZeroMetric = new cloudwatch.MathExpression({
        expression: 'IF(FILL(tasks, 0) < 1, visible, 0)',
        usingMetrics: { visible: props.queue.metricBacklog(), tasks: runningTasks },
        period: Duration.minutes(1),
        label: 'Messages waiting while no task runs',
      });
      this.worker.scaling.scaleOnMetric('ScaleFromZero', {
        metric: this.scaleFromZeroMetric,
        scalingSteps: [{ upper: 0, change: 0 }, { lower: 1, change: 1 }],
        adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
        cooldown: cooldowns.scaleOutCooldown,
      });
    }
  }
}
