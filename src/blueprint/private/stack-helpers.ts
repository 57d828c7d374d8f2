import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { applyStackProfile } from '../../compliance/profile';

/** `LinkCreated` → `LINK_CREATED`. */
export function envName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/**
 * The stack's alarm topic: KMS-encrypted with a key CloudWatch may use, TLS-only.
 */
export function alarmTopic(scope: Construct, name: string): sns.Topic {
  applyStackProfile(scope);
  const key = new kms.Key(scope, 'AlarmTopicKey', {
    description: `${name} encryption (CloudWatch alarms publish with it)`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
  }));
  return new sns.Topic(scope, 'AlarmTopic', { topicName: name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 256), masterKey: key, enforceSSL: true });
}
