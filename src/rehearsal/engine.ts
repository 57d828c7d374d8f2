/**
 * Runs the rules over the stacks and ties each finding to its rule. CDK-free (the CLI and the
 * review use it without loading aws-cdk-lib).
 */
import { readAssemblyStacks } from './assembly';
import type { RehearsalFinding } from './deploy-rehearsal';
import { RegionalQuotaValues, RehearsalInput, RehearsalStack } from './model';
import { RULES } from './rules';

/** A finding as the engine reports it: the public `RehearsalFinding`. */
export type EngineFinding = RehearsalFinding;

/** Applies every rule. */
export function rehearse(input: RehearsalInput): EngineFinding[] {
  const out: EngineFinding[] = [];
  const seen = new Set<string>();
  for (const rule of RULES) {
    for (const f of rule.check(input)) {
      const key = `${rule.id}|${f.stack.key}|${f.logicalId}|${f.property}|${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        ruleId: rule.id,
        stack: f.stack.name,
        artifactId: f.stack.artifactId,
        region: f.stack.region ?? '',
        account: f.stack.account ?? '',
        templatePath: f.stack.templatePath,
        logicalId: f.logicalId,
        resourceType: resourceType(f.stack, f.logicalId),
        constructPath: constructPath(f.stack, f.logicalId),
        property: f.property,
        value: f.value,
        message: f.message,
        source: rule.source,
      });
    }
  }
  return out;
}

function resourceType(stack: RehearsalStack, logicalId: string): string {
  return stack.template.Resources?.[logicalId]?.Type ?? (stack.template.Outputs?.[logicalId] ? 'Output' : '');
}

function constructPath(stack: RehearsalStack, logicalId: string): string {
  const p = stack.template.Resources?.[logicalId]?.Metadata?.['aws:cdk:path'];
  return typeof p === 'string' ? p : '';
}

/** Reads `dir` and rehearses it. */
export function rehearseDir(
  dir: string, lambdaConcurrencyQuota?: number, regionalQuotas?: RegionalQuotaValues,
): { findings: EngineFinding[]; stacks: number } {
  const { stacks, fromManifest } = readAssemblyStacks(dir);
  return { findings: rehearse({ stacks, fromManifest, lambdaConcurrencyQuota, regionalQuotas }), stacks: stacks.length };
}

/** A plain-text table of findings. */
export function renderTable(findings: readonly EngineFinding[]): string {
  if (findings.length === 0) return 'Deploy rehearsal: no finding.\n';
  const rows = findings.map((f) => [f.ruleId, f.stack, f.logicalId, f.property, f.value.length > 60 ? f.value.slice(0, 57) + '...' : f.value, f.message]);
  const header = ['rule', 'stack', 'logical id', 'property', 'value', 'message'];
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const sources = [...new Map(findings.map((f) => [f.ruleId, f.source])).entries()].map(([id, src]) => `  ${id}: ${src}`);
  return [`Deploy rehearsal: ${findings.length} finding(s)`, '', line(header), line(widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? 7 : w))), ...rows.map(line), '', 'Sources:', ...sources, ''].join('\n');
}
