/**
 * What the integ apps share: the example's URL shortener stage at a rung in one region, under an
 * `IntegTest`, made destroyable, with the `/health` assertion through the ALB. Synth needs no AWS
 * calls: cdk.json's context (account, pinned AZs) as in the unit tests, the same AZ names for
 * the deploying account. `INTEG_ACCOUNT`, `INTEG_HOSTED_ZONE_ID` and `INTEG_ZONE_NAME` point it at
 * a real account and zone (see integ.rung1.ts).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Aspects, Duration } from 'aws-cdk-lib';
import { DestroyAfterTest } from './teardown';
import { urlShortener } from '../../examples/url-shortener/url-shortener';
import { Rung, ScaleoutStage } from '../../src';
import { CDK_JSON_CONTEXT, TEST_ACCOUNT } from '../util';

export interface IntegStage {
  readonly integ: IntegTest;
  readonly stage: ScaleoutStage;
  readonly domainName: string;
}

export function integStage(rung: Rung, region: string): IntegStage {
  const account = process.env.INTEG_ACCOUNT ?? TEST_ACCOUNT;
  const hostedZoneId = process.env.INTEG_HOSTED_ZONE_ID ?? 'Z0123456789EXAMPLE';
  const zoneName = process.env.INTEG_ZONE_NAME ?? 'example.com';
  const domainName = `integ-rung${rung}.${zoneName}`;
  const azs = CDK_JSON_CONTEXT[`availability-zones:account=${TEST_ACCOUNT}:region=${region}`];
  const app = new App({ context: { ...CDK_JSON_CONTEXT, [`availability-zones:account=${account}:region=${region}`]: azs } });
  const stage = urlShortener(app, `IntegRung${rung}`, { account, hostedZoneId, zoneName, domainName, rung, regions: [region] });
  // The test's stacks must go away with `cdk destroy` (see teardown.ts).
  Aspects.of(stage).add(new DestroyAfterTest());
  const integ = new IntegTest(app, `Rung${rung}`, {
    testCases: stage.regionalStacks,
    cdkCommandOptions: { destroy: { args: { force: true } } },
    regions: [region],
  });
  // The service answers /health through the ALB (`app.<domain>`, its Route 53 alias and ACM
  // certificate). Polled: the alias and the first task can take a few minutes after the deploy.
  integ.assertions
    .httpApiCall(`https://app.${domainName}/health`)
    .expect(ExpectedResult.objectLike({ status: 200 }))
    .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });
  return { integ, stage, domainName };
}
