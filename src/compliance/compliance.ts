import * as fs from 'fs';
import * as path from 'path';
import { Annotations, App, IPolicyValidationPlugin, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R4Checks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { COMPLIANCE_CONTEXT_KEY } from './profile';
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
 * Construct defaults that the regulatory packs (NIST 800-53 R4/R5, HIPAA Security, PCI DSS 3.2.1)
 * switch on. Each is on when one of those packs is chosen and off otherwise; set it to force it
 * either way. A prop set on a construct always wins over these defaults.
 */
export interface ComplianceDefaults {
  /**
   * KMS-encrypt every log group the cdk-scaleout constructs create (service, cache, flow-log and
   * handler logs) with one key per stack (`CdkScaleoutLogsKey`: rotated, retained, usable by
   * CloudWatch Logs of the stack's region for the account's log groups only).
   * Rule: CloudWatchLogGroupEncrypted.
   *
   * @default - true with a regulatory pack
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   */
  readonly encryptLogGroups?: boolean;

  /**
   * Keep ElastiCache snapshots for 15 days instead of 7 (`CacheCluster` `snapshotRetentionDays`
   * wins). Rule: ElastiCacheRedisClusterAutomaticBackup.
   *
   * @default - true with a regulatory pack
   */
  readonly longCacheSnapshotRetention?: boolean;

  /**
   * Turn on deletion protection of the load balancers (`ServiceLoadBalancer`
   * `deletionProtection` wins). Rule: ELBDeletionProtectionEnabled.
   *
   * @default - true with a regulatory pack
   */
  readonly loadBalancerDeletionProtection?: boolean;

  /**
   * Put each Aurora cluster in an AWS Backup plan (`AuroraDatabase` `awsBackup` wins).
   * Rule: RDSInBackupPlan (which cdk-nag checks on the cluster's instances: they are acknowledged
   * with the plan's path, since AWS Backup selects the cluster).
   *
   * @default - true with a regulatory pack
   */
  readonly awsBackup?: boolean;

  /**
   * Version the access-log buckets the constructs create (load balancer and CDN logs), with
   * noncurrent versions expiring after their lifecycle's retention. Rule: S3BucketVersioningEnabled.
   *
   * @default - true with a regulatory pack
   */
  readonly versionLogBuckets?: boolean;

  /**
   * Turn the inline IAM policies of every stack that holds a cdk-scaleout construct (the default
   * policies that grants write to, aws-cdk-lib's own included) into customer-managed policies with
   * the same statements and attachments, one per policy (a role takes 10 managed policies by
   * default; a managed policy holds 6,144 characters). Rule: IAMNoInlinePolicy.
   *
   * @default - true with a regulatory pack
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
   */
  readonly managedPolicies?: boolean;

  /**
   * Public subnets of `Network` do not assign public IPv4 addresses on launch (the NAT gateways
   * and internet-facing load balancers get theirs explicitly). Rule: VPCSubnetAutoAssignPublicIpDisabled.
   *
   * @default - true with a regulatory pack
   */
  readonly noPublicIpOnLaunch?: boolean;
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
   * Other policy-validation plugins to run at synth beside the packs, reported in the compliance
   * summary like them: e.g. the AWS Control Tower proactive controls,
   * `new CfnGuardValidator({ controlTowerRulesEnabled: true })` from
   * `@cdklabs/cdk-validator-cfnguard` (a separate package: it ships cfn-guard's binaries, 36 MB).
   *
   * @default - none
   */
  readonly plugins?: IPolicyValidationPlugin[];

  /**
   * Construct defaults switched by the chosen packs. They reach every construct created under
   * `scope` after this call (nested stages included), through the context key
   * `cdk-scaleout:compliance`: call `Compliance.enable()` before adding stages and stacks.
   *
   * @default - each default on when a regulatory pack is chosen
   */
  readonly defaults?: ComplianceDefaults;

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
    if (packs.length === 0 && (options.plugins ?? []).length === 0) {
      throw new Error('Compliance.enable: packs must name at least one pack, got []');
    }
    if (scope.node.children.length === 0) {
      const inherited = scope.node.tryGetContext(COMPLIANCE_CONTEXT_KEY);
      scope.node.setContext(COMPLIANCE_CONTEXT_KEY, { ...inherited, packs: [...new Set(packs)], ...options.defaults });
    } else {
      Annotations.of(scope).addWarningV2('cdk-scaleout:compliance-enable-late',
        'Compliance.enable() was called after constructs were added: the packs run, but construct defaults do not follow them; call it first '
        + `or set the context '${COMPLIANCE_CONTEXT_KEY}' in cdk.json`);
    }
    const seen = new Set<CompliancePack>();
    for (const pack of packs) {
      if (seen.has(pack)) continue;
      seen.add(pack);
      const plugin = Compliance.createPack(pack, scope, options.verbose ?? false);
      trackPlugin(scope, plugin);
      Validations.of(scope).addPlugins(plugin);
    }
    for (const plugin of options.plugins ?? []) {
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
    const summary = complianceSummary(app);
    const summaryFile = path.join(assembly.directory, Compliance.SUMMARY_FILE);
    fs.writeFileSync(summaryFile, JSON.stringify(summary, undefined, 2));
    // Under the CDK CLI (it sets CDK_OUTDIR), say that the checks ran: a passing pack is silent.
    if (process.env.CDK_OUTDIR && summary.plugins.length > 0) {
      const parts = summary.plugins.map((p) => `${p.name} ${p.conclusion} (${p.findings} finding(s)${p.acknowledged !== undefined ? `, ${p.acknowledged} acknowledged` : ''})`);
      process.stderr.write(`cdk-scaleout compliance: ${parts.join('; ')}. Summary: ${summaryFile}\n`);
    }
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
