import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CompliancePack, Compliance } from '../src';

/** The context of cdk.json: the same availability zones and settings as `cdk synth`. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf-8'),
).context;

/** The account the examples and tests deploy to (cdk.json context `account`). */
export const TEST_ACCOUNT = CDK_JSON_CONTEXT.account as string;

/** Options of `testApp`. */
export interface TestAppOptions {
  /**
   * Run aws-cdk-lib's built-in CloudFormation schema validation at synth. It is a real check
   * (the example tests and `cdk synth` keep it on) but costs ~60 % of a unit test's time.
   * @default false
   */
  readonly cfnValidation?: boolean;
}

/** An App with cdk.json's context. */
export function testApp(options: TestAppOptions = {}): App {
  return new App({ context: { ...CDK_JSON_CONTEXT }, builtinCloudFormationValidation: options.cfnValidation ?? false });
}

/** Options of `testStack`. */
export interface TestStackOptions {
  /** @default 'eu-west-1' */
  readonly region?: string;
  /** @default 'Test' */
  readonly id?: string;
  /** @default - a new test app */
  readonly app?: App;
}

/** A stack with an explicit account and region, in an App with cdk.json's context. */
export function testStack(options: TestStackOptions = {}): Stack {
  return new Stack(options.app ?? testApp(), options.id ?? 'Test', {
    env: { account: TEST_ACCOUNT, region: options.region ?? 'eu-west-1' },
  });
}

/**
 * The unacknowledged findings of `packs` on `stack`, as readable strings
 * (`AwsSolutions-EC23 Test/Lb/SecurityGroup/Resource`). Synthesizes the stack first so that
 * aspects have run.
 */
export function nagFindings(stack: Stack, packs: CompliancePack[] = [CompliancePack.AWS_SOLUTIONS]): string[] {
  Template.fromStack(stack);
  const findings: string[] = [];
  for (const pack of packs) {
    const report = Compliance.createPack(pack).validateScope(stack);
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        findings.push(`${violation.ruleName} ${resource.constructPath ?? resource.resourceLogicalId}`);
      }
    }
  }
  return findings.sort();
}

/** Asserts that `stack` has zero unacknowledged findings of `packs` (AwsSolutions by default). */
export function expectNoNagFindings(stack: Stack, packs?: CompliancePack[]): void {
  expect(nagFindings(stack, packs)).toEqual([]);
}

/**
 * An app whose compliance profile chooses `packs` (every pack by default: the documented
 * profile) with `defaults`, as `Compliance.enable` records it (no plugin runs).
 */
export function profileApp(packs: string[] = Object.values(CompliancePack), defaults: Record<string, boolean> = {}): App {
  return new App({
    context: { ...CDK_JSON_CONTEXT, 'cdk-scaleout:compliance': { packs, ...defaults } },
    builtinCloudFormationValidation: false,
  });
}

/** A stack like `testStack`, in a `profileApp(packs, defaults)`. */
export function profileStack(options: TestStackOptions & { packs?: string[]; defaults?: Record<string, boolean> } = {}): Stack {
  return testStack({ ...options, app: profileApp(options.packs, options.defaults) });
}
