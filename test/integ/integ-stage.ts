/**
 * What the integ apps share: the example's URL shortener stage at a rung in one region, under an
 * `IntegTest`, made destroyable, with `/health` assertions polled until they answer 200: below
 * rung 4 through the ALB (`app.<domain>`); at rung 4 through the ALB (`<region>.origin.<domain>`,
 * open without the origin-verify header) and through CloudFront (`<domain>`).
 *
 * Synth needs no AWS calls: cdk.json's context (account, pinned AZs) as in the unit tests, the
 * same AZ names for the deploying account. `INTEG_ACCOUNT`, `INTEG_HOSTED_ZONE_ID` and
 * `INTEG_ZONE_NAME` point it at a real account and zone (README, "Integration tests").
 */
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aspects, Duration, Stack } from 'aws-cdk-lib';
import { DestroyAfterTest } from './teardown';
import { urlShortener } from '../../examples/url-shortener/url-shortener';
import { Rung, ScaleoutStage } from '../../src';
import { CDK_JSON_CONTEXT, TEST_ACCOUNT } from '../util';

/** The edge stack's region (CloudFront, its certificate and WAF). */
const EDGE_REGION = 'us-east-1';

export interface IntegStage {
  readonly integ: IntegTest;
  readonly stage: ScaleoutStage;
  readonly domainName: string;
  /** The last `/health` assertion: further assertions chain after it (`health.next(…)`). */
  readonly health: IApiCall;
}

export function integStage(rung: Rung, region: string): IntegStage {
  const account = process.env.INTEG_ACCOUNT ?? TEST_ACCOUNT;
  const hostedZoneId = process.env.INTEG_HOSTED_ZONE_ID ?? 'Z0123456789EXAMPLE';
  const zoneName = process.env.INTEG_ZONE_NAME ?? 'example.com';
  const domainName = `integ-rung${rung}.${zoneName}`;
  const context: Record<string, unknown> = { ...CDK_JSON_CONTEXT };
  for (const r of [region, EDGE_REGION]) {
    context[`availability-zones:account=${account}:region=${r}`] = CDK_JSON_CONTEXT[`availability-zones:account=${TEST_ACCOUNT}:region=${r}`];
  }
  const app = new App({ context });
  const stage = urlShortener(app, `IntegRung${rung}`, { account, hostedZoneId, zoneName, domainName, rung, regions: [region] });
  // The test's stacks must go away with `cdk destroy` (see teardown.ts).
  Aspects.of(stage).add(new DestroyAfterTest());
  // The assertions run in the stage's region whatever region integ-runner runs the test in
  // (its SQS calls reach the stage's queues there).
  const assertionStack = new Stack(app, `Rung${rung}Assertions`, { env: { account, region } });
  const integ = new IntegTest(app, `Rung${rung}`, {
    testCases: [...stage.regionalStacks, ...(stage.edge ? [stage.edge] : [])],
    assertionStack,
    cdkCommandOptions: { destroy: { args: { force: true } } },
    regions: stage.edge ? [region, EDGE_REGION] : [region],
    // Each run deploys a fresh stage and destroys it: the assertions count on an empty
    // database (rung 3: one click on a new link), and the stacks are region-pinned.
    stackUpdateWorkflow: false,
  });
  // Polled: the aliases, the first task and (rung 4) the distribution can take minutes after the deploy.
  const healthy = (url: string, expected: Record<string, unknown> = {}) => integ.assertions
    .httpApiCall(url)
    .expect(ExpectedResult.objectLike({ status: 200, body: { status: 'ok' }, ...expected }))
    .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });
  let health: IApiCall;
  if (!stage.edge) {
    // Below rung 4 the app's name is an alias to the ALB (its ACM certificate covers it).
    health = healthy(`https://app.${domainName}/health`);
  } else {
    // The ALB under its per-region origin name: /health is open without the origin-verify
    // header (Route 53's health checkers cannot send it; origin-verify.ts DEFAULT_OPEN_PATHS).
    const alb = healthy(`https://${stage.regional(region).originName}/health`);
    // CloudFront: the default behaviour forwards /health (no-store) to the region's origin with
    // the origin-verify header; `via` shows the response came through CloudFront.
    health = healthy(`https://${domainName}/health`, { headers: { via: Match.arrayWith([Match.stringLikeRegexp('CloudFront')]) } });
    alb.next(health);
  }
  return { integ, stage, domainName, health };
}
