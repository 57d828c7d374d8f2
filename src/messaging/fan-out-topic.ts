import { RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { WorkQueue } from './work-queue';
import { applyStackProfile } from '../compliance/profile';
import { Validator } from '../private/validation';

/**
 * Properties of a `FanOutTopic`.
 */
export interface FanOutTopicProps {
  /**
   * Topic name, 1–256 characters of `[A-Za-z0-9_-]` (ending in `.fifo` for FIFO).
   *
   * @default - generated
   */
  readonly topicName?: string;

  /**
   * A FIFO topic (its subscribers must be FIFO work queues).
   *
   * @default false
   */
  readonly fifo?: boolean;

  /**
   * The key encrypting messages at rest.
   *
   * @default - a new key with rotation, retained on deletion
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Options of `FanOutTopic.addSubscriber()`.
 */
export interface FanOutSubscriberOptions {
  /**
   * Only messages whose attributes match are delivered, e.g.
   * `{ type: sns.SubscriptionFilter.stringFilter({ allowlist: ['order.placed'] }) }`.
   *
   * @default - every message
   */
  readonly filterPolicy?: { [attribute: string]: sns.SubscriptionFilter };

  /**
   * Deliver the message body as published (no SNS envelope).
   *
   * @default true
   */
  readonly rawMessageDelivery?: boolean;
}

/**
 * An SNS topic that fans one event out to several `WorkQueue`s — "order placed →
 * inventory, analytics, notifications". Each subscriber is a work queue with its own DLQ;
 * what SNS cannot deliver goes to that DLQ too. KMS-encrypted, TLS-only publishing.
 *
 * @example
 * const orders = new FanOutTopic(stack, 'OrderPlaced');
 * orders.addSubscriber(inventory);
 * orders.addSubscriber(analytics, { filterPolicy: { type: sns.SubscriptionFilter.stringFilter({ allowlist: ['order.placed'] }) } });
 * orders.grantPublish(api.taskDefinition.taskRole);
 */
export class FanOutTopic extends Construct {
  /** The topic. */
  public readonly topic: sns.Topic;
  /** The key encrypting the topic. */
  public readonly encryptionKey: kms.IKey;
  /** The subscribed queues. */
  public readonly subscribers: WorkQueue[] = [];

  private readonly validator: Validator;
  private readonly fifo: boolean;

  constructor(scope: Construct, id: string, props: FanOutTopicProps = {}) {
    super(scope, id);
    const v = this.validator = new Validator(this, 'FanOutTopic');
    this.fifo = props.fifo ?? false;
    if (props.topicName !== undefined) {
      if (this.fifo !== props.topicName.endsWith('.fifo')) {
        v.fail(`topicName must end in '.fifo' exactly when fifo is true, got '${props.topicName}' with fifo ${this.fifo}`);
      }
      v.pattern('topicName', props.topicName.replace(/\.fifo$/, ''), /^[A-Za-z0-9_-]{1,251}$/, '1–256 characters of [A-Za-z0-9_-]');
    }
    applyStackProfile(this);
    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `${this.node.path} topic encryption`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      fifo: this.fifo || undefined,
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
  }

  /**
   * Subscribes a work queue (raw delivery by default, optional filter policy). Undeliverable
   * messages go to the queue's dead-letter queue.
   */
  public addSubscriber(queue: WorkQueue, options: FanOutSubscriberOptions = {}): sns.Subscription {
    if (queue.fifo !== this.fifo) {
      this.validator.fail(`subscriber '${queue.node.path}' must be ${this.fifo ? 'a FIFO' : 'a standard'} queue like the topic, got ${queue.fifo ? 'FIFO' : 'standard'}`);
    }
    if (this.subscribers.includes(queue)) {
      this.validator.fail(`subscriber '${queue.node.path}' is already subscribed`);
    }
    this.subscribers.push(queue);
    const subscription = new subscriptions.SqsSubscription(queue.queue, {
      rawMessageDelivery: options.rawMessageDelivery ?? true,
      filterPolicy: options.filterPolicy,
      deadLetterQueue: queue.deadLetterQueue,
    });
    // SNS encrypts with the queue's key when it has one.
    queue.encryptionKey?.grantEncryptDecrypt(new iam.ServicePrincipal('sns.amazonaws.com'));
    return this.topic.addSubscription(subscription);
  }

  /**
   * Lets `grantee` publish, with exactly the key actions publishing needs
   * (`kms:GenerateDataKey`, `kms:Decrypt`; no wildcards).
   */
  public grantPublish(grantee: iam.IGrantable): iam.Grant {
    const publish = iam.Grant.addToPrincipalOrResource({
      grantee, actions: ['sns:Publish'], resourceArns: [this.topic.topicArn], resource: this.topic,
    });
    return publish.combine(this.encryptionKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt'));
  }

  /** Messages published, sum per 5 minutes. */
  public metricPublished(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.topic.metricNumberOfMessagesPublished(props);
  }

  /** Deliveries that failed, sum per 5 minutes. */
  public metricFailedDeliveries(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.topic.metricNumberOfNotificationsFailed(props);
  }
}
