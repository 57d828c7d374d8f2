/**
 * Integration test of the URL shortener example at rung 3 (LOAD_BALANCED_POOL) in us-west-2: the
 * example's `ScaleoutStage` (ALB, auto-scaled services across AZs, Aurora with a reader, Multi-AZ
 * cache, the Clicks queue and its worker) under an `IntegTest`, with assertions that
 * `GET https://app.<domain>/health` answers 200 through the ALB, and that a clicks message put on
 * the Clicks queue is consumed by the worker: the queue drains (no message visible or in flight)
 * and its dead-letter queue stays empty.
 *
 * The assertion stack is in us-west-2 (integ-stage.ts), so the SQS calls reach the queues
 * whatever region the test is run from.
 *
 * `npm test` synthesizes it without credentials and compares its templates with the committed
 * snapshot, integ.rung3.ts.snapshot/ (integ-apps.test.ts; `npx projen integ:update` rewrites
 * it). Against an account (us-west-2 bootstrapped): README, "Integration tests".
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { integStage } from './integ-stage';
import { Rung } from '../../src';

const REGION = 'us-west-2';
const { integ, stage } = integStage(Rung.LOAD_BALANCED_POOL, REGION);

// The queues' names are fixed at synth (the stage's stack and the assertion stack are in
// different assemblies, so no cross-stack reference): the assertions look the URLs up by name.
const clicks = stage.regional(REGION).queues.Clicks;
const nameOf = (queue: sqs.Queue) => (queue.node.defaultChild as sqs.CfnQueue).queueName!;
const queueUrl = integ.assertions.awsApiCall('SQS', 'getQueueUrl', { QueueName: nameOf(clicks.queue) });
const dlqUrl = integ.assertions.awsApiCall('SQS', 'getQueueUrl', { QueueName: nameOf(clicks.deadLetterQueue) });
// A message as the redirect service sends it (service/src/clicks.ts); the worker adds the counts
// to click_counts and deletes it.
const send = integ.assertions.awsApiCall('SQS', 'sendMessage', {
  QueueUrl: queueUrl.getAttString('QueueUrl'),
  MessageBody: JSON.stringify({ type: 'clicks', counts: { integ3: 1 }, sentAt: '2026-01-01T00:00:00.000Z' }),
});
const drained = integ.assertions.awsApiCall('SQS', 'getQueueAttributes', {
  QueueUrl: queueUrl.getAttString('QueueUrl'),
  AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
}).expect(ExpectedResult.objectLike({
  Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' },
})).waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) });
const noDeadLetters = integ.assertions.awsApiCall('SQS', 'getQueueAttributes', {
  QueueUrl: dlqUrl.getAttString('QueueUrl'),
  AttributeNames: ['ApproximateNumberOfMessages'],
}).expect(ExpectedResult.objectLike({ Attributes: { ApproximateNumberOfMessages: '0' } }))
  // Polled too: a polled assertion that never matches fails the assertion stack's deploy
  // (CloudFormation), so `cdk deploy` without integ-runner reports it as well.
  .waitForAssertions({ totalTimeout: Duration.minutes(1), interval: Duration.seconds(20) });
send.next(drained).next(noDeadLetters);
