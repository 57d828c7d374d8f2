/**
 * Compliance measurement: synthesizes every example (the URL shortener stages of
 * `examples/examples.ts` and the web-service app of `examples/web-service/build.ts`) and runs each
 * cdk-nag pack over it, printing the unacknowledged findings per pack and per rule, and the
 * acknowledgements that matched no finding of any pack.
 *
 *   node -r esbuild-register scripts/compliance-counts.ts            # all packs, per-rule detail
 *   node -r esbuild-register scripts/compliance-counts.ts --summary  # totals only
 *   node -r esbuild-register scripts/compliance-counts.ts --json     # machine-readable
 *   node -r esbuild-register scripts/compliance-counts.ts --profile  # the examples built with the
 *       construct defaults of the packs (context cdk-scaleout:compliance, as Compliance.enable sets it)
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildExamples } from '../examples/examples';
import { buildWebService } from '../examples/web-service/build';
import { Compliance, CompliancePack } from '../src';
import { isNagRuleId, listAcknowledgements, trackAcknowledgements } from '../src/compliance/acknowledgements';
import { COMPLIANCE_CONTEXT_KEY } from '../src/compliance/profile';

/** Every cdk-nag pack the library knows. */
const PACKS = Object.values(CompliancePack);

const context = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf-8')).context;

interface ExampleResult {
  readonly example: string;
  readonly findings: Record<string, Record<string, number>>;
  readonly unusedAcknowledgements: string[];
}

function measure(example: string, build: (app: App) => void): ExampleResult {
  const profile = process.argv.includes('--profile') ? { [COMPLIANCE_CONTEXT_KEY]: { packs: PACKS } } : {};
  const app = new App({ context: { ...context, ...profile }, builtinCloudFormationValidation: false, outdir: fs.mkdtempSync('/tmp/compliance-counts-') });
  build(app);
  app.synth();
  const findings: Record<string, Record<string, number>> = {};
  const used = new Set<string>();
  for (const packName of PACKS) {
    const pack = Compliance.createPack(packName);
    const use = trackAcknowledgements(pack);
    const report = pack.validateScope(app);
    const perRule: Record<string, number> = {};
    for (const v of report.violations) perRule[v.ruleName] = (perRule[v.ruleName] ?? 0) + v.violatingResources.length;
    findings[packName] = perRule;
    for (const key of use?.keys() ?? []) used.add(key);
  }
  const unusedAcknowledgements = listAcknowledgements(app)
    .filter((a) => isNagRuleId(a.id))
    .filter((a) => !used.has(`${a.path}|${a.id}`))
    .map((a) => `${a.id} @ ${a.path}`);
  return { example, findings, unusedAcknowledgements };
}

const results = [
  measure('examples (UrlShortener, Rung1-4)', (app) => { buildExamples(app); }),
  measure('web-service', (app) => { buildWebService(app); }),
];

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(results, undefined, 2));
} else {
  const total = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
  const packTotals: Record<string, number> = {};
  for (const r of results) {
    console.log(`\n## ${r.example}`);
    for (const pack of PACKS) {
      const perRule = r.findings[pack];
      packTotals[pack] = (packTotals[pack] ?? 0) + total(perRule);
      console.log(`${pack}: ${total(perRule)}`);
      if (process.argv.includes('--summary')) continue;
      for (const [rule, n] of Object.entries(perRule).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`  ${String(n).padStart(4)}  ${rule}`);
    }
    console.log(`acknowledgements matching no finding: ${r.unusedAcknowledgements.length}`);
    for (const a of r.unusedAcknowledgements) console.log(`  ${a}`);
  }
  console.log('\n## all examples');
  for (const pack of PACKS) console.log(`${pack}: ${packTotals[pack]}`);
}
