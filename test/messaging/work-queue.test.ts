import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CompliancePack, WorkQueue, WorkQueueEncryption, WorkQueueProps } from '../../src';
import { expectNoNagFindings, nagFindings, testStack } from '../util';

function queue(props: WorkQueueProps = {}) {
  const stack = testStack();
  const q = new WorkQueue(stack, 'Jobs', props);
  return { stack, q, t: Template.fromStack(stack) };
}

function fn(stack: ReturnType<typeof testStack>, timeout: Duration) {
  return new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
    timeout,
  });
}

describe('WorkQueue', () => {
  test('GIVEN defaults WHEN created THEN redrives to a 14-day DLQ after 5 receives, with long polling', () => {
    const { t } = queue();
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: Match.stringLikeRegexp('^Test-Jobs-[A-Za-z0-9]+$'),
      VisibilityTimeout: 30,
      MessageRetentionPeriod: 345600,
      ReceiveMessageWaitTimeSeconds: 20,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('JobsDeadLetterQueue'), 'Arn'] }, maxReceiveCount: 5 },
    });
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: Match.stringLikeRegexp('-dlq$'),
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
    });
  });

  test('GIVEN defaults WHEN created THEN only the source queue may use the DLQ, without a circular reference', () => {
    const { t } = queue({ queueName: 'jobs' });
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'jobs-dlq',
      RedriveAllowPolicy: {
        redrivePermission: 'byQueue',
        sourceQueueArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:eu-west-1:111111111111:jobs']] }],
      },
    });
  });

  test('GIVEN defaults WHEN created THEN both queues deny non-TLS access and are retained', () => {
    const { t } = queue();
    t.resourcePropertiesCountIs('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    }, 2);
    expect(Object.values(t.findResources('AWS::SQS::Queue')).map((r) => [r.DeletionPolicy, r.UpdateReplacePolicy])).toEqual([['RetainExceptOnCreate', 'Retain'], ['RetainExceptOnCreate', 'Retain']]);
  });

  test('GIVEN FIFO WHEN created THEN the DLQ is FIFO and both names end in .fifo', () => {
    const { t } = queue({ fifo: true, queueName: 'orders.fifo', contentBasedDeduplication: true });
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'orders.fifo', FifoQueue: true, ContentBasedDeduplication: true });
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'orders-dlq.fifo', FifoQueue: true });
  });

  test('GIVEN the longest names allowed WHEN created THEN both queue names are at most 80 characters', () => {
    const standard = queue({ queueName: 'a'.repeat(76) }).t;
    standard.hasResourceProperties('AWS::SQS::Queue', { QueueName: `${'a'.repeat(76)}-dlq` });
    const fifo = queue({ fifo: true, queueName: `${'b'.repeat(71)}.fifo` }).t;
    const names = Object.values(fifo.findResources('AWS::SQS::Queue')).map((r) => r.Properties.QueueName as string);
    expect(names.sort()).toEqual([`${'b'.repeat(71)}-dlq.fifo`, `${'b'.repeat(71)}.fifo`]);
    expect(Math.max(...names.map((n) => n.length))).toBe(80);
  });

  test('GIVEN KMS encryption WHEN created THEN both queues use a rotated, retained key', () => {
    const { t } = queue({ encryption: WorkQueueEncryption.KMS });
    t.resourcePropertiesCountIs('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('JobsKey'), 'Arn'] } }, 2);
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });

  test('GIVEN an alarm topic WHEN created THEN alarms on dead letters, oldest message age and backlog notify it', () => {
    const stack = testStack();
    const topic = sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:eu-west-1:111111111111:alarms');
    const q = new WorkQueue(stack, 'Jobs', { alarms: { topic, maxMessageAge: Duration.minutes(5), maxBacklog: 50 } });
    const t = Template.fromStack(stack);
    expect(q.alarms).toHaveLength(3);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('JobsDeadLetterQueue'), 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:alarms'],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 300 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 50 });
  });

  test('GIVEN a Lambda consumer WHEN added THEN reports partial batch failures with the given concurrency and window', () => {
    const stack = testStack();
    const q = new WorkQueue(stack, 'Jobs', { visibilityTimeout: Duration.minutes(3) });
    q.addLambdaConsumer(fn(stack, Duration.seconds(30)), { batchSize: 100, maxBatchingWindow: Duration.seconds(5), maxConcurrency: 20 });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 20 },
    });
  });

  test('GIVEN a Lambda timeout above a sixth of the visibility timeout WHEN consumed THEN throws', () => {
    const stack = testStack();
    const q = new WorkQueue(stack, 'Jobs', { visibilityTimeout: Duration.minutes(2) });
    expect(() => q.addLambdaConsumer(fn(stack, Duration.seconds(30))))
      .toThrow(/WorkQueue 'Test\/Jobs': visibilityTimeout must be at least 6× the timeout of 'Test\/Fn' \(3 minutes\), got 2 minutes/);
  });

  test.each([
    ['batchSize 11 on FIFO', { fifo: true }, { batchSize: 11 }, /addLambdaConsumer batchSize must be an integer between 1 and 10, got 11/],
    ['batchSize 100 without a window', {}, { batchSize: 100 }, /batchSize 100 above 10 needs maxBatchingWindow/],
    ['maxConcurrency 1', {}, { maxConcurrency: 1 }, /addLambdaConsumer maxConcurrency must be an integer between 2 and 1000, got 1/],
    ['window 301 s', {}, { maxBatchingWindow: Duration.seconds(301) }, /addLambdaConsumer maxBatchingWindow must be a whole number of seconds between 0 seconds and 5 minutes, got 301 seconds/],
  ])('GIVEN %s WHEN a Lambda consumer is added THEN throws', (_name, qProps, options, message) => {
    const stack = testStack();
    const q = new WorkQueue(stack, 'Jobs', { ...qProps, visibilityTimeout: Duration.minutes(10) });
    expect(() => q.addLambdaConsumer(fn(stack, Duration.seconds(10)), options)).toThrow(message);
  });

  test('GIVEN an encryption key with SQS-managed encryption WHEN created THEN throws', () => {
    const stack = testStack();
    expect(() => new WorkQueue(stack, 'Jobs', { encryptionKey: new kms.Key(stack, 'K', { enableKeyRotation: true }) }))
      .toThrow(/encryptionKey needs encryption: WorkQueueEncryption.KMS, got SQS_MANAGED/);
  });

  test('GIVEN queues WHEN checked with AwsSolutions THEN there are no unacknowledged findings', () => {
    const stack = testStack();
    new WorkQueue(stack, 'A');
    new WorkQueue(stack, 'B', { fifo: true, encryption: WorkQueueEncryption.KMS });
    expectNoNagFindings(stack);
  });

  test('GIVEN removalPolicy DESTROY WHEN created THEN the opt-out is honoured', () => {
    const { t } = queue({ removalPolicy: RemovalPolicy.DESTROY });
    expect(Object.values(t.findResources('AWS::SQS::Queue')).map((r) => r.DeletionPolicy)).toEqual(['Delete', 'Delete']);
  });

  describe('rejects bad input', () => {
    test.each<[string, WorkQueueProps, RegExp]>([
      ['maxReceiveCount 0', { maxReceiveCount: 0 }, /WorkQueue 'Test\/Jobs': maxReceiveCount must be an integer between 1 and 1000, got 0/],
      ['maxReceiveCount 1001', { maxReceiveCount: 1001 }, /maxReceiveCount must be an integer between 1 and 1000, got 1001/],
      ['visibility 12 h + 1 s', { visibilityTimeout: Duration.seconds(43_201) }, /visibilityTimeout must be a whole number of seconds between 0 seconds and 12 hours, got 43201 seconds/],
      ['retention 59 s', { retentionPeriod: Duration.seconds(59) }, /retentionPeriod must be a whole number of seconds between 1 minute and 14 days, got 59 seconds/],
      ['retention 15 days', { retentionPeriod: Duration.days(15) }, /retentionPeriod must be a whole number of seconds between 1 minute and 14 days, got 15 days/],
      ['DLQ retention 15 days', { deadLetterRetentionPeriod: Duration.days(15) }, /deadLetterRetentionPeriod must be a whole number of seconds between 1 minute and 14 days/],
      ['a DLQ shorter-lived than its source', { retentionPeriod: Duration.days(7), deadLetterRetentionPeriod: Duration.days(3) }, /deadLetterRetentionPeriod must be at least retentionPeriod \(7 days\), got 3 days/],
      ['delay 901 s', { deliveryDelay: Duration.seconds(901) }, /deliveryDelay must be a whole number of seconds between 0 seconds and 15 minutes, got 901 seconds/],
      ['receive wait 21 s', { receiveMessageWaitTime: Duration.seconds(21) }, /receiveMessageWaitTime must be a whole number of seconds between 0 seconds and 20 seconds, got 21 seconds/],
      ['a FIFO name without .fifo', { fifo: true, queueName: 'orders' }, /queueName of a FIFO queue must end in '.fifo', got 'orders'/],
      ['a .fifo name on a standard queue', { queueName: 'orders.fifo' }, /queueName ends in '.fifo' but fifo is false, got 'orders.fifo'/],
      ['a name with a space', { queueName: 'my jobs' }, /queueName must be 1–76 characters of \[A-Za-z0-9_-\].*got 'my jobs'/],
      // 76 + '-dlq' = 80, SQS's limit: a 77-character name leaves its dead-letter queue at 81.
      ['a name of 77 characters', { queueName: 'a'.repeat(77) }, /queueName must be 1–76 characters of \[A-Za-z0-9_-\] \(SQS allows 80 including '.fifo'; the dead-letter queue adds '-dlq'\)/],
      // 71 + '-dlq' + '.fifo' = 80.
      ['a FIFO name of 72 characters before .fifo', { fifo: true, queueName: `${'a'.repeat(72)}.fifo` }, /queueName must be 1–71 characters of \[A-Za-z0-9_-\] before '.fifo'/],
      ['an encryption that is not a WorkQueueEncryption (JavaScript caller)', { encryption: 'AES' as any }, /encryption must be one of WorkQueueEncryption.SQS_MANAGED \("SQS_MANAGED"\), WorkQueueEncryption.KMS \("KMS"\).*got "AES"/],
      ['a backlog alarm of 0', { alarms: { maxBacklog: 0 } }, /alarms.maxBacklog must be an integer between 1 and 1000000000000, got 0/],
      ['a message-age alarm of 30 s', { alarms: { maxMessageAge: Duration.seconds(30) } }, /alarms.maxMessageAge must be a whole number of seconds between 1 minute and 14 days, got 30 seconds/],
      ['content deduplication on standard', { contentBasedDeduplication: true }, /contentBasedDeduplication needs fifo: true/],
    ])('GIVEN %s WHEN created THEN throws', (_name, props, message) => {
      expect(() => queue(props)).toThrow(message);
    });
  });
});

describe('WorkQueue dead-letter queue findings', () => {
  test('GIVEN a queue with a Lambda consumer WHEN the Serverless pack runs THEN the DLQ\'s missing redrive policy and the mapping\'s missing destination are acknowledged with the DLQ', () => {
    // GIVEN
    const stack = testStack();
    const q = new WorkQueue(stack, 'Jobs', { visibilityTimeout: Duration.minutes(3) });
    // WHEN
    q.addLambdaConsumer(fn(stack, Duration.seconds(30)));
    // THEN
    expect(nagFindings(stack, [CompliancePack.SERVERLESS]).filter((f) => /SQSRedrivePolicy|EventSourceMappingDestination/.test(f))).toEqual([]);
  });
});
