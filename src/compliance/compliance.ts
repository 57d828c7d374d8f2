import * as fs from 'fs';
import * as path from 'path';
import { Annotations, App, IPolicyValidationPlugin, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R4Checks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { CONTROL_TOWER_PREFIX } from './acknowledge';
import { COMPLIANCE_CONTEXT_KEY } from './profile';
import { complianceSummary, isFailingViolation, trackPlugin, ValidationReportJson } from './summary';

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
  /**
   * The AWS Control Tower proactive controls (474 cfn-guard rules), run by the
   * `@cdklabs/cdk-validator-cfnguard` plugin. That package ships cfn-guard's binaries (36 MB), so it
   * is not a dependency of cdk-scaleout: install it beside it (`npm install -D
   * @cdklabs/cdk-validator-cfnguard`). Acknowledge its findings with the plugin's prefix:
   * `Validations.of(c).acknowledge({ id: 'cdk-validator-cfnguard::<rule>', reason })`
   * (`Compliance.CONTROL_TOWER_RULE_PREFIX`).
   *
   * @see https://docs.aws.amazon.com/controltower/latest/controlreference/proactive-controls.html
   */
  CONTROL_TOWER = 'ControlTower',
}

/** The packs that are cdk-nag packs (every pack but CONTROL_TOWER). */
const NAG_PACKS: readonly CompliancePack[] = Object.values(CompliancePack).filter((p) => p !== CompliancePack.CONTROL_TOWER);

/** The npm package that runs the Control Tower rules. */
const CFN_GUARD_PACKAGE = '@cdklabs/cdk-validator-cfnguard';

