import { CfnResource, Validations } from 'aws-cdk-lib';
import { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * Internal: one acknowledgement recorded with `Validations.of(construct).acknowledge()`.
 */
export interface AcknowledgementEntry {
  /** The construct path the acknowledgement is recorded on. */
  readonly path: string;
  /** The rule id as recorded (e.g. `AwsSolutions-IAM5[Resource::*]`). */
  readonly id: string;
  /** The reason given. */
  readonly reason: string;
}

/**
 * Internal: every acknowledgement in the construct tree under `scope` (nested stages included),
 * sorted by path and rule id, each (path, id, reason) once.
 */
export function listAcknowledgements(scope: IConstruct): AcknowledgementEntry[] {
  const entries = new Map<string, AcknowledgementEntry>();
  for (const c of scope.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !m.data) continue;
      for (const [qualified, reason] of Object.entries(m.data as Record<string, string>)) {
        // aws-cdk-lib records a cdk-nag id as `Annotation::<id>`; cdk-nag compares without it.
        const id = qualified.replace(/^annotation::/i, '');
        entries.set(`${c.node.path}|${id}|${reason}`, { path: c.node.path, id, reason: String(reason) });
      }
    }
  }
  return [...entries.values()].sort((a, b) => a.path.localeCompare(b.path) || a.id.localeCompare(b.id));
}

/** The rule-id prefixes of the cdk-nag packs. */
const NAG_RULE = /^(AwsSolutions|HIPAA\.Security|NIST\.800\.53\.R[45]|PCI\.DSS\.321|Serverless)-/;

/** Internal: whether `id` acknowledges a cdk-nag rule (not an annotation or another plugin's rule). */
export function isNagRuleId(id: string): boolean {
  return NAG_RULE.test(id);
}

/**
 * Internal: the acknowledgements a pack honoured during its last run, keyed
 * `<acknowledgement path>|<rule id>`, with the resources each one covered.
 */
export type AcknowledgementUse = Map<string, string[]>;

type PackInternals = { isAcknowledged?: (resource: CfnResource, ruleId: string) => boolean };

/**
 * Internal: records which acknowledgements `pack` honours. cdk-nag 3.0.2 asks its private
 * `isAcknowledged(resource, ruleId)` once per finding; the wrapper notes the construct on the
 * path to the resource that carries the matching acknowledgement. Returns undefined when the
 * pack has no such method (another cdk-nag version): use is then unknown.
 */
export function trackAcknowledgements(pack: NagPack): AcknowledgementUse | undefined {
  const internals = pack as unknown as PackInternals;
  const original = internals.isAcknowledged;
  if (typeof original !== 'function') return undefined;
  const used: AcknowledgementUse = new Map();
  internals.isAcknowledged = (resource: CfnResource, ruleId: string): boolean => {
    const acknowledged = original.call(pack, resource, ruleId);
    if (acknowledged) {
      for (let c: IConstruct | undefined = resource; c; c = c.node.scope) {
        const carries = c.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data
          && Object.keys(m.data as object).some((k) => k.replace(/^annotation::/i, '') === ruleId));
        if (!carries) continue;
        const key = `${c.node.path}|${ruleId}`;
        used.set(key, [...(used.get(key) ?? []), resource.node.path]);
        break;
      }
    }
    return acknowledged;
  };
  return used;
}

/** Internal: one (rule, reason) with every construct path it is recorded on. */
export interface AcknowledgementGroup {
  readonly rule: string;
  readonly reason: string;
  readonly paths: string[];
}

/** Internal: `entries` grouped by rule and reason (sorted by both), paths in the order given. */
export function groupAcknowledgements(entries: readonly AcknowledgementEntry[]): AcknowledgementGroup[] {
  const rows = new Map<string, { rule: string; reason: string; paths: string[] }>();
  for (const e of entries) {
    const key = `${e.id}\n${e.reason}`;
    const row = rows.get(key) ?? { rule: e.id, reason: e.reason, paths: [] };
    row.paths.push(e.path);
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.rule.localeCompare(b.rule) || a.reason.localeCompare(b.reason));
}
