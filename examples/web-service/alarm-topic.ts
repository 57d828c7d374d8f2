import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The topic every alarm of a stack notifies (subscribe the on-call to it): encrypted with a key
 * CloudWatch may publish with, TLS only.
 */
export function alarmTopic(scope: Construct): sns.Topic {
  const key = new kms.Key(scope, 'AlarmTopicKey', {
    description: 'alarm topic encryption (CloudWatch alarms publish with it)',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
  }));
  return new sns.Topic(scope, 'AlarmTopic', { masterKey: key, enforceSSL: true });
}
