/**
 * Integration test of the URL shortener example at rung 1 (SINGLE_SERVER) in eu-central-1: the
 * example's `ScaleoutStage` (VPC, ALB, one Fargate task per service, Aurora Serverless v2) under
 * an `IntegTest`, with an assertion that `GET https://app.<domain>/health` answers 200
 * `{"status":"ok"}` through the ALB, polled for up to 10 minutes.
 *
 * Which app covers which path: integ.rung1 the ALB (`app.<domain>`), integ.rung3 the ALB and
 * the Clicks queue, integ.rung4 the ALB (`<region>.origin.<domain>`) and CloudFront.
 *
 * `npm test` synthesizes it without credentials and compares its templates with the committed
 * snapshot, integ.rung1.ts.snapshot/ (integ-apps.test.ts; `npx projen integ:update` rewrites it:
 * integ-runner 2.197.10 cannot read aws-cdk-lib 2.276's assemblies, see integ-snapshot.ts).
 * Against an account (deploys, asserts, destroys; Docker builds the service image; eu-central-1
 * bootstrapped): README, "Integration tests". Without `INTEG_ACCOUNT`, `INTEG_HOSTED_ZONE_ID`
 * and `INTEG_ZONE_NAME` it uses cdk.json's account and the examples' zone (integ-stage.ts).
 */
import { integStage } from './integ-stage';
import { Rung } from '../../src';

integStage(Rung.SINGLE_SERVER, 'eu-central-1');
