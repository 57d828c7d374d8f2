import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { applyStackProfile } from '../compliance/profile';
import { Validator } from '../private/validation';

/** SNS topic names: 1–256 letters, digits, hyphens and underscores. */
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The SNS topic a stack's alarms notify (subscribe the on-call to it), as the `ScaleoutStage`
 * stacks create it: encrypted with a KMS key (rotated, retained) that CloudWatch alarms may
 * publish with, TLS-only. For your own stacks built from the tier constructs: pass it as
 * `alarms: { topic }`.
 *
 * @example
 * const topic = AlarmTopic.create(this, `${this.stackName}-alarms`);
 */
export class AlarmTopic {
  /**
   * Creates the key (`AlarmTopicKey`) and the topic (`AlarmTopic`) under `scope`.
   *
   * @param scope where to create them, usually the stack
   * @param topicName the topic's name: unique per account and region, so keep the stage, region
   *   and role in it; 1–256 letters, digits, hyphens and underscores
   */
  public static create(scope: Construct, topicName: string): sns.Topic {
    new Validator(scope, 'AlarmTopic').pattern('topicName', topicName, TOPIC_NAME, '1–256 letters, digits, hyphens or underscores (SNS topic names)');
    applyStackProfile(scope);
    const key = new kms.Key(scope, 'AlarmTopicKey', {
      description: `${topicName} encryption (CloudWatch alarms publish with it)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
    }));
    return new sns.Topic(scope, 'AlarmTopic', { topicName, masterKey: key, enforceSSL: true });
  }

  private constructor() {}
}
