import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { AcknowledgementUse, groupAcknowledgements, isNagRuleId, listAcknowledgements, trackAcknowledgements } from './acknowledgements';

/** Internal: one registered plugin whose runs the summary reports. */
interface TrackedPlugin {
  readonly scope: IConstruct;
  readonly name: string;
  readonly use?: AcknowledgementUse;
  report?: PolicyValidationPluginReport;
}

const TRACKED = new WeakMap<IConstruct, TrackedPlugin[]>();

/**
 * Internal: records the report of every run of `plugin` (and, for a cdk-nag pack, the
 * acknowledgements it honoured) for the compliance summary of `scope`'s app.
 */
export function trackPlugin(scope: IConstruct, plugin: IPolicyValidationPlugin): void {
  const use = plugin instanceof NagPack ? trackAcknowledgements(plugin) : undefined;
  const tracked: TrackedPlugin = { scope, name: plugin.name, use };
  const validate = plugin.validate.bind(plugin);
  plugin.validate = (context: IPolicyValidationContext): PolicyValidationPluginReport => {
    use?.clear();
    tracked.report = validate(context);
    return tracked.report;
  };
  const root = scope.node.root;
  TRACKED.set(root, [...(TRACKED.get(root) ?? []), tracked]);
}

/** Counts per key, sorted by key. */
function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of [...keys].sort()) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
}

/** The `compliance-summary.json` of an app (see `Compliance.synthesize`). */
export interface ComplianceSummaryJson {
  readonly version: 1;
  /** One entry per plugin run through `Compliance.enable` / `DataRetentionCheck.enable`. */
  readonly plugins: Array<{
    readonly name: string;
    /** The construct path of the App or Stage it was enabled on ('' for the app). */
    readonly scope: string;
    /** Whether it ran at synth (false: it never ran or threw). */
    readonly ran: boolean;
    readonly conclusion: 'success' | 'failure' | 'not run';
    /** Unacknowledged findings (one per resource). */
    readonly findings: number;
    readonly findingsByRule: Record<string, number>;
    /** Findings acknowledged on purpose (one per resource): cdk-nag packs, and other plugins read from the validation report. */
    readonly acknowledged?: number;
    readonly acknowledgedByRule?: Record<string, number>;
  }>;
  /** Every acknowledgement recorded in the app: rule, reason and where (sorted). */
  readonly acknowledgements: Array<{ readonly rule: string; readonly reason: string; readonly paths: string[] }>;
  /** cdk-nag acknowledgements that matched no finding of any pack that ran. */
  readonly unmatchedNagAcknowledgements: string[];
}

/** The parts of `validation-report.json` the summary reads. */
export interface ValidationReportJson {
  readonly pluginReports?: Array<{
    readonly pluginName: string;
    readonly conclusion: string;
    readonly metadata?: { readonly error?: string };
    readonly violations?: ReportedViolation[];
    readonly suppressedViolations?: ReportedViolation[];
  }>;
}

/** A violation of `validation-report.json`. */
export interface ReportedViolation {
  readonly ruleName: string;
  readonly severity?: string;
  readonly violatingConstructs?: Array<{ readonly constructPath?: string }>;
  /** Suppressed violations: the acknowledgement's rule id and the path it is recorded on. */
  readonly acknowledgedId?: string;
  readonly acknowledgedAt?: string;
}

/**
 * Internal: whether a reported violation fails the synth. aws-cdk-lib writes `severity: error` for
 * a violation without one, but once any acknowledgement exists in the app it recomputes a plugin's
 * conclusion from the raw severity and calls a plugin with such violations (cfn-guard's) a success
 * (measured with aws-cdk-lib 2.276): so the findings are counted here, not the conclusion.
 */
export function isFailingViolation(v: ReportedViolation): boolean {
  return v.severity === undefined || ['error', 'fatal'].includes(v.severity);
}

/**
 * Internal: the summary of the last synth of `app`. cdk-nag packs apply acknowledgements
 * themselves; for other plugins the findings are read from the synth's `validation-report.json`
 * (aws-cdk-lib applies the acknowledgements there) when given.
 */
export function complianceSummary(app: IConstruct, validationReport?: ValidationReportJson): ComplianceSummaryJson {
  const tracked = TRACKED.get(app) ?? [];
  const used = new Set<string>();
  const plugins = tracked.map((t) => {
    // A plugin without findings has no entry in the report.
    const reported = !t.use && validationReport && t.report
      ? validationReport.pluginReports?.find((r) => r.pluginName === t.name) ?? { pluginName: t.name, conclusion: 'success' }
      : undefined;
    let findings: string[];
    let acknowledged: string[] | undefined;
    if (reported) {
      const perResource = (vs: ReportedViolation[] | undefined): string[] =>
        (vs ?? []).filter(isFailingViolation).flatMap((v) => (v.violatingConstructs ?? [{}]).map(() => v.ruleName));
      findings = perResource(reported.violations);
      acknowledged = perResource(reported.suppressedViolations);
    } else {
      findings = (t.report?.violations ?? []).flatMap((v) => v.violatingResources.map(() => v.ruleName));
      acknowledged = t.use ? [...t.use.entries()].flatMap(([key, resources]) => resources.map(() => key.slice(key.indexOf('|') + 1))) : undefined;
    }
    for (const key of t.use?.keys() ?? []) used.add(key);
    const conclusion = t.report === undefined ? 'not run' as const
      : reported ? (findings.length > 0 ? 'failure' as const : 'success' as const)
        : t.report.success ? 'success' as const : 'failure' as const;
    return {
      name: t.name,
      scope: t.scope.node.path,
      ran: t.report !== undefined,
      conclusion,
      findings: findings.length,
      findingsByRule: countBy(findings),
      ...(acknowledged ? { acknowledged: acknowledged.length, acknowledgedByRule: countBy(acknowledged) } : {}),
    };
  });
  const all = listAcknowledgements(app);
  const nagRan = tracked.some((t) => t.use && t.report);
  return {
    version: 1,
    plugins,
    acknowledgements: groupAcknowledgements(all),
    unmatchedNagAcknowledgements: nagRan
      ? all.filter((a) => isNagRuleId(a.id) && tracked.some((t) => t.use && a.id.startsWith(`${t.name}-`)) && !used.has(`${a.path}|${a.id}`)).map((a) => `${a.id} @ ${a.path}`)
      : [],
  };
}
