import { Match, Template } from 'aws-cdk-lib/assertions';
import { AlarmTopic } from '../../src';
import { testStack } from '../util';

describe('AlarmTopic', () => {
  test('GIVEN a name WHEN created THEN a named, TLS-only topic is encrypted with a rotated, retained key CloudWatch may publish with', () => {
    const stack = testStack();
    AlarmTopic.create(stack, 'prod-eu-west-1-alarms');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'prod-eu-west-1-alarms', KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmTopicKey'), 'Arn'] } });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    t.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'] })]) },
      }),
    });
  });

  test('GIVEN a name SNS rejects WHEN created THEN it throws naming topicName and the value', () => {
    expect(() => AlarmTopic.create(testStack(), 'prod alarms')).toThrow(/AlarmTopic 'Test': topicName must be 1–256 letters, digits, hyphens or underscores \(SNS topic names\), got 'prod alarms'/);
    expect(() => AlarmTopic.create(testStack(), 'x'.repeat(257))).toThrow(/topicName must be 1–256/);
  });
});
