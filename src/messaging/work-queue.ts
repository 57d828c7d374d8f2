import { Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { applyStackProfile } from '../compliance/profile';
import { notify } from '../private/alarms';
import { formatDuration, humanSeconds, Validator } from '../private/validation';

/** Default receives before a message goes to the dead-letter queue. */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;
/** Default visibility timeout. */
export const DEFAULT_VISIBILITY_TIMEOUT = Duration.seconds(30);
/** Default retention of the work queue. */
export const DEFAULT_RETENTION = Duration.days(4);
/** Default (and maximum) retention of the dead-letter queue. */
export const DEFAULT_DLQ_RETENTION = Duration.days(14);
/** Default long-polling wait. */
export const DEFAULT_RECEIVE_WAIT = Duration.seconds(20);
/** AWS: a Lambda consumer's queue should have a visibility timeout of at least 6× the function timeout. */
export const LAMBDA_VISIBILITY_FACTOR = 6;
/** SQS queue names have at most 80 characters, '.fifo' included. */
export const MAX_QUEUE_NAME_LENGTH = 80;
/** The dead-letter queue's name is the source queue's with this suffix (before '.fifo'). */
const DLQ_SUFFIX = '-dlq';
const FIFO_SUFFIX = '.fifo';

/**
 * Server-side encryption of a work queue and its dead-letter queue.
 */
export enum WorkQueueEncryption {
  /** SQS-managed keys (SSE-SQS): no KMS grants to manage. */
  SQS_MANAGED = 'SQS_MANAGED',
  /** A customer-managed KMS key (given, or created with rotation). */
  KMS = 'KMS',
}

/**
 * Default alarms of a work queue.
 */
export interface WorkQueueAlarmOptions {
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
   * Alarm when the oldest message is older than this.
   *
   * @default Duration.minutes(15)
   */
  readonly maxMessageAge?: Duration;

  /**
   * Alarm when more messages than this wait.
   *
   * @default 1000
   */
  readonly maxBacklog?: number;
}

/**
 * Properties of a `WorkQueue`.
 */
export interface WorkQueueProps {
  /**
   * A FIFO queue (exactly-once processing, ordering per message group). Its DLQ is FIFO too.
   *
   * @default false
   */
  readonly fifo?: boolean;

  /**
   * Queue name, 1–80 characters of `[A-Za-z0-9_-]`, ending in `.fifo` for FIFO queues.
   * The DLQ is named `<name>-dlq` (before `.fifo`).
   *
   * @default - a unique name derived from the construct path
   */
  readonly queueName?: string;

  /**
   * FIFO: deduplicate by a hash of the body instead of a deduplication ID.
   *
   * @default false
   */
  readonly contentBasedDeduplication?: boolean;

  /**
   * Receives before a message moves to the dead-letter queue, 1–1000.
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * How long a received message stays hidden from other consumers, 0–43,200 seconds. It must
   * cover the consumer's processing time (checked by the consumers).
   *
   * @default Duration.seconds(30)
   */
  readonly visibilityTimeout?: Duration;

  /**
   * How long messages are kept, 60 seconds – 14 days.
   *
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;

  /**
   * How long the dead-letter queue keeps messages, 60 seconds – 14 days, at least the source
   * queue's (a message keeps its original enqueue time when it moves).
   *
   * @default Duration.days(14)
   */
  readonly deadLetterRetentionPeriod?: Duration;

  /**
   * Delay before a new message becomes visible, 0–900 seconds.
   *
   * @default Duration.seconds(0)
   */
  readonly deliveryDelay?: Duration;

  /**
   * Long-polling wait of receives, 0–20 seconds.
   *
   * @default Duration.seconds(20)
   */
  readonly receiveMessageWaitTime?: Duration;

  /**
   * Encryption at rest.
   *
   * @default WorkQueueEncryption.SQS_MANAGED
   */
  readonly encryption?: WorkQueueEncryption;

  /**
   * The key with `WorkQueueEncryption.KMS`.
   *
   * @default - a new key with rotation, retained on deletion
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the queues when they leave the stack. The default keeps them (and their
   * messages) when the stack is deleted or they are replaced, but removes them when the stack's
   * creation rolls back: they have fixed names, and a retained queue would fail the retried create.
   *
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Default alarms.
   *
   * @default - DLQ not empty, oldest message > 15 min, backlog > 1000
   */
  readonly alarms?: WorkQueueAlarmOptions;
}

/**
 * Options of `WorkQueue.addLambdaConsumer()`.
 */
export interface LambdaConsumerOptions {
  /**
   * Messages per invocation: 1–10 for FIFO, 1–10,000 for standard queues (above 10 needs a batching window).
   *
   * @default 10
   */
  readonly batchSize?: number;

  /**
   * How long to gather a batch, 0–300 seconds.
   *
   * @default - no batching window
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * Most concurrent invocations the queue drives, 2–1000.
   *
   * @default - no limit (the function's concurrency)
   */
  readonly maxConcurrency?: number;
}

/**
 * An SQS work queue with its dead-letter queue — the shape that takes slow work off the
 * request path.
 *
 * - A DLQ of the same type (FIFO for FIFO) after `maxReceiveCount` receives, retained for 14
 *   days, which only this queue may use (redrive-allow policy).
 * - Encryption at rest (SQS-managed or KMS) and policies denying non-TLS access on both queues.
 * - Alarms: any message in the DLQ, the oldest message's age, the backlog.
 * - Consumers: `QueueWorker` (ECS, scales on backlog per task) or `addLambdaConsumer()`, both
 *   checked against the visibility timeout.
 *
 * Redrive the DLQ back once the cause is fixed:
 * `aws sqs start-message-move-task --source-arn <dlq arn> --destination-arn <queue arn>`.
 *
 * @example
 * const clicks = new WorkQueue(stack, 'Clicks', { visibilityTimeout: Duration.minutes(2) });
 * clicks.grantSendMessages(api.taskDefinition.taskRole);
 */
export class WorkQueue extends Construct {
  /** The work queue. */
  public readonly queue: sqs.Queue;
  /** The dead-letter queue. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The KMS key, with `WorkQueueEncryption.KMS`. */
  public readonly encryptionKey?: kms.IKey;
  /** Whether the queues are FIFO. */
  public readonly fifo: boolean;
  /** The visibility timeout. */
  public readonly visibilityTimeout: Duration;
  /** The default alarms. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  private readonly validator: Validator;

  constructor(scope: Construct, id: string, props: WorkQueueProps = {}) {
    super(scope, id);
    const v = this.validator = new Validator(this, 'WorkQueue');
    const fifo = props.fifo ?? false;
    const retention = props.retentionPeriod ?? DEFAULT_RETENTION;
    const dlqRetention = props.deadLetterRetentionPeriod ?? DEFAULT_DLQ_RETENTION;
    const encryption = props.encryption ?? WorkQueueEncryption.SQS_MANAGED;

    // ---- validation -------------------------------------------------------------------
    v.enumValue('encryption', props.encryption, WorkQueueEncryption, 'WorkQueueEncryption');
    v.range('maxReceiveCount', props.maxReceiveCount, 1, 1000);
    v.seconds('visibilityTimeout', props.visibilityTimeout, 0, 43_200);
    v.seconds('retentionPeriod', props.retentionPeriod, 60, 1_209_600);
    v.seconds('deadLetterRetentionPeriod', props.deadLetterRetentionPeriod, 60, 1_209_600);
    v.seconds('deliveryDelay', props.deliveryDelay, 0, 900);
    v.seconds('receiveMessageWaitTime', props.receiveMessageWaitTime, 0, 20);
    if (!retention.isUnresolved() && !dlqRetention.isUnresolved() && dlqRetention.toSeconds() < retention.toSeconds()) {
      v.fail(`deadLetterRetentionPeriod must be at least retentionPeriod (${formatDuration(retention)}), got ${formatDuration(dlqRetention)}: messages keep their original enqueue time in the DLQ`);
    }
    if (props.queueName !== undefined && !Token.isUnresolved(props.queueName)) {
      const base = fifo ? props.queueName.replace(/\.fifo$/, '') : props.queueName;
      if (fifo && !props.queueName.endsWith('.fifo')) v.fail(`queueName of a FIFO queue must end in '.fifo', got '${props.queueName}'`);
      if (!fifo && props.queueName.endsWith('.fifo')) v.fail(`queueName ends in '.fifo' but fifo is false, got '${props.queueName}'`);
      // SQS allows 80 characters including '.fifo'. The DLQ is named '<name>-dlq' (4 more), so
      // the base name may have 80 - 4 = 76 characters, or 76 - 5 = 71 for a FIFO queue.
      const maxBase = MAX_QUEUE_NAME_LENGTH - DLQ_SUFFIX.length - (fifo ? FIFO_SUFFIX.length : 0);
      v.pattern('queueName', base, new RegExp(`^[A-Za-z0-9_-]{1,${maxBase}}$`),
        `1–${maxBase} characters of [A-Za-z0-9_-]${fifo ? " before '.fifo'" : ''} (SQS allows ${MAX_QUEUE_NAME_LENGTH} including '.fifo'; the dead-letter queue adds '${DLQ_SUFFIX}')`);
    }
    if (props.contentBasedDeduplication && !fifo) v.fail('contentBasedDeduplication needs fifo: true, got fifo false');
    if (props.encryptionKey && encryption !== WorkQueueEncryption.KMS) v.fail(`encryptionKey needs encryption: WorkQueueEncryption.KMS, got ${encryption}`);
    const alarmOpts = props.alarms ?? {};
    v.range('alarms.maxBacklog', alarmOpts.maxBacklog, 1, 1e12);
    v.seconds('alarms.maxMessageAge', alarmOpts.maxMessageAge, 60, 1_209_600);

    this.fifo = fifo;
    this.visibilityTimeout = props.visibilityTimeout ?? DEFAULT_VISIBILITY_TIMEOUT;

    // ---- names: known at synth so the DLQ's redrive-allow policy can name its source
    // without a circular reference (source → DLQ ARN, DLQ → source ARN).
    const baseName = props.queueName
      ? (fifo ? props.queueName.replace(/\.fifo$/, '') : props.queueName)
      : Names.uniqueResourceName(this, { maxLength: 70, separator: '-' });
    const suffix = fifo ? FIFO_SUFFIX : '';
    const queueName = `${baseName}${suffix}`;
    const dlqName = `${baseName}${DLQ_SUFFIX}${suffix}`;

    if (encryption === WorkQueueEncryption.KMS) {
      this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
        description: `${this.node.path} queue encryption`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
    const encryptionProps = this.encryptionKey
      ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: this.encryptionKey }
      : { encryption: sqs.QueueEncryption.SQS_MANAGED };
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

    const sourceArn = Stack.of(this).formatArn({ service: 'sqs', resource: queueName });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: dlqName,
      fifo: fifo || undefined,
      retentionPeriod: dlqRetention,
      enforceSSL: true,
      removalPolicy,
      redriveAllowPolicy: {
        redrivePermission: sqs.RedrivePermission.BY_QUEUE,
        sourceQueues: [sqs.Queue.fromQueueAttributes(this, 'SourceRef', { queueArn: sourceArn, fifo })],
      },
      ...encryptionProps,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName,
      fifo: fifo || undefined,
      contentBasedDeduplication: props.contentBasedDeduplication,
      visibilityTimeout: this.visibilityTimeout,
      retentionPeriod: retention,
      deliveryDelay: props.deliveryDelay,
      receiveMessageWaitTime: props.receiveMessageWaitTime ?? DEFAULT_RECEIVE_WAIT,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT },
      enforceSSL: true,
      removalPolicy,
      ...encryptionProps,
    });

    const alarmed = alarmOpts.enabled ?? true;
    if (alarmed) this.createAlarms(alarmOpts);
    acknowledge(this.deadLetterQueue, {
      'Serverless-SQSRedrivePolicy': `This is the dead-letter queue of ${this.queue.node.path}: a dead-letter queue has none of its own. `
        + `Its messages stay ${formatDuration(dlqRetention)}${alarmed ? ' (the DeadLettersAlarm fires on the first one)' : ''}, `
        + 'for redrive to the source queue (start-message-move-task) once the cause is fixed.',
    });
    applyStackProfile(this);
  }

  /** The queue URL. */
  public get queueUrl(): string {
    return this.queue.queueUrl;
  }

  /** The queue ARN. */
  public get queueArn(): string {
    return this.queue.queueArn;
  }

  /**
   * Checks that the visibility timeout covers a consumer's processing time; throws otherwise.
   *
   * @param consumer who consumes, for the message (construct path)
   * @param processingTime the longest a message may take
   */
  public checkVisibilityCovers(consumer: string, processingTime: Duration): void {
    if (this.visibilityTimeout.isUnresolved() || processingTime.isUnresolved()) return;
    if (this.visibilityTimeout.toSeconds() < processingTime.toSeconds()) {
      this.validator.fail(`visibilityTimeout must be at least the processing time of '${consumer}' (${formatDuration(processingTime)}), got ${formatDuration(this.visibilityTimeout)}`);
    }
  }

  /**
   * Consumes the queue with a Lambda function: partial batch failure reporting on, so one bad
   * message does not return its whole batch. The visibility timeout must be at least 6× the
   * function timeout (AWS's guidance).
   */
  public addLambdaConsumer(fn: lambda.IFunction, options: LambdaConsumerOptions = {}): lambdaEvents.SqsEventSource {
    const v = this.validator;
    const fnTimeout = (fn instanceof lambda.Function ? fn.timeout : undefined) ?? Duration.seconds(3);
    if (!fnTimeout.isUnresolved() && !this.visibilityTimeout.isUnresolved()
      && this.visibilityTimeout.toSeconds() < LAMBDA_VISIBILITY_FACTOR * fnTimeout.toSeconds()) {
      v.fail(`visibilityTimeout must be at least ${LAMBDA_VISIBILITY_FACTOR}× the timeout of '${fn.node.path}' (${humanSeconds(LAMBDA_VISIBILITY_FACTOR * fnTimeout.toSeconds())}), got ${formatDuration(this.visibilityTimeout)}`);
    }
    const batchSize = options.batchSize ?? 10;
    v.range('addLambdaConsumer batchSize', batchSize, 1, this.fifo ? 10 : 10_000);
    v.seconds('addLambdaConsumer maxBatchingWindow', options.maxBatchingWindow, 0, 300);
    v.range('addLambdaConsumer maxConcurrency', options.maxConcurrency, 2, 1000);
    if (batchSize > 10 && !options.maxBatchingWindow) {
      v.fail(`addLambdaConsumer batchSize ${batchSize} above 10 needs maxBatchingWindow`);
    }
    const source = new lambdaEvents.SqsEventSource(this.queue, {
      batchSize,
      maxBatchingWindow: options.maxBatchingWindow,
      maxConcurrency: options.maxConcurrency,
      reportBatchItemFailures: true,
    });
    fn.addEventSource(source);
    const mapping = fn.node.tryFindChild(`SqsEventSource:${Names.nodeUniqueId(this.queue.node)}`);
    if (mapping) {
      acknowledge(mapping, {
        'Serverless-LambdaEventSourceMappingDestination': 'An SQS event source mapping takes no on-failure destination (Lambda supports them for stream and Kafka sources); '
          + `a message that fails maxReceiveCount receives moves to the queue's dead-letter queue, ${this.deadLetterQueue.node.path}.`,
      });
    }
    return source;
  }

  /**
   * Lets `grantee` send messages, with exactly the key actions sending needs
   * (`kms:GenerateDataKey`, `kms:Decrypt`; no wildcards).
   */
  public grantSendMessages(grantee: iam.IGrantable): iam.Grant {
    const send = iam.Grant.addToPrincipalOrResource({
      grantee,
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resourceArns: [this.queue.queueArn],
      resource: this.queue,
    });
    return this.encryptionKey ? send.combine(this.encryptionKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt')) : send;
  }

  /** Lets `grantee` receive and delete messages (and use the key). */
  public grantConsumeMessages(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grantConsumeMessages(grantee);
  }

  /** Messages waiting (visible), maximum per minute. */
  public metricBacklog(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }

  /** Age of the oldest message in seconds, maximum per minute. */
  public metricOldestMessageAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }

  /** Messages being processed (in flight), maximum per minute. */
  public metricInFlight(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateNumberOfMessagesNotVisible({ statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }

  /** Messages in the dead-letter queue, maximum per minute. */
  public metricDeadLetters(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }

  private createAlarms(o: WorkQueueAlarmOptions): void {
    const common = { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING };
    const age = o.maxMessageAge ?? Duration.minutes(15);
    const alarms = [
      this.metricDeadLetters().createAlarm(this, 'DeadLettersAlarm', {
        ...common,
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescription: `${this.node.path}: messages in the dead-letter queue; fix the cause, then redrive with start-message-move-task`,
      }),
      this.metricOldestMessageAge().createAlarm(this, 'OldestMessageAlarm', {
        ...common,
        threshold: age.toSeconds(),
        evaluationPeriods: 3,
        alarmDescription: `${this.node.path}: oldest message older than ${age.toHumanString()} for 3 of 3 minutes`,
      }),
      this.metricBacklog().createAlarm(this, 'BacklogAlarm', {
        ...common,
        threshold: o.maxBacklog ?? 1000,
        evaluationPeriods: 5,
        alarmDescription: `${this.node.path}: more than ${o.maxBacklog ?? 1000} messages waiting for 5 of 5 minutes`,
      }),
    ];
    notify(alarms, o.topic);
    this.alarms.push(...alarms);
  }
}
