/**
 * Runs cdk-nag packs on one side of a review, from its templates alone: each stack's template is
 * re-created with `CfnInclude` in a scratch app and the packs validate that tree. The
 * acknowledgements recorded in the assembly (`aws:cdk:acknowledged-rules` metadata, with their
 * reasons) are applied by construct path, so the result is the same on both sides whatever the
 * synth did: an unacknowledged finding that failed the head synth, or an acknowledged one that left
 * no trace in `validation-report.json`, both show up. Loaded only with `--packs` (it needs aws-cdk-lib).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AssemblySide, ComplianceAcknowledgement, ComplianceFinding } from './assembly-reader';
import { Compliance, CompliancePack } from '../compliance/compliance';

/** The packs' findings on one side. */
export interface PackResult {
  /** Findings no acknowledgement covers. */
  readonly findings: ComplianceFinding[];
  /** Findings an acknowledgement covers, with its reason. */
  readonly acknowledged: Array<ComplianceFinding & { readonly reason: string }>;
  /** Stacks that could not be re-checked, with the reason. */
  readonly errors: string[];
}

/** Parses `--packs AwsSolutions,NIST.800.53.R5`. */
export function parsePacks(value: string): CompliancePack[] {
  const known = Compliance.NAG_PACKS as string[];
  return value.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    if (!known.includes(p)) throw new Error(`--packs: '${p}' is not a cdk-nag pack the review can re-run, expected one of ${known.join(', ')}`);
    return p as CompliancePack;
  });
}

/** A rule id matches an acknowledgement of the same rule, or of its base id (`AwsSolutions-IAM5` covers `AwsSolutions-IAM5[Resource::*]`). */
function covers(ack: ComplianceAcknowledgement, rule: string, constructPath: string): boolean {
  const ruleMatches = ack.rule === rule || rule.startsWith(`${ack.rule}[`) || ack.rule.replace(/^[^:]+::/, '') === rule;
  return ruleMatches && (constructPath === ack.constructPath || constructPath.startsWith(`${ack.constructPath}/`));
}

/** Runs the packs on every stack of a side. */
export function runPacks(side: AssemblySide, packs: CompliancePack[]): PackResult {
  const findings: ComplianceFinding[] = [];
  const acknowledged: Array<ComplianceFinding & { reason: string }> = [];
  const errors: string[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-scaleout-packs-'));
  try {
    for (const [name, stackTemplate] of side.stacks) {
      const file = path.join(scratch, `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.template.json`);
      fs.writeFileSync(file, JSON.stringify(stackTemplate.template));
      const app = new App({ builtinCloudFormationValidation: false, outdir: path.join(scratch, 'out') });
      const stack = new Stack(app, 'Included', { env: { account: stackTemplate.account, region: stackTemplate.region } });
      try {
        new CfnInclude(stack, 'T', { templateFile: file });
      } catch (e) {
        errors.push(`${name}: ${(e as Error).message}`);
        continue;
      }
      const acks = (side.acknowledgements ?? []).filter((a) => a.stack === name);
      for (const pack of packs) {
        const report = Compliance.createPack(pack).validateScope(stack);
        for (const v of report.violations) {
          for (const r of v.violatingResources) {
            const logicalId = (r.constructPath ?? r.resourceLogicalId ?? '?').split('/').pop()!;
            const constructPath = stackTemplate.paths?.get(logicalId) ?? `${name}/${logicalId}`;
            const finding = { plugin: pack as string, rule: v.ruleName, constructPath };
            const ack = acks.find((a) => covers(a, v.ruleName, constructPath));
            if (ack) acknowledged.push({ ...finding, reason: ack.reason });
            else findings.push(finding);
          }
        }
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { findings, acknowledged, errors };
}
