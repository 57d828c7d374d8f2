/**
 * Integration test of the URL shortener example at rung 4 (FULL_DISTRIBUTION) in one region,
 * eu-west-1, and its edge stack in us-east-1 (CloudFront, WAF, viewer certificate, GeoDNS for
 * `origin.<domain>`): both stacks under an `IntegTest`, with assertions, each polled for up to
 * 10 minutes, that `/health` answers 200 `{"status":"ok"}`
 *   - through the ALB: `GET https://eu-west-1.origin.<domain>/health` (the open path of origin
 *     protection: Route 53's health checkers call it without the origin-verify header), then
 *   - through CloudFront: `GET https://<domain>/health`, whose `Via` header names CloudFront
 *     (the default behaviour sends the origin-verify header to the region's origin).
 *
 * Which app covers which path: integ.rung1 the ALB (`app.<domain>`), integ.rung3 the ALB and
 * the Clicks queue, integ.rung4 the ALB and CloudFront.
 *
 * `npm test` synthesizes it without credentials and compares its templates with the committed
 * snapshot (integ-apps.test.ts; `npx projen integ:update` rewrites it). Against an account
 * (deploys both stacks, asserts, destroys; Docker builds the service image; us-east-1 and
 * eu-west-1 bootstrapped): README, "Integration tests".
 */
import { integStage } from './integ-stage';
import { Rung } from '../../src';

integStage(Rung.FULL_DISTRIBUTION, 'eu-west-1');
