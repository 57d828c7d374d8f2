import * as fs from 'fs';
import * as os from 'os';
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

/** Options of `reportingApp`. */
export interface ReportingAppOptions {
  /** @default - a new temporary directory */
  readonly outdir?: string;
  /** More context over cdk.json's. @default - none */
  readonly context?: Record<string, unknown>;
}

/**
 * An App with cdk.json's context whose synth records validation-plugin failures in
 * `validation-report.json` instead of failing (for tests that read the report).
 */
export function reportingApp(options: ReportingAppOptions = {}): App {
  return new App({
    outdir: options.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-scaleout-test-')),
    builtinCloudFormationValidation: false,
    context: { ...CDK_JSON_CONTEXT, '@aws-cdk/core:failSynthOnValidationErrors': false, ...options.context },
  });
}

/** A violation of `validation-report.json`. */
export interface ReportedViolation {
  readonly ruleName: string;
  readonly violatingConstructs?: Array<{ readonly constructPath: string }>;
}

/** The parts of `validation-report.json` the tests read. */
export interface ValidationReport {
  readonly pluginReports?: Array<{ readonly pluginName: string; readonly violations?: ReportedViolation[] }>;
}

/** The `validation-report.json` of the last synth of `app` (aws-cdk-lib writes none when every plugin passed). */
export function validationReport(app: App): ValidationReport {
  const file = path.join(app.outdir, 'validation-report.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) as ValidationReport : {};
}

/** The unacknowledged findings of the last synth of `app`, as `rule construct-path`, of `pluginName`'s report only when given. */
export function reportedFindings(app: App, pluginName?: string): string[] {
  return (validationReport(app).pluginReports ?? [])
    .filter((p) => pluginName === undefined || p.pluginName === pluginName)
    .flatMap((p) => (p.violations ?? []).flatMap((v) => (v.violatingConstructs ?? []).map((c) => `${v.ruleName} ${c.constructPath}`)));
}

/** Runs `fn` with console.error silenced (a failing validation plugin prints its report there). */
export function quietly<T>(fn: () => T): T {
  const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return fn();
  } finally {
    log.mockRestore();
  }
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