/**
 * Construct defaults that the regulatory packs (NIST 800-53 R4/R5, HIPAA Security, PCI DSS 3.2.1,
 * Control Tower) switch on. Each is on when one of those packs is chosen and off otherwise; set it to force it
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
   * `deletionProtection` wins). Rule: ELBDeletionProtectionEnabled. Elastic Load Balancing then
   * refuses to delete them: a first deploy that fails after the load balancer exists cannot roll
   * back (ROLLBACK_FAILED), and `cdk destroy` or a replacement fails, until protection is turned
   * off (`modify-load-balancer-attributes deletion_protection.enabled=false`).
   *
   * @default - true with a regulatory pack
   */
  readonly loadBalancerDeletionProtection?: boolean;

  /**
   * Put each Aurora cluster in an AWS Backup plan (`AuroraDatabase` `awsBackup` wins). ElastiCache is
   * not a resource type of AWS Backup: caches keep their own snapshots (`longCacheSnapshotRetention`).
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

  /**
   * Keep the logs of every log group the constructs create (service, worker, cache, flow-log,
   * handler and provider-framework logs, and the exported Aurora logs) for at least a year: a
   * construct's default retention shorter than `RetentionDays.ONE_YEAR` becomes a year, a longer
   * one (or never expiring) is kept, and a retention set in a construct's props always wins.
   * Rule: Control Tower cloudwatch_log_group_retention_period_check (365 days or more).
   *
   * @default - true with a regulatory pack
   * @see https://docs.aws.amazon.com/controltower/latest/controlreference/cloudwatch-rules.html
   */
  readonly longLogRetention?: boolean;

  /**
   * Run the containers of `StatelessService` and `QueueWorker` as a non-root user: `'1000:1000'`
   * (`DEFAULT_NON_ROOT_USER`) unless their `user` prop is set. The image must run as that user:
   * its files readable by it and its scratch paths (`writablePaths`, task-storage volumes that ECS
   * creates root-owned with mode 0755) writable, e.g. by declaring them with `VOLUME` in the
   * Dockerfile over a directory the user may write (ECS then copies its contents and permissions).
   * The URL shortener's image runs as `USER 1000:1000` with `VOLUME ["/tmp"]`.
   * Rule: Control Tower ecs_task_definition_nonroot_user_check.
   *
   * @default - true with a regulatory pack
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html
   */
  readonly nonRootContainers?: boolean;

  /**
   * Give the container of each `StatelessService` and `QueueWorker` a hard memory limit equal to
   * the task's memory (`memoryLimitMiB` of the container: the one container may use the whole task,
   * as without the limit; ECS stops it beyond). Containers you add to `taskDefinition` yourself need
   * their own `memoryLimitMiB`. Rule: Control Tower ecs_task_definition_memory_hard_limit_check.
   *
   * @default - true with a regulatory pack
   */
  readonly containerMemoryLimits?: boolean;

  /**
   * Associate a regional AWS WAF web ACL with each Application Load Balancer of `ServiceLoadBalancer`
   * (`webAcl` wins): the AWS managed common and known-bad-inputs rule groups and a per-IP rate
   * limit (`webAclRateLimit`, 2000 per 5 minutes; behind CloudFront's origin-verify header it counts
   * only the requests without the header). Web ACLs and their requests are billed.
   * Rule: ALBWAFEnabled.
   *
   * @default - true with a regulatory pack
   */
  readonly loadBalancerWaf?: boolean;

  /**
   * Log the requests of the web ACLs (`EdgeWebAcl`, and the ALBs' with `loadBalancerWaf`) to
   * CloudWatch Logs: one `aws-waf-logs-<stage-stack-path>` group per web ACL (the prefix AWS WAF
   * requires), kept a year and retained, encrypted with the stack's logs key when `encryptLogGroups`
   * is on; the authorization, cookie and origin-verify headers are redacted (`EdgeWebAcl` `logging`
   * and `ServiceLoadBalancer` `webAclLogging` win). Rule: WAFv2LoggingEnabled.
   *
   * @default - true with a regulatory pack
   */
  readonly wafLogging?: boolean;

  /**
   * Remove every rule of the default security group of each `Network`'s VPC (aws-cdk-lib's
   * `restrictDefaultSecurityGroup`: a custom resource whose Lambda function, one per stack,
   * revokes them at deployment). Nothing of cdk-scaleout uses that group.
   * Rule: VPCDefaultSecurityGroupClosed.
   *
   * @default - true with a regulatory pack
   */
  readonly closeDefaultSecurityGroup?: boolean;

  /**
   * Encrypt the static-assets bucket of `CdnDistribution` with a customer-managed KMS key (rotated,
   * retained, bucket key on): its Origin Access Control origin lets CloudFront decrypt with it
   * (a key-policy statement for the account's distributions). The log buckets stay SSE-S3: ALB
   * access logs accept only SSE-S3, and the CDN log bucket receives CloudFront standard logs
   * (legacy) and S3 server access logs. Rule: S3DefaultEncryptionKMS.
   *
   * @default - true with a regulatory pack
   */
  readonly kmsBuckets?: boolean;

  /**
   * Add to the key policy of every KMS key of the stacks that hold cdk-scaleout constructs
   * (aws-cdk-lib's and your own keys included) a statement that denies `kms:CreateGrant` to
   * every principal unless the grant is for an AWS resource (`kms:GrantIsForAWSResource`: an
   * integrated service such as Amazon RDS creates it for the caller) or
   * the caller is an AWS service (`aws:PrincipalIsAWSService`). Only CreateGrant is denied: the
   * account's administrative access to the key (`kms:*` for the account, `kms:PutKeyPolicy`
   * included) stays, so the key cannot be locked out. Rule: Control Tower
   * kms_create_grant_aws_service_check (CT.KMS.PR.3).
   *
   * @default - true with a regulatory pack
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
   */
  readonly restrictKeyGrants?: boolean;

  /**
   * Turn on active AWS X-Ray tracing on the Lambda functions the constructs create (invalidation,
   * purge and origin-verify handlers, and aws-cdk-lib's custom-resource framework functions they
   * use: the provider framework's, and the stack's one AwsCustomResource function, which your own
   * AwsCustomResources in that stack share), with the X-Ray permissions (`xray:PutTraceSegments`, `xray:PutTelemetryRecords`);
   * X-Ray bills per trace. Lambda@Edge functions are not traced: Lambda@Edge does not support
   * X-Ray. Rule: Serverless LambdaTracing.
   *
   * @default - true with a regulatory pack
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
   */
  readonly lambdaTracing?: boolean;

  /**
   * Send the object events of the buckets the constructs create (load balancer access logs, CDN
   * static assets and logs) to Amazon EventBridge (`NotificationConfiguration.EventBridgeConfiguration`
   * in the template, no custom resource), e.g. to see each log delivery; nothing reacts until you
   * add an EventBridge rule. Rule: Control Tower s3_event_notifications_enabled_check.
   *
   * @default - true with a regulatory pack
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
   */
  readonly bucketEventNotifications?: boolean;
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

  /** The cdk-nag packs (every `CompliancePack` but `CONTROL_TOWER`). */
  public static readonly NAG_PACKS: CompliancePack[] = [...NAG_PACKS];

  /** The prefix of Control Tower rule ids in acknowledgements: `cdk-validator-cfnguard::<rule>`. */
  public static readonly CONTROL_TOWER_RULE_PREFIX: string = CONTROL_TOWER_PREFIX;

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
      const plugin = Compliance.createPlugin(pack, scope, options.verbose ?? false);
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
    const reportFile = path.join(assembly.directory, 'validation-report.json');
    const report: ValidationReportJson = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf-8')) : {};
    const summary = complianceSummary(app, report);
    const summaryFile = path.join(assembly.directory, Compliance.SUMMARY_FILE);
    fs.writeFileSync(summaryFile, JSON.stringify(summary, undefined, 2));
    // Under the CDK CLI (it sets CDK_OUTDIR), say that the checks ran: a passing pack is silent.
    if (process.env.CDK_OUTDIR && summary.plugins.length > 0) {
      const parts = summary.plugins.map((p) => `${p.name} ${p.conclusion} (${p.findings} finding(s)${p.acknowledged !== undefined ? `, ${p.acknowledged} acknowledged` : ''})`);
      process.stderr.write(`cdk-scaleout compliance: ${parts.join('; ')}. Summary: ${summaryFile}\n`);
    }
    // Every error-severity violation left in the report counts, whatever the plugin's conclusion
    // says (see isFailingViolation: aws-cdk-lib can call a plugin with findings a success).
    const findings: string[] = [];
    for (const plugin of report.pluginReports ?? []) {
      const failing = (plugin.violations ?? []).filter(isFailingViolation);
      for (const violation of failing) {
        for (const c of violation.violatingConstructs ?? [{}]) findings.push(`${violation.ruleName} at ${c.constructPath ?? '?'} (${plugin.pluginName})`);
      }
      // A plugin that threw reports a failure with no violation.
      if (plugin.conclusion === 'failure' && (plugin.violations ?? []).length === 0) findings.push(`${plugin.pluginName} failed: ${plugin.metadata?.error ?? 'no reason given'}`);
    }
    if (findings.length > 0) {
      throw new Error(`Compliance: ${findings.length} unacknowledged finding(s); fix or acknowledge them (Validations.of(construct).acknowledge):\n  ${findings.join('\n  ')}\nReport: ${reportFile}`);
    }
    return assembly.directory;
  }

  /**
   * Creates the cdk-nag pack object for `pack`, e.g. to call `validateScope()` in a test.
   * `CONTROL_TOWER` is not a cdk-nag pack: use `createPlugin()`.
   */
  public static createPack(pack: CompliancePack, scope?: IConstruct, verbose: boolean = false): NagPack {
    switch (pack) {
      case CompliancePack.AWS_SOLUTIONS: return new AwsSolutionsChecks(scope, { verbose });
      case CompliancePack.HIPAA_SECURITY: return new HIPAASecurityChecks(scope, { verbose });
      case CompliancePack.NIST_800_53_R4: return new NIST80053R4Checks(scope, { verbose });
      case CompliancePack.NIST_800_53_R5: return new NIST80053R5Checks(scope, { verbose });
      case CompliancePack.PCI_DSS_321: return new PCIDSS321Checks(scope, { verbose });
      case CompliancePack.SERVERLESS: return new ServerlessChecks(scope, { verbose });
      case CompliancePack.CONTROL_TOWER:
        throw new Error(`Compliance.createPack: '${pack}' is not a cdk-nag pack (it validates templates, not a construct tree): use Compliance.createPlugin()`);
    }
    throw new Error(`Compliance.createPack: unknown pack '${pack}', expected one of ${Object.values(CompliancePack).join(', ')}`);
  }

  /**
   * Creates the validation plugin that runs `pack` at synth: the cdk-nag pack, or for
   * `CONTROL_TOWER` the `CfnGuardValidator` of `@cdklabs/cdk-validator-cfnguard` with the Control
   * Tower rules, loaded from the app's `node_modules` (an error says how to install it).
   */
  public static createPlugin(pack: CompliancePack, scope?: IConstruct, verbose: boolean = false): IPolicyValidationPlugin {
    if (pack !== CompliancePack.CONTROL_TOWER) return Compliance.createPack(pack, scope, verbose);
    let modulePath: string;
    try {
      modulePath = require.resolve(CFN_GUARD_PACKAGE, { paths: [process.cwd(), __dirname] });
    } catch {
      throw new Error(`Compliance: pack '${pack}' needs the package ${CFN_GUARD_PACKAGE} (cfn-guard and the Control Tower rules, 36 MB), `
        + `which is not a dependency of cdk-scaleout: npm install -D ${CFN_GUARD_PACKAGE}`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CfnGuardValidator } = require(modulePath) as { CfnGuardValidator: new (props: object) => IPolicyValidationPlugin };
    // cfn-guard's JSON output for a multi-region app exceeds Node's default 1 MB pipe buffer.
    return new CfnGuardValidator({ controlTowerRulesEnabled: true, maxBuffer: 256 * 1024 * 1024 });
  }

  private constructor() {}
}
