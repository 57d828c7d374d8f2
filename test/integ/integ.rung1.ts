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
 * Without those variables it uses cdk.json's account and the examples' zone (integ-stage.ts).
 */
import { integStage } from './integ-stage';
import { Rung } from '../../src';

integStage(Rung.SINGLE_SERVER, 'eu-central-1');
