import * as fs from 'fs';
import * as path from 'path';
import { App, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R4Checks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { complianceSummary, trackPlugin } from './summary';

/**
 * A cdk-nag rule pack that `Compliance.enable()` can run at synth.
 */
export enum CompliancePack {
  /** AWS Solutions best practices (the default). */
  AWS_SOLUTIONS = 'AwsSolutions',
  /** HIPAA Security. */
  HIPAA_SECURITY = 'HIPAA.Security',
  /** NIST 800-53 rev 4. */
  NIST_800_53_R4 = 'NIST.800.53.R4',
  /** NIST 800-53 rev 5. */
  NIST_800_53_R5 = 'NIST.800.53.R5',
  /** PCI DSS 3.2.1. */
  PCI_DSS_321 = 'PCI.DSS.321',
  /** Serverless (Lambda, API Gateway, Step Functions, SQS/SNS best practices). */
  SERVERLESS = 'Serverless',
}

/**
 * Options for `Compliance.enable()`.
 */
export interface ComplianceOptions {
  /**
   * The rule packs to run on every stack of the app or stage.
   *
   * cdk-scaleout constructs acknowledge the AwsSolutions findings they accept on
   * purpose (each with a reason, scoped to the resource); findings of the other
   * packs are yours to fix or acknowledge.
   *
   * @default [CompliancePack.AWS_SOLUTIONS]
   */
  readonly packs?: CompliancePack[];

  /**
   * Print cdk-nag's extended explanation with each finding.
   *
   * @default false
   */
  readonly verbose?: boolean;
}

/**
 * Turns compliance checking on for an app or a stage.
 *
 * The packs run as CDK policy-validation plugins: `cdk synth` writes
 * `cdk.out/validation-report.json` and exits non-zero when a pack reports an
 * unacknowledged finding. Acknowledge a finding on the construct it concerns:
 *
 * ```ts
 * Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'this bucket is the access-log target' });
 * ```
 *
 * @example
 * const app = new App();
 * Compliance.enable(app, { packs: [CompliancePack.AWS_SOLUTIONS, CompliancePack.NIST_800_53_R5] });
 */
export class Compliance {
  /** The file `synthesize()` writes into the cloud assembly directory. */
  public static readonly SUMMARY_FILE: string = 'compliance-summary.json';

  /**
   * Registers the chosen cdk-nag packs as validation plugins of `scope`.
   *
   * @param scope an `App` or a `Stage`
   * @param options which packs to run
   */
  public static enable(scope: IConstruct, options: ComplianceOptions = {}): void {
    if (!Stage.isStage(scope)) {
      throw new Error(`Compliance.enable: scope must be an App or a Stage, got '${scope.node.path || scope.constructor.name}'`);
    }
    const packs = options.packs ?? [CompliancePack.AWS_SOLUTIONS];
    if (packs.length === 0) {
      throw new Error('Compliance.enable: packs must name at least one pack, got []');
    }
    const seen = new Set<CompliancePack>();
    for (const pack of packs) {
      if (seen.has(pack)) continue;
      seen.add(pack);
      const plugin = Compliance.createPack(pack, scope, options.verbose ?? false);
      trackPlugin(scope, plugin);
      Validations.of(scope).addPlugins(plugin);
    }
  }

  /**
   * Synthesizes `app`, writes the compliance summary and throws when any validation plugin
   * reported a failure, naming each unacknowledged finding. Call it last in the app's entry point:
   * with nested stages, some aws-cdk-lib / CLI combinations record a failed pack only in
   * `validation-report.json` and let `cdk synth` succeed (measured with aws-cdk-lib 2.276 and
   * CLI 2.1148.1).
   *
   * The summary, `cdk.out/compliance-summary.json` (`Compliance.SUMMARY_FILE`), shows that the
   * packs ran even when they pass (a passing plugin leaves no entry in `validation-report.json`):
   * for every pack of `Compliance.enable` and every `DataRetentionCheck.enable`, the scope, whether
   * it ran, its conclusion, its unacknowledged findings per rule and (cdk-nag packs) the findings
   * acknowledged per rule; then every acknowledgement of the app with its reason and paths, and
   * the cdk-nag acknowledgements that matched no finding of a pack that ran. It is written before
   * the failure is thrown.
   *
   * @returns the cloud assembly directory
   */
  public static synthesize(app: App): string {
    const assembly = app.synth();
    fs.writeFileSync(path.join(assembly.directory, Compliance.SUMMARY_FILE), JSON.stringify(complianceSummary(app), undefined, 2));
    const reportFile = path.join(assembly.directory, 'validation-report.json');
    if (!fs.existsSync(reportFile)) return assembly.directory;
    type Violation = { ruleName: string; violatingConstructs?: Array<{ constructPath?: string }> };
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf-8')) as {
      pluginReports?: Array<{ pluginName: string; conclusion: string; violations?: Violation[] }>;
    };
    const findings: string[] = [];
    for (const plugin of report.pluginReports ?? []) {
      if (plugin.conclusion !== 'failure') continue;
      for (const violation of plugin.violations ?? []) {
        for (const c of violation.violatingConstructs ?? [{}]) findings.push(`${violation.ruleName} at ${c.constructPath ?? '?'} (${plugin.pluginName})`);
      }
    }
    if (findings.length > 0) {
      throw new Error(`Compliance: ${findings.length} unacknowledged finding(s); fix or acknowledge them (Validations.of(construct).acknowledge):\n  ${findings.join('\n  ')}\nReport: ${reportFile}`);
    }
    return assembly.directory;
  }

  /**
   * Creates the cdk-nag pack object for `pack`, e.g. to call `validateScope()` in a test.
   */
  public static createPack(pack: CompliancePack, scope?: IConstruct, verbose: boolean = false): NagPack {
    switch (pack) {
      case CompliancePack.AWS_SOLUTIONS: return new AwsSolutionsChecks(scope, { verbose });
      case CompliancePack.HIPAA_SECURITY: return new HIPAASecurityChecks(scope, { verbose });
      case CompliancePack.NIST_800_53_R4: return new NIST80053R4Checks(scope, { verbose });
      case CompliancePack.NIST_800_53_R5: return new NIST80053R5Checks(scope, { verbose });
      case CompliancePack.PCI_DSS_321: return new PCIDSS321Checks(scope, { verbose });
      case CompliancePack.SERVERLESS: return new ServerlessChecks(scope, { verbose });
    }
    throw new Error(`Compliance.createPack: unknown pack '${pack}', expected one of ${Object.values(CompliancePack).join(', ')}`);
  }

  private constructor() {}
}
