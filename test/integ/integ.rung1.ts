/**
 * Integration test of the URL shortener example at rung 1 (SINGLE_SERVER) in eu-central-1: the
 * example's `ScaleoutStage` (VPC, ALB, one Fargate task per service, Aurora Serverless v2) under
 * an `IntegTest`, with an assertion that `GET https://app.<domain>/health` answers 200 through the
 * ALB, polled for up to 10 minutes.
 *
 * `npm test` synthesizes it without credentials and checks what it deploys and asserts
 * (integ-apps.test.ts). It is not run by integ-runner yet: the registry's newest
 * @aws-cdk/integ-runner (2.197.10) reads cloud assembly schema 53 and rejects aws-cdk-lib
 * 2.276's schema 55 (AssemblyVersionMismatch). With an integ-runner that reads schema 55, against
 * an account (deploys, asserts, destroys; Docker builds the service image):
 *
 *   INTEG_ACCOUNT=123456789012 INTEG_HOSTED_ZONE_ID=Z… INTEG_ZONE_NAME=example.org \
 *     npx integ-runner --directory test/integ --language typescript \
 *       --app 'node -r esbuild-register {filePath}' --force
 *
 * Without those variables it uses cdk.json's account and the examples' zone.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Aspects, Duration } from 'aws-cdk-lib';
import { DestroyAfterTest } from './teardown';
import { urlShortener } from '../../examples/url-shortener/url-shortener';
import { Rung } from '../../src';

const REGION = 'eu-central-1';
// cdk.json's context: its account and the availability zones it pins, so that synth needs no
// AWS calls (as in the unit tests, test/util.ts).
const cdkJsonContext: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf-8'),
).context;
const account = process.env.INTEG_ACCOUNT ?? (cdkJsonContext.account as string);
const hostedZoneId = process.env.INTEG_HOSTED_ZONE_ID ?? 'Z0123456789EXAMPLE';
const zoneName = process.env.INTEG_ZONE_NAME ?? 'example.com';
const domainName = `integ-rung1.${zoneName}`;
// The same AZ names for the deploying account: no availability-zone lookup at synth.
const azs = cdkJsonContext[`availability-zones:account=${cdkJsonContext.account}:region=${REGION}`];

const app = new App({
  context: { ...cdkJsonContext, [`availability-zones:account=${account}:region=${REGION}`]: azs },
});
const stage = urlShortener(app, 'IntegRung1', { account, hostedZoneId, zoneName, domainName, rung: Rung.SINGLE_SERVER, regions: [REGION] });
// The test's stacks must go away with `cdk destroy` (see teardown.ts).
Aspects.of(stage).add(new DestroyAfterTest());

const integ = new IntegTest(app, 'Rung1', {
  testCases: stage.regionalStacks,
  cdkCommandOptions: { destroy: { args: { force: true } } },
  regions: [REGION],
});

// The service answers /health through the ALB (`app.<domain>`, its Route 53 alias and ACM
// certificate). Polled: the alias and the first task can take a few minutes after the deploy.
integ.assertions
  .httpApiCall(`https://app.${domainName}/health`)
  .expect(ExpectedResult.objectLike({ status: 200 }))
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });
