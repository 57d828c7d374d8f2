/**
 * Compliance measurement: synthesizes every example (the URL shortener stages of
 * `examples/examples.ts` and the web-service app of `examples/web-service/build.ts`) and runs each
 * pack over it — the cdk-nag packs through `validateScope`, the Control Tower rules as the synth's
 * validation plugin (cfn-guard reads the templates; acknowledgements are applied by aws-cdk-lib) —
 * printing the unacknowledged findings per pack and per rule, and the acknowledgements (cdk-nag's
 * and Control Tower's) that matched no finding of any pack.
 *
 *   node -r esbuild-register scripts/compliance-counts.ts            # all packs, per-rule detail
 *   node -r esbuild-register scripts/compliance-counts.ts --summary  # totals only
 *   node -r esbuild-register scripts/compliance-counts.ts --paths    # per rule, the construct paths
 *   node -r esbuild-register scripts/compliance-counts.ts --json     # machine-readable
 *   node -r esbuild-register scripts/compliance-counts.ts --profile  # the examples built with the
 *       construct defaults of the packs (context cdk-scaleout:compliance, as Compliance.enable sets it)
 *   node -r esbuild-register scripts/compliance-counts.ts --nag-only # skip Control Tower (~30 s)
 *   node -r esbuild-register scripts/compliance-counts.ts --profile --check
 *       # exit 1 unless every pack has zero unacknowledged findings and no acknowledgement is unused
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { buildExamples } from '../examples/examples';
import { buildWebService } from '../examples/web-service/build';
import { Compliance, CompliancePack } from '../src';
import { isNagRuleId, listAcknowledgements, trackAcknowledgements } from '../src/compliance/acknowledgements';
import { COMPLIANCE_CONTEXT_KEY } from '../src/compliance/profile';
import { ValidationReportJson } from '../src/compliance/summary';

const args = process.argv.slice(2);
const controlTower = !args.includes('--nag-only');
/** Every pack the library knows (Control Tower unless --nag-only). */
const PACKS = controlTower ? Object.values(CompliancePack) : Compliance.NAG_PACKS;

const context = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf-8')).context;

interface ExampleResult {
  readonly example: string;
  /** pack → rule → construct paths of the unacknowledged findings. */
  readonly findings: Record<string, Record<string, string[]>>;
  readonly unusedAcknowledgements: string[];
}


function measure(example: string, build: (app: App) => void): ExampleResult {
  const profile = args.includes('--profile') ? { [COMPLIANCE_CONTEXT_KEY]: { packs: PACKS } } : {};
  const outdir = fs.mkdtempSync('/tmp/compliance-counts-');
  const app = new App({
    context: { ...context, ...profile, '@aws-cdk/core:failSynthOnValidationErrors': false },
    builtinCloudFormationValidation: false,
    outdir,
  });
  const guard = controlTower ? Compliance.createPlugin(CompliancePack.CONTROL_TOWER) : undefined;
  if (guard) Validations.of(app).addPlugins(guard);
  build(app);
  app.synth();
  const findings: Record<string, Record<string, string[]>> = {};
  // `path|id` of every acknowledgement that suppressed a finding.
  const used = new Set<string>();
  for (const packName of Compliance.NAG_PACKS) {
    const pack = Compliance.createPack(packName);
    const use = trackAcknowledgements(pack);
    const report = pack.validateScope(app);
    const perRule: Record<string, string[]> = {};
    for (const v of report.violations) perRule[v.ruleName] = [...(perRule[v.ruleName] ?? []), ...v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? '?')];
    findings[packName] = perRule;
    for (const key of use?.keys() ?? []) used.add(key);
  }
  if (guard) {
    const perRule: Record<string, string[]> = {};
    const reportFile = path.join(outdir, 'validation-report.json');
    const report = (fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf-8')) : {}) as ValidationReportJson;
    for (const plugin of report.pluginReports ?? []) {
      if (plugin.pluginName !== guard.name) continue;
      for (const v of plugin.violations ?? []) perRule[v.ruleName] = [...(perRule[v.ruleName] ?? []), ...(v.violatingConstructs ?? []).map((c) => c.constructPath ?? '?')];
      // aws-cdk-lib applies the Control Tower acknowledgements and records which one it used.
      for (const v of plugin.suppressedViolations ?? []) used.add(`${v.acknowledgedAt}|${v.acknowledgedId}`);
    }
    findings[CompliancePack.CONTROL_TOWER] = perRule;
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  const isControlTowerId = (id: string): boolean => id.startsWith(Compliance.CONTROL_TOWER_RULE_PREFIX);
  const unusedAcknowledgements = listAcknowledgements(app)
    .filter((a) => isNagRuleId(a.id) || (guard !== undefined && isControlTowerId(a.id)))
    .filter((a) => !used.has(`${a.path}|${a.id}`))
    .map((a) => `${a.id} @ ${a.path}`);
  return { example, findings, unusedAcknowledgements };
}

const results = [
  measure('examples (UrlShortener, Rung1-4)', (app) => { buildExamples(app); }),
  measure('web-service', (app) => { buildWebService(app); }),
];

const total = (r: Record<string, string[]>): number => Object.values(r).reduce((a, b) => a + b.length, 0);
if (args.includes('--json')) {
  console.log(JSON.stringify(results, undefined, 2));
} else {
  const packTotals: Record<string, number> = {};
  for (const r of results) {
    console.log(`\n## ${r.example}`);
    for (const pack of PACKS) {
      const perRule = r.findings[pack];
      packTotals[pack] = (packTotals[pack] ?? 0) + total(perRule);
      console.log(`${pack}: ${total(perRule)}`);
      if (args.includes('--summary')) continue;
      for (const [rule, paths] of Object.entries(perRule).sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
        console.log(`  ${String(paths.length).padStart(4)}  ${rule}`);
        if (args.includes('--paths')) for (const p of [...paths].sort()) console.log(`          ${p}`);
      }
    }
    console.log(`acknowledgements matching no finding: ${r.unusedAcknowledgements.length}`);
    for (const a of r.unusedAcknowledgements) console.log(`  ${a}`);
  }
  console.log('\n## all examples');
  for (const pack of PACKS) console.log(`${pack}: ${packTotals[pack]}`);
}
if (args.includes('--check')) {
  const count = (r: ExampleResult): number =>
    Object.values(r.findings).reduce((m, perRule) => m + total(perRule), 0) + r.unusedAcknowledgements.length;
  const bad = results.reduce((n, r) => n + count(r), 0);
  if (bad > 0) {
    console.error(`compliance check failed: ${bad} unacknowledged finding(s) or unused acknowledgement(s)`);
    process.exitCode = 1;
  }
}
