import {
  CfnElement, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack, Stage, Validations,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { readStacksOfTemplates } from './assembly';
import { EngineFinding, rehearse, rehearseDir, renderTable } from './engine';
import { RULES } from './rules';

/** The context key an app sets to declare its accounts' Lambda concurrency quota (a number). */
const QUOTA_CONTEXT = 'cdk-scaleout:lambdaConcurrencyQuota';
/** The context key an app sets to declare raised per-region quotas (`{"vpcs": 20, "elasticIps": 20}`). */
const REGIONAL_QUOTAS_CONTEXT = 'cdk-scaleout:regionalQuotas';

/**
 * Per-region quotas of the accounts the app deploys to, when raised above AWS's defaults.
 */
export interface RegionalQuotas {
  /**
   * VPCs (and internet gateways) per region.
   *
   * @default 5
   */
  readonly vpcs?: number;
  /**
   * Elastic IP addresses per region (each NAT gateway takes one).
   *
   * @default 5
   */
  readonly elasticIps?: number;
  /**
   * Whether the accounts still have their default VPC, which counts towards the VPC quota.
   *
   * @default true
   */
  readonly defaultVpc?: boolean;
}

/**
 * One thing CloudFormation or an AWS service would reject at deploy time.
 */
export interface RehearsalFinding {
  /** The rule, e.g. `Rehearsal-NameCollision`. */
  readonly ruleId: string;
  /** The CloudFormation stack name. */
  readonly stack: string;
  /** The stack's artifact id in its manifest.json. */
  readonly artifactId: string;
  /** The stack's account ('' when environment-agnostic). */
  readonly account: string;
  /** The stack's region ('' when environment-agnostic). */
  readonly region: string;
  /** The template file. */
  readonly templatePath: string;
  /** The logical id of the resource (or output). */
  readonly logicalId: string;
  /** The resource type ('Output' for an output). */
  readonly resourceType: string;
  /** The construct path from the template's `aws:cdk:path` metadata ('' when absent). */
  readonly constructPath: string;
  /** The property path inside the resource, e.g. `Properties.TopicName`. */
  readonly property: string;
  /** The offending value. */
  readonly value: string;
  /** What is wrong. */
  readonly message: string;
  /** The AWS documentation of the limit. */
  readonly source: string;
}

/** The result of a rehearsal. */
export interface RehearsalReport {
  /** Every finding, in rule order. */
  readonly findings: RehearsalFinding[];
  /** How many stacks were read. */
  readonly stackCount: number;
  /** The findings as a plain-text table with the rules' sources. */
  readonly text: string;
}

/** Options of `DeployRehearsal.run()`. */
export interface DeployRehearsalOptions {
  /** A cloud assembly (`cdk.out`, nested stage assemblies included) or a folder of `*.template.json` files. */
  readonly assemblyDir: string;
  /**
   * The Lambda concurrent-executions quota of the accounts the app deploys to. With it, the
   * reservations per account and region must leave 100 unreserved; without it, any reservation
   * is reported (new accounts have a quota of 10).
   *
   * @default - unknown: every ReservedConcurrentExecutions is reported
   */
  readonly lambdaConcurrencyQuota?: number;
  /**
   * Raised per-region quotas (VPCs, Elastic IPs) of the accounts.
   *
   * @default - AWS's defaults: 5 VPCs including the default VPC, 5 Elastic IPs
   */
  readonly regionalQuotas?: RegionalQuotas;
}

/** Options of the rehearsal's validation plugin. */
export interface DeployRehearsalPluginOptions {
  /**
   * The Lambda concurrent-executions quota of the accounts the app deploys to.
   *
   * @default - the app's context `cdk-scaleout:lambdaConcurrencyQuota`, else unknown
   */
  readonly lambdaConcurrencyQuota?: number;
  /**
   * Raised per-region quotas (VPCs, Elastic IPs) of the accounts.
   *
   * @default - the app's context `cdk-scaleout:regionalQuotas`, else AWS's defaults
   */
  readonly regionalQuotas?: RegionalQuotas;
}

/** A rule of the rehearsal. */
export interface RehearsalRuleInfo {
  /** The rule's id. */
  readonly id: string;
  /** What the rule checks. */
  readonly description: string;
  /** The AWS documentation of the limit. */
  readonly source: string;
}

/**
 * The deploy rehearsal as a CDK policy-validation plugin: at synth it reads every template of
 * the app (nested stages included) with its manifest and fails synth on findings, naming the
 * construct path. Acknowledge a finding with
 * `Validations.of(construct).acknowledge({ id: 'Rehearsal-NameCollision', reason })`.
 */
export class DeployRehearsalPlugin implements IPolicyValidationPlugin {
  /** The plugin's name in the validation report. */
  public readonly name: string = 'DeployRehearsal';
  /** The plugin's version. */
  public readonly version?: string = '1.0.0';
  /** The rules it evaluates. */
  public readonly ruleIds?: string[] = RULES.map((r) => r.id);

  private readonly quota?: number;
  private readonly regionalQuotas?: RegionalQuotas;

  constructor(options: DeployRehearsalPluginOptions = {}) {
    this.quota = options.lambdaConcurrencyQuota;
    this.regionalQuotas = options.regionalQuotas;
  }

  /** Runs the rehearsal over the templates of the context. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = context.appConstruct;
    const fromContext = Number(root?.node.tryGetContext(QUOTA_CONTEXT));
    const quota = this.quota ?? (Number.isFinite(fromContext) && fromContext > 0 ? fromContext : undefined);
    const stacks = readStacksOfTemplates(context.templatePaths);
    // Construct paths by artifact id and logical id (templates carry `aws:cdk:path` only when the
    // CLI turns path metadata on), so that messages and acknowledgements can use them.
    const constructs = new Map<string, IConstruct>();
    if (root) {
      for (const c of root.node.findAll()) {
        if (!CfnElement.isCfnElement(c)) continue;
        const stack = Stack.of(c);
        constructs.set(`${stack.artifactId}|${stack.resolve(c.logicalId)}`, c);
      }
      for (const s of stacks) {
        for (const [id, r] of Object.entries(s.template.Resources ?? {})) {
          const c = constructs.get(`${s.artifactId}|${id}`);
          if (c && typeof r.Metadata?.['aws:cdk:path'] !== 'string') (r as { Metadata?: Record<string, unknown> }).Metadata = { ...r.Metadata, 'aws:cdk:path': c.node.path };
        }
      }
    }
    const regionalQuotas = this.regionalQuotas ?? root?.node.tryGetContext(REGIONAL_QUOTAS_CONTEXT);
    const findings = rehearse({ stacks, fromManifest: true, lambdaConcurrencyQuota: quota, regionalQuotas });
    const violations: PolicyViolation[] = [];
    for (const f of findings) {
      const construct = constructs.get(`${f.artifactId}|${f.logicalId}`);
      if (construct && acknowledged(construct, f.ruleId)) continue;
      const rule = RULES.find((r) => r.id === f.ruleId)!;
      violations.push({
        ruleName: f.ruleId,
        description: `${f.message} [${f.property} = ${f.value}] — ${rule.description}`,
        fix: f.source,
        severity: 'error',
        violatingResources: [{
          resourceLogicalId: f.logicalId,
          templatePath: f.templatePath,
          locations: [f.property.replace(/\./g, '/')],
          ...(f.constructPath ? { constructPath: f.constructPath } : {}),
        }],
      });
    }
    return { success: violations.length === 0, violations };
  }
}

/** Whether `ruleId` is acknowledged on `construct` or a scope above it. */
function acknowledged(construct: IConstruct, ruleId: string): boolean {
  for (const scope of construct.node.scopes) {
    for (const entry of scope.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      const ids = Object.keys(entry.data as Record<string, string>).map((k) => k.replace(/^(annotation|DeployRehearsal)::/i, ''));
      if (ids.includes(ruleId)) return true;
    }
  }
  return false;
}

/**
 * The deploy rehearsal: reads a synthesized cloud assembly (nested stages included) and reports,
 * before any deploy, what CloudFormation or the AWS services would reject across stacks and
 * regions — physical-name collisions, stacks that use by name what another stack creates without
 * depending on it, cross-region imports, partial secret ARNs in ECS, Lambda concurrency that needs
 * a raised quota, and per-resource limits (SQS names, FIFO DLQs, target-group algorithms,
 * Lambda@Edge, Fargate sizes) on the final templates. Works offline.
 */
export class DeployRehearsal {
  /** The context key an app sets to declare its accounts' Lambda concurrency quota (a number), read by the plugin. */
  public static readonly LAMBDA_CONCURRENCY_QUOTA_CONTEXT = QUOTA_CONTEXT;
  /** The context key an app sets to declare raised per-region quotas (`RegionalQuotas` as JSON), read by the plugin. */
  public static readonly REGIONAL_QUOTAS_CONTEXT = REGIONAL_QUOTAS_CONTEXT;

  /** Rehearses the assembly in `options.assemblyDir`. */
  public static run(options: DeployRehearsalOptions): RehearsalReport {
    const { findings, stacks } = rehearseDir(options.assemblyDir, options.lambdaConcurrencyQuota, options.regionalQuotas);
    return { findings: findings.map(toPublic), stackCount: stacks, text: renderTable(findings) };
  }

  /** Adds the rehearsal as a validation plugin of `scope` (an App: it then sees every stack, nested stages included). */
  public static enable(scope: Stage, options: DeployRehearsalPluginOptions = {}): DeployRehearsalPlugin {
    const plugin = new DeployRehearsalPlugin(options);
    Validations.of(scope).addPlugins(plugin);
    return plugin;
  }

  /** The rules, with their sources. */
  public static rules(): RehearsalRuleInfo[] {
    return RULES.map((r) => ({ id: r.id, description: r.description, source: r.source }));
  }

  private constructor() {}
}

function toPublic(f: EngineFinding): RehearsalFinding {
  return { ...f };
}
