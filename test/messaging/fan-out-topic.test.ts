import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FanOutTopic, WorkQueue, WorkQueueEncryption } from '../../src';
import { expectNoNagFindings, testStack } from '../util';

describe('FanOutTopic', () => {
  function fanOut() {
    const stack = testStack();
    const topic = new FanOutTopic(stack, 'OrderPlaced');
    const inventory = new WorkQueue(stack, 'Inventory');
    const analytics = new WorkQueue(stack, 'Analytics', { encryption: WorkQueueEncryption.KMS });
    topic.addSubscriber(inventory);
    topic.addSubscriber(analytics, { filterPolicy: { type: sns.SubscriptionFilter.stringFilter({ allowlist: ['order.placed'] }) } });
    return { stack, topic, inventory, analytics };
  }

  test('GIVEN two subscribers WHEN created THEN each gets raw delivery with its own DLQ for undeliverable messages', () => {
    const { stack } = fanOut();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Subscription', 2);
    t.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('InventoryQueue'), 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('InventoryDeadLetterQueue'), 'Arn'] } },
    });
    t.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('AnalyticsQueue'), 'Arn'] },
      FilterPolicy: { type: ['order.placed'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AnalyticsDeadLetterQueue'), 'Arn'] } },
    });
  });

  test('GIVEN a topic WHEN created THEN it is KMS-encrypted and denies publishing without TLS', () => {
    const { stack } = fanOut();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrderPlacedKey'), 'Arn'] } });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('GIVEN a KMS-encrypted subscriber WHEN subscribed THEN SNS may use its key', () => {
    const { stack } = fanOut();
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'sns.amazonaws.com' }, Action: Match.arrayWith(['kms:Decrypt']) })]) },
    });
  });

  test('GIVEN a publisher WHEN granted THEN it may publish and use the topic key without wildcard actions', () => {
    const { stack, topic, inventory } = fanOut();
    const role = new iam.Role(stack, 'Publisher', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    topic.grantPublish(role);
    inventory.grantSendMessages(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish' }),
          Match.objectLike({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'] }),
          Match.objectLike({ Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'] }),
        ]),
      },
    });
    expectNoNagFindings(stack);
  });

  test('GIVEN a fan-out WHEN checked with AwsSolutions THEN there are no unacknowledged findings', () => {
    expectNoNagFindings(fanOut().stack);
  });

  test('GIVEN a FIFO queue on a standard topic WHEN subscribed THEN throws', () => {
    const stack = testStack();
    const topic = new FanOutTopic(stack, 'T');
    expect(() => topic.addSubscriber(new WorkQueue(stack, 'Q', { fifo: true })))
      .toThrow(/FanOutTopic 'Test\/T': subscriber 'Test\/Q' must be a standard queue like the topic, got FIFO/);
  });

  test('GIVEN the same queue twice WHEN subscribed THEN throws', () => {
    const { topic, inventory } = fanOut();
    expect(() => topic.addSubscriber(inventory)).toThrow(/subscriber 'Test\/Inventory' is already subscribed/);
  });

  test('GIVEN a FIFO topic name without .fifo WHEN created THEN throws', () => {
    expect(() => new FanOutTopic(testStack(), 'T', { fifo: true, topicName: 'orders' }))
      .toThrow(/topicName must end in '.fifo' exactly when fifo is true, got 'orders' with fifo true/);
  });

  test('GIVEN a topic name with a space WHEN created THEN throws', () => {
    expect(() => new FanOutTopic(testStack(), 'T', { topicName: 'order placed' }))
      .toThrow(/topicName must be 1–256 characters of \[A-Za-z0-9_-\], got 'order placed'/);
  });
});
