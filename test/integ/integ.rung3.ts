/**
 * Integration test of the URL shortener example at rung 3 (LOAD_BALANCED_POOL) in us-west-2: the
 * example's `ScaleoutStage` (ALB, auto-scaled services across AZs, Aurora with a reader, Multi-AZ
 * cache, the Clicks queue and its worker) under an `IntegTest`, with assertions, in this order,
 * that `GET https://app.<domain>/health` answers 200 through the ALB; that the API creates the
 * link `integ3`; and that a clicks message for it put on the Clicks queue is consumed by the
 * worker: `GET /api/stats/integ3` reports the click (the worker wrote it to Aurora), the queue
 * drains (no message visible or in flight) and its dead-letter queue stays empty.
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
/** The link the test creates and clicks (an alias: 3–32 of A-Z a-z 0-9 _ -). */
const CODE = 'integ3';
const { integ, stage, domainName, health } = integStage(Rung.LOAD_BALANCED_POOL, REGION);
const api = `https://app.${domainName}/api`;

// A link whose clicks the API reports (GET /api/stats/<code> answers 404 for unknown codes).
// Polled: the Api service's tasks may register behind the ALB after /health already answers.
const created = integ.assertions.httpApiCall(`${api}/links`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ url: 'https://example.org/integ', alias: CODE }),
}).expect(ExpectedResult.objectLike({ status: 201, body: { code: CODE } }))
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(30) });

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
  MessageBody: JSON.stringify({ type: 'clicks', counts: { [CODE]: 1 }, sentAt: '2026-01-01T00:00:00.000Z' }),
});
// Consumed: the worker wrote the click to Aurora, and the API reads it back (a fresh stage: 1).
const counted = integ.assertions.httpApiCall(`${api}/stats/${CODE}`)
  .expect(ExpectedResult.objectLike({ status: 200, body: { code: CODE, clicks: 1 } }))
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) });
// Deleted from the queue, not just hidden: nothing visible or in flight.
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
health.next(created).next(send).next(counted).next(drained).next(noDeadLetters);
