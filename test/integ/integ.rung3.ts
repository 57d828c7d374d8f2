/**
 * Integration test of the URL shortener example at rung 3 (LOAD_BALANCED_POOL) in us-west-2: the
 * example's `ScaleoutStage` (ALB, auto-scaled services across AZs, Aurora with a reader, Multi-AZ
 * cache, the Clicks queue and its worker) under an `IntegTest`, with assertions that
 * `GET https://app.<domain>/health` answers 200 through the ALB, and that a clicks message put on
 * the Clicks queue is consumed by the worker: the queue drains (no message visible or in flight)
 * and its dead-letter queue stays empty.
 *
 * `npm test` synthesizes it without credentials and checks what it deploys and asserts
 * (integ-apps.test.ts); integ-runner cannot read aws-cdk-lib 2.276's assemblies yet (see
 * integ.rung1.ts, which also shows how to run it against an account).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Aspects, Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DestroyAfterTest } from './teardown';
import { urlShortener } from '../../examples/url-shortener/url-shortener';
import { Rung } from '../../src';

const REGION = 'us-west-2';
const cdkJsonContext: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf-8'),
).context;
const account = process.env.INTEG_ACCOUNT ?? (cdkJsonContext.account as string);
const hostedZoneId = process.env.INTEG_HOSTED_ZONE_ID ?? 'Z0123456789EXAMPLE';
const zoneName = process.env.INTEG_ZONE_NAME ?? 'example.com';
const domainName = `integ-rung3.${zoneName}`;
const azs = cdkJsonContext[`availability-zones:account=${cdkJsonContext.account}:region=${REGION}`];

const app = new App({
  context: { ...cdkJsonContext, [`availability-zones:account=${account}:region=${REGION}`]: azs },
});
const stage = urlShortener(app, 'IntegRung3', { account, hostedZoneId, zoneName, domainName, rung: Rung.LOAD_BALANCED_POOL, regions: [REGION] });
// The test's stacks must go away with `cdk destroy` (see teardown.ts).
Aspects.of(stage).add(new DestroyAfterTest());

const integ = new IntegTest(app, 'Rung3', {
  testCases: stage.regionalStacks,
  cdkCommandOptions: { destroy: { args: { force: true } } },
  regions: [REGION],
});

integ.assertions
  .httpApiCall(`https://app.${domainName}/health`)
  .expect(ExpectedResult.objectLike({ status: 200 }))
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });

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
}).expect(ExpectedResult.objectLike({ Attributes: { ApproximateNumberOfMessages: '0' } }));
send.next(drained).next(noDeadLetters);
