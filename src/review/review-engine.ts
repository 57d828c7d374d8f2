/**
 * The PR review of a change to synthesized CloudFormation: per stack, what is added, removed
 * and modified (with @aws-cdk/cloudformation-diff's replacement impact and the old → new values
 * of changed properties), and first the risks — data loss, widened security boundaries (WAF,
 * security groups, IAM judged by what it widens), new compliance findings, deploy-rehearsal
 * findings — then information a reviewer may want (new roles of a new service, Deny statements,
 * rules between new security groups), then a Mermaid diagram of the head's real wiring.
 * CDK-free: it reads templates only.
 */
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { AssemblySide, ComplianceAcknowledgement, ComplianceFinding, StackTemplate, TemplateResource } from './assembly-reader';
import type { PackResult } from './compliance-delta';
import { STATEFUL_TYPES } from './stateful-types';
import type { EngineFinding } from '../rehearsal/engine';

/** The kind of a risk. */
export type RiskKind = 'data-loss' | 'security' | 'compliance' | 'deploy';

/** How much a risk matters: high and medium fail `--fail-on risk`; info never does. */
export type Severity = 'high' | 'medium' | 'info';

/** A risk a reviewer must see (or, with severity 'info', information). */
export interface Risk {
  readonly kind: RiskKind;
  readonly severity: Severity;
  readonly stack: string;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly message: string;
  /** The reason, when an acknowledgement covers it. */
  acknowledged?: string;
}

/** One added, removed or modified resource. */
export interface ResourceChange {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly impact: string;
  /** Old → new values of changed properties (modified resources). */
  readonly details?: string[];
  /** For a removed resource: the added resource a construct rename replaces it with. */
  readonly replacedBy?: string;
}

/** What changes in one stack. */
export interface StackReview {
  readonly stack: string;
  readonly region?: string;
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  readonly added: ResourceChange[];
  readonly removed: ResourceChange[];
  readonly modified: ResourceChange[];
}

/** An acknowledgement of an intended risk. */
export interface Acknowledgement {
  readonly stack: string;
  readonly logicalId: string;
  readonly reason: string;
}

/** Monthly cost of one stack on both sides (USD, low = minimum capacity, high = maximum). */
export interface StackCostDelta {
  readonly stack: string;
  readonly baseLow: number;
  readonly baseHigh: number;
  readonly headLow: number;
  readonly headHigh: number;
}

/** The estimated monthly cost of both sides (`CostEstimator`), when it could be estimated. */
export interface CostDelta {
  readonly baseLow: number;
  readonly baseHigh: number;
  readonly headLow: number;
  readonly headHigh: number;
  /** Stacks whose estimate changes, largest change first. */
  readonly stacks: StackCostDelta[];
  /** The usage the estimate assumes. */
  readonly assumptions: string[];
}

/** The whole review. */
export interface ReviewOutcome {
  readonly stacks: StackReview[];
  /** Risks (severity high or medium), acknowledged or not. */
  readonly risks: Risk[];
  /** Information: changes worth a look that widen nothing. */
  readonly information: Risk[];
  readonly newFindings: ComplianceFinding[];
  readonly resolvedFindings: ComplianceFinding[];
  /** Compliance acknowledgements (cdk-nag) that the head adds, with their reasons. */
  readonly newComplianceAcknowledgements: ComplianceAcknowledgement[];
  /** The deploy rehearsal's findings on the head (each is also a risk of kind 'deploy'). */
  readonly deployFindings: EngineFinding[];
  /** Whether the compliance delta comes from running the packs on both sides (`--packs`), and their problems. */
  readonly packsRun: boolean;
  readonly packErrors: string[];
  readonly mermaid: string;
  readonly summary: string;
  /** True when no stack changes and there is nothing to report. */
  readonly noChanges: boolean;
  /** The monthly cost estimate of both sides (set by the command; templates alone cannot give it). */
  readonly cost?: CostDelta;
}

type Resources = Record<string, TemplateResource>;

/** Changed values listed per resource (the rest are counted). */
const MAX_DETAILS = 25;

/** Compares two sides and collects changes and risks. */
export function review(
  base: AssemblySide,
  head: AssemblySide,
  acknowledgements: Acknowledgement[] = [],
  deployFindings: EngineFinding[] = [],
  packs?: { readonly base: PackResult; readonly head: PackResult },
): ReviewOutcome {
  const names = [...new Set([...base.stacks.keys(), ...head.stacks.keys()])].sort();
  const stacks: StackReview[] = [];
  const all: Risk[] = [];
  const renames = findRenames(base, head);
  for (const name of names) {
    stacks.push(reviewStack(name, base.stacks.get(name), head.stacks.get(name), all, renames));
  }
  const key = (f: ComplianceFinding) => `${f.plugin}|${f.rule}|${f.constructPath}`;
  const baseFindings = packs ? packs.base.findings : base.findings;
  const headFindings = packs ? packs.head.findings : head.findings;
  const baseKeys = new Set(baseFindings.map(key));
  const headKeys = new Set(headFindings.map(key));
  const newFindings = headFindings.filter((f) => !baseKeys.has(key(f)));
  const resolvedFindings = baseFindings.filter((f) => !headKeys.has(key(f)));
  for (const f of newFindings) {
    all.push({ kind: 'compliance', severity: 'medium', stack: f.constructPath.split('/')[0], logicalId: f.constructPath, resourceType: f.plugin, message: `new finding ${f.rule}` });
  }
  const ackKey = (a: ComplianceAcknowledgement) => `${a.constructPath}|${a.rule}`;
  const baseAcks = new Set((base.acknowledgements ?? []).map(ackKey));
  // With the packs run, the acknowledged findings new in the head (exact); else the acknowledgements new in the metadata.
  const ackedBefore = new Set((packs?.base.acknowledged ?? []).map(key));
  const newComplianceAcknowledgements = packs
    ? packs.head.acknowledged.filter((f) => !ackedBefore.has(key(f)))
      .map((f) => ({ stack: f.constructPath.split('/')[0], constructPath: f.constructPath, rule: f.rule, reason: f.reason }))
    : (head.acknowledgements ?? []).filter((a) => !baseAcks.has(ackKey(a)));
  for (const f of deployFindings) {
    all.push({ kind: 'deploy', severity: 'high', stack: f.stack, logicalId: f.logicalId, resourceType: f.resourceType, message: `${f.ruleId}: ${f.message} (${f.property})` });
  }
  for (const r of all) {
    // Exact match only: `Stack/*` acknowledges a resource whose logical id is literally `*`.
    const ack = acknowledgements.find((a) => a.stack === r.stack && a.logicalId === r.logicalId);
    if (ack && r.severity !== 'info') r.acknowledged = ack.reason;
  }
  const order: Record<Severity, number> = { high: 0, medium: 1, info: 2 };
  const kindOrder: Record<RiskKind, number> = { 'data-loss': 0, 'deploy': 1, 'security': 2, 'compliance': 3 };
  all.sort((a, b) => order[a.severity] - order[b.severity] || kindOrder[a.kind] - kindOrder[b.kind]);
  const risks = all.filter((r) => r.severity !== 'info');
  const information = all.filter((r) => r.severity === 'info');
  const open = risks.filter((r) => !r.acknowledged);
  const changed = stacks.filter((s) => s.status !== 'unchanged');
  const highest = open[0];
  const noChanges = changed.length === 0 && all.length === 0 && newComplianceAcknowledgements.length === 0 && resolvedFindings.length === 0;
  const summary = noChanges ? `No changes: ${stacks.length} stack(s), none changes.` : `${changed.length} of ${stacks.length} stack(s) change: `
    + `${sum(stacks, 'added')} resource(s) added, ${sum(stacks, 'modified')} modified, ${sum(stacks, 'removed')} removed. `
    + `${open.length} unacknowledged risk(s) (${count(open, 'data-loss')} data loss, ${count(open, 'security')} security, ${count(open, 'compliance')} compliance, ${count(open, 'deploy')} deploy)`
    + `${risks.length > open.length ? `, ${risks.length - open.length} acknowledged` : ''}`
    + `${information.length ? `, ${information.length} information` : ''}. `
    + (highest ? `Highest risk: ${highest.kind} — ${highest.stack}/${highest.logicalId}: ${highest.message}.` : 'No risk found.');
  return {
    stacks,
    risks,
    information,
    newFindings,
    resolvedFindings,
    newComplianceAcknowledgements,
    deployFindings,
    packsRun: !!packs,
    packErrors: [...(packs?.base.errors ?? []).map((e) => `base ${e}`), ...(packs?.head.errors ?? []).map((e) => `head ${e}`)],
    mermaid: mermaid(head, stacks),
    summary,
    noChanges,
  };
}

function sum(stacks: StackReview[], field: 'added' | 'removed' | 'modified'): number {
  return stacks.reduce((n, s) => n + s[field].length, 0);
}

function count(risks: Risk[], kind: RiskKind): number {
  return risks.filter((r) => r.kind === kind).length;
}

/** A resource a rename replaces a removed one with. */
interface RenameTarget { readonly stack: string; readonly logicalId: string; readonly path: string }

/**
 * Pairs removed and added resources of one type whose construct paths differ in exactly one
 * segment: a construct rename (the segment is the construct's id) or a stage rename (the
 * segment is the stage's, the resources move to a stack of another name). Same-stack pairs first.
 */
function findRenames(base: AssemblySide, head: AssemblySide): Map<string, RenameTarget> {
  const resources = (side: AssemblySide) => [...side.stacks.values()].flatMap((st) => Object.entries((st.template.Resources ?? {}) as Resources)
    .map(([id, r]) => ({ stack: st.name, logicalId: id, type: r.Type, path: st.paths?.get(id) })));
  const inBase = new Set(resources(base).map((r) => `${r.stack}|${r.logicalId}`));
  const inHead = new Set(resources(head).map((r) => `${r.stack}|${r.logicalId}`));
  const candidates = new Map<string, RenameTarget[]>();
  for (const r of resources(head)) {
    if (!r.path || inBase.has(`${r.stack}|${r.logicalId}`)) continue;
    const k = `${r.type}|${r.path.split('/').length}`;
    candidates.set(k, [...(candidates.get(k) ?? []), { stack: r.stack, logicalId: r.logicalId, path: r.path }]);
  }
  const pairs = new Map<string, RenameTarget>();
  const taken = new Set<string>();
  for (const r of resources(base)) {
    if (!r.path || inHead.has(`${r.stack}|${r.logicalId}`)) continue;
    const rp = r.path.split('/');
    const list = [...(candidates.get(`${r.type}|${rp.length}`) ?? [])].sort((a, b) => Number(b.stack === r.stack) - Number(a.stack === r.stack));
    const match = list.find((a) => !taken.has(`${a.stack}|${a.logicalId}`) && a.path.split('/').filter((seg, i) => seg !== rp[i]).length === 1);
    if (match) {
      pairs.set(`${r.stack}|${r.logicalId}`, match);
      taken.add(`${match.stack}|${match.logicalId}`);
    }
  }
  return pairs;
}

function removalFate(policy: string | undefined): string {
  if (policy === 'Retain' || policy === 'RetainExceptOnCreate') return `kept, orphaned (DeletionPolicy ${policy})`;
  if (policy === 'Snapshot') return 'deleted after a final snapshot (DeletionPolicy Snapshot): the data survives only in that snapshot';
  return 'deleted with its data';
}

function reviewStack(
  name: string, before: StackTemplate | undefined, after: StackTemplate | undefined, risks: Risk[], renames: Map<string, RenameTarget>,
): StackReview {
  const o: Resources = (before?.template.Resources ?? {}) as Resources;
  const n: Resources = (after?.template.Resources ?? {}) as Resources;
  const diff = fullDiff(before?.template ?? {}, after?.template ?? {});
  const changes = Object.entries(diff.resources.changes);
  const addedIds = changes.filter(([, c]) => c.isAddition).map(([id]) => id);
  const added: ResourceChange[] = [];
  const removed: ResourceChange[] = [];
  const modified: ResourceChange[] = [];
  const push = (kind: RiskKind, severity: Severity, id: string, type: string, message: string) =>
    risks.push({ kind, severity, stack: name, logicalId: id, resourceType: type, message });
  for (const [id, change] of changes) {
    const type = change.newResourceType ?? change.oldResourceType ?? '?';
    const impact = change.changeImpact;
    if (change.isAddition) { added.push({ logicalId: id, resourceType: type, impact }); continue; }
    if (change.isRemoval) {
      const target = renames.get(`${name}|${id}`);
      const to = target && (target.stack === name ? target.logicalId : `${target.stack}/${target.logicalId}`);
      removed.push({ logicalId: id, resourceType: type, impact, replacedBy: to });
      const fate = removalFate(o[id]?.DeletionPolicy);
      if (target) {
        const message = `replaced by ${to}: a new, empty ${type} (construct renamed ${before?.paths?.get(id)} → ${target.path}); the old one is ${fate}`;
        push(STATEFUL_TYPES.has(type) ? 'data-loss' : 'security', STATEFUL_TYPES.has(type) ? 'high' : 'info', id, type, message);
      } else if (STATEFUL_TYPES.has(type)) {
        push('data-loss', 'high', id, type, `removed: ${fate}`);
      }
      continue;
    }
    if (!change.isDifferent) continue;
    const details = leafChanges(o[id]?.Properties ?? {}, n[id]?.Properties ?? {}, '');
    for (const attr of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
      if (o[id]?.[attr] !== n[id]?.[attr]) details.push(`${attr}: ${o[id]?.[attr] ?? '(default)'} → ${n[id]?.[attr] ?? '(default)'}`);
    }
    const shown = details.length > MAX_DETAILS ? [...details.slice(0, MAX_DETAILS), `… ${details.length - MAX_DETAILS} more changed value(s)`] : details;
    modified.push({ logicalId: id, resourceType: type, impact, details: shown });
    if (!STATEFUL_TYPES.has(type)) continue;
    const risk = (message: string) => push('data-loss', 'high', id, type, message);
    if (impact === ResourceImpact.WILL_REPLACE || impact === ResourceImpact.MAY_REPLACE) {
      const replacing = (d: { changeImpact?: ResourceImpact }) =>
        d.changeImpact === ResourceImpact.WILL_REPLACE || d.changeImpact === ResourceImpact.MAY_REPLACE;
      const props = Object.entries(change.propertyUpdates).filter(([, d]) => replacing(d)).map(([p]) => p);
      risk(`${impact === ResourceImpact.WILL_REPLACE ? 'will be replaced' : 'may be replaced'} (a new resource, the old one's data is not carried over)${props.length ? ` by a change of ${props.join(', ')}` : ''}`);
    }
    const keeping = (p?: string) => ['Retain', 'Snapshot', 'RetainExceptOnCreate'].includes(p ?? '');
    for (const attr of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
      const was = o[id]?.[attr];
      const is = n[id]?.[attr];
      if (keeping(was) && (!keeping(is) || (was !== 'Snapshot' && is === 'Snapshot'))) risk(`${attr} weakens from ${was} to ${is ?? 'Delete (default)'}`);
    }
    for (const prop of ['DeletionProtection', 'DeletionProtectionEnabled']) {
      if (o[id]?.Properties?.[prop] === true && n[id]?.Properties?.[prop] !== true) risk(`${prop} turned off`);
    }
  }
  const newIds = new Set(addedIds);
  securityRisks(o, n, newIds, push);
  wafRisks(o, n, push);
  iamRisks(o, n, newIds, after?.account ?? before?.account, push);
  const status = !before ? 'added' : !after ? 'removed' : (added.length + removed.length + modified.length > 0 ? 'changed' : 'unchanged');
  return { stack: name, region: after?.region ?? before?.region, status, added, removed, modified };
}

type Push = (kind: RiskKind, severity: Severity, id: string, type: string, message: string) => void;

/** A short printable form of a template value. */
export function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Old → new of every changed leaf property; arrays of named objects (rules) are matched by Name. */
export function leafChanges(o: unknown, n: unknown, prefix: string, out: string[] = []): string[] {
  if (JSON.stringify(o) === JSON.stringify(n)) return out;
  const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
  const intrinsic = (x: Record<string, unknown>) => Object.keys(x).length === 1 && /^(Ref|Fn::)/.test(Object.keys(x)[0]);
  if (isObj(o) && isObj(n) && !intrinsic(o) && !intrinsic(n)) {
    for (const k of [...new Set([...Object.keys(o), ...Object.keys(n)])]) leafChanges(o[k], n[k], prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  if (Array.isArray(o) && Array.isArray(n)) {
    const named = (a: unknown[]) => a.every((x) => isObj(x) && typeof x.Name === 'string');
    if (named(o) && named(n)) {
      const byName = (a: unknown[]) => new Map(a.map((x) => [(x as { Name: string }).Name, x]));
      const om = byName(o);
      const nm = byName(n);
      for (const k of [...new Set([...om.keys(), ...nm.keys()])]) {
        if (!om.has(k)) out.push(`${prefix}[${k}]: added ${show(nm.get(k))}`);
        else if (!nm.has(k)) out.push(`${prefix}[${k}]: removed (was ${show(om.get(k))})`);
        else leafChanges(om.get(k), nm.get(k), `${prefix}[${k}]`, out);
      }
      return out;
    }
    if (o.length === n.length) {
      o.forEach((x, i) => leafChanges(x, n[i], `${prefix}[${i}]`, out));
      return out;
    }
  }
  out.push(`${prefix}: ${show(o)} → ${show(n)}`);
  return out;
}

/** The logical id a `Ref` / `Fn::GetAtt` points to, or the value as text. */
function refId(v: unknown): string {
  const x = v as { 'Ref'?: string; 'Fn::GetAtt'?: [string, string] } | undefined;
  if (x && typeof x === 'object') {
    if (typeof x.Ref === 'string') return x.Ref;
    if (Array.isArray(x['Fn::GetAtt'])) return x['Fn::GetAtt'][0];
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

interface SgRule { readonly owner: string; readonly group: string; readonly direction: 'ingress' | 'egress'; readonly proto: string; readonly ports: string; readonly peer: string; readonly peerKind: 'cidr' | 'group' | 'prefix-list' }

function sgRules(res: Resources): Map<string, SgRule> {
  const out = new Map<string, SgRule>();
  const add = (owner: string, group: string, direction: 'ingress' | 'egress', rule: Record<string, unknown>) => {
    const cidr = rule.CidrIp ?? rule.CidrIpv6;
    const sg = direction === 'ingress' ? rule.SourceSecurityGroupId ?? rule.SourceSecurityGroupName : rule.DestinationSecurityGroupId;
    const pl = direction === 'ingress' ? rule.SourcePrefixListId : rule.DestinationPrefixListId;
    const peerKind = cidr !== undefined ? 'cidr' : sg !== undefined ? 'group' : 'prefix-list';
    const peer = cidr !== undefined ? show(cidr) : refId(sg ?? pl);
    const proto = String(rule.IpProtocol === '-1' ? 'all' : rule.IpProtocol);
    const ports = rule.FromPort === undefined && rule.ToPort === undefined ? (proto === 'all' ? 'traffic' : 'all ports') : `${rule.FromPort}-${rule.ToPort}`;
    const r: SgRule = { owner, group, direction, proto, ports, peer, peerKind };
    out.set(`${group}|${direction}|${proto}|${ports}|${peer}`, r);
  };
  for (const [id, r] of Object.entries(res)) {
    const p = (r.Properties ?? {}) as Record<string, unknown>;
    if (r.Type === 'AWS::EC2::SecurityGroup') {
      for (const rule of (p.SecurityGroupIngress as Record<string, unknown>[] | undefined) ?? []) add(id, id, 'ingress', rule);
      for (const rule of (p.SecurityGroupEgress as Record<string, unknown>[] | undefined) ?? []) {
        if (rule.CidrIp === '255.255.255.255/32') continue; // CDK's "no egress" placeholder
        add(id, id, 'egress', rule);
      }
    } else if (r.Type === 'AWS::EC2::SecurityGroupIngress') {add(id, refId(p.GroupId ?? p.GroupName), 'ingress', p);} else if (r.Type === 'AWS::EC2::SecurityGroupEgress') {add(id, refId(p.GroupId), 'egress', p);}
  }
  return out;
}

/** Security boundaries that widen: security-group rules from any source, public load balancers and buckets, encryption off. */
function securityRisks(o: Resources, n: Resources, newIds: Set<string>, push: Push): void {
  const before = sgRules(o);
  const after = sgRules(n);
  for (const [key, r] of after) {
    if (before.has(key)) continue;
    const type = n[r.owner].Type;
    const world = r.peer === '0.0.0.0/0' || r.peer === '::/0';
    const where = `${r.proto} ${r.ports}`;
    // A rule between groups that are new in this change wires a new service: information.
    const between = r.peerKind !== 'cidr' && (newIds.has(r.group) || newIds.has(r.peer));
    if (r.direction === 'ingress') {
      if (r.peerKind === 'cidr') push('security', world ? 'high' : 'medium', r.owner, type, `ingress opened to ${r.peer} on ${where}${r.group !== r.owner ? ` (group ${r.group})` : ''}`);
      else push('security', between ? 'info' : 'medium', r.owner, type, `ingress opened from ${r.peerKind} ${r.peer} on ${where} (group ${r.group})`);
    } else {
      const fresh = newIds.has(r.group);
      push('security', fresh || between ? 'info' : world ? 'medium' : 'medium', r.owner, type, `egress opened to ${r.peerKind === 'cidr' ? r.peer : `${r.peerKind} ${r.peer}`} on ${where} (group ${r.group})`);
    }
  }
  for (const [key, r] of before) {
    if (after.has(key) || !n[r.group]) continue;
    push('security', 'info', r.owner, o[r.owner].Type, `${r.direction} ${r.direction === 'ingress' ? 'from' : 'to'} ${r.peer} on ${r.proto} ${r.ports} removed (group ${r.group})`);
  }
  for (const [id, r] of Object.entries(n)) {
    const old = o[id];
    if (r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && old && old.Properties?.Scheme === 'internal' && r.Properties?.Scheme !== 'internal') {
      push('security', 'high', id, r.Type, 'load balancer becomes internet-facing');
    }
    if (!old) continue;
    const off = (prop: string) => old.Properties?.[prop] === true && r.Properties?.[prop] !== true;
    for (const prop of ['StorageEncrypted', 'AtRestEncryptionEnabled', 'TransitEncryptionEnabled']) {
      if (off(prop)) push('security', 'high', id, r.Type, `encryption turned off (${prop})`);
    }
    if (r.Type === 'AWS::S3::Bucket' && old.Properties?.BucketEncryption && !r.Properties?.BucketEncryption) {
      push('security', 'high', id, r.Type, 'bucket encryption configuration removed');
    }
    if (r.Type === 'AWS::SQS::Queue' && (old.Properties?.KmsMasterKeyId || old.Properties?.SqsManagedSseEnabled) && !(r.Properties?.KmsMasterKeyId || r.Properties?.SqsManagedSseEnabled)) {
      push('security', 'high', id, r.Type, 'queue encryption turned off');
    }
    if (r.Type === 'AWS::CloudFront::Distribution' && (old.Properties?.DistributionConfig as any)?.WebACLId && !(r.Properties?.DistributionConfig as any)?.WebACLId) {
      push('security', 'high', id, r.Type, 'web ACL detached from the distribution');
    }
  }
  for (const [id, r] of Object.entries(o)) {
    if (!n[id] && (r.Type === 'AWS::WAFv2::WebACL' || r.Type === 'AWS::WAFv2::WebACLAssociation')) push('security', 'high', id, r.Type, `${r.Type === 'AWS::WAFv2::WebACL' ? 'web ACL' : 'web ACL association'} removed`);
  }
}

/** WAF web ACL changes: rules removed, managed rule groups off, actions relaxed, rate limits raised. */
function wafRisks(o: Resources, n: Resources, push: Push): void {
  for (const [id, r] of Object.entries(n)) {
    const old = o[id];
    if (r.Type !== 'AWS::WAFv2::WebACL' || !old) continue;
    const type = r.Type;
    const rules = (res: TemplateResource) => new Map(((res.Properties?.Rules as any[]) ?? []).map((x) => [String(x.Name), x]));
    const was = rules(old);
    const is = rules(r);
    const action = (x: any) => Object.keys(x?.Action ?? x?.OverrideAction ?? {})[0] ?? '?';
    const da = (res: TemplateResource) => Object.keys((res.Properties?.DefaultAction as object) ?? {})[0];
    if (da(old) === 'Block' && da(r) !== 'Block') push('security', 'high', id, type, `default action ${da(old)} → ${da(r)}`);
    for (const [name, rule] of was) {
      const managed = rule.Statement?.ManagedRuleGroupStatement;
      const label = managed ? `managed rule group ${managed.VendorName}/${managed.Name} (rule ${name})` : `rule ${name}`;
      const now = is.get(name);
      if (!now) { push('security', 'high', id, type, `${label} removed`); continue; }
      const a = action(rule);
      const b = action(now);
      const blocking = (x: string) => x === 'Block' || x === 'None' || x === 'Challenge' || x === 'Captcha';
      if (blocking(a) && !blocking(b)) push('security', 'high', id, type, `${label} off: action ${a} → ${b}`);
      const rate = (x: any) => x.Statement?.RateBasedStatement?.Limit;
      if (rate(rule) !== undefined && rate(now) !== undefined && rate(rule) !== rate(now)) {
        push('security', Number(rate(now)) > Number(rate(rule)) ? 'high' : 'info', id, type, `${label} rate limit ${rate(rule)} → ${rate(now)}`);
      }
      const excluded = (x: any) => {
        const g = x.Statement?.ManagedRuleGroupStatement;
        return JSON.stringify(g?.ExcludedRules ?? g?.RuleActionOverrides ?? []);
      };
      if (managed && excluded(rule) !== excluded(now)) push('security', 'medium', id, type, `${label} exclusions / overrides ${excluded(rule)} → ${excluded(now)}`);
    }
    for (const [name, rule] of is) if (!was.has(name)) push('security', 'info', id, type, `rule ${name} added (action ${action(rule)})`);
  }
}

interface Statement {
  Effect?: string; Action?: unknown; NotAction?: unknown; Resource?: unknown; NotResource?: unknown; Principal?: unknown; Condition?: unknown;
}

/** The policy documents of a resource: identity policies (with the roles they attach to), trust and resource policies. */
interface PolicyDoc { doc: string; statements: Statement[]; roles: string[]; resourcePolicy: boolean; trust: boolean }

function documents(id: string, r: TemplateResource): PolicyDoc[] {
  const p = (r.Properties ?? {}) as Record<string, any>;
  const st = (d: any): Statement[] => { const s = d?.Statement; return Array.isArray(s) ? s : s ? [s] : []; };
  switch (r.Type) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
      return [{ doc: id, statements: st(p.PolicyDocument), roles: ((p.Roles as unknown[]) ?? []).map(refId), resourcePolicy: false, trust: false }];
    case 'AWS::IAM::Role':
      return [
        { doc: `${id} trust`, statements: st(p.AssumeRolePolicyDocument), roles: [id], resourcePolicy: false, trust: true },
        ...((p.Policies as any[]) ?? []).map((x) => ({ doc: `${id} ${x.PolicyName}`, statements: st(x.PolicyDocument), roles: [id], resourcePolicy: false, trust: false })),
      ];
    case 'AWS::S3::BucketPolicy':
    case 'AWS::SQS::QueuePolicy':
    case 'AWS::SNS::TopicPolicy':
      return [{ doc: id, statements: st(p.PolicyDocument), roles: [], resourcePolicy: true, trust: false }];
    case 'AWS::KMS::Key':
      return [{ doc: id, statements: st(p.KeyPolicy), roles: [], resourcePolicy: true, trust: false }];
    case 'AWS::SecretsManager::ResourcePolicy':
      return [{ doc: id, statements: st(p.ResourcePolicy), roles: [], resourcePolicy: true, trust: false }];
    case 'AWS::Lambda::Permission':
      return [{ doc: id, statements: [{ Effect: 'Allow', Action: p.Action, Principal: p.Principal === '*' ? '*' : { Service: p.Principal }, Condition: p.SourceArn ?? p.SourceAccount }], roles: [], resourcePolicy: true, trust: false }];
    default:
      return [];
  }
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function principals(s: Statement): string[] {
  if (s.Principal === undefined) return [];
  if (s.Principal === '*') return ['*'];
  const out: string[] = [];
  for (const [k, v] of Object.entries(s.Principal as Record<string, unknown>)) for (const x of list(v)) out.push(`${k}:${show(x)}`);
  return out;
}

/** What an Allow statement widens, in words; empty when it widens nothing a reviewer must judge. */
function widening(s: Statement, account: string | undefined, trust: boolean, existingOwner: boolean): { severity: Severity; reasons: string[] } {
  const reasons: string[] = [];
  let severity: Severity = 'info';
  const raise = (to: Severity, reason: string) => { reasons.push(reason); if (to === 'high' || severity === 'info') severity = to; };
  const actions = list(s.Action).map(String);
  if (actions.includes('*') || s.NotAction !== undefined) raise('high', s.NotAction !== undefined ? 'NotAction (everything else)' : "action '*'");
  if (actions.some((a) => /^iam:(PassRole|\*)$/i.test(a))) raise('high', 'iam:PassRole');
  for (const p of principals(s)) {
    if ((p === '*' || p === 'AWS:*') && !s.Condition) raise('high', "public principal '*' without a condition");
    const acct = /(?:arn:[^:]+:iam::|^AWS:)(\d{12})/.exec(p)?.[1];
    if (acct && acct !== account) raise('high', `cross-account principal ${acct}${account ? '' : ' (the stack\'s account is not known)'}`);
    else if (trust && existingOwner) raise('medium', `new principal ${p} may assume the role`);
  }
  if (existingOwner && !trust) {
    // Every action of a service (`s3:*`); a grant's `s3:GetObject*` widens nothing a reviewer must judge.
    const wild = actions.filter((a) => /^[A-Za-z0-9-]+:\*$/.test(a));
    if (wild.length) raise('medium', `every action of ${wild.join(', ')}`);
    if (list(s.Resource).includes('*') || s.NotResource !== undefined) raise('medium', "resource '*'");
  }
  return { severity, reasons };
}

/** IAM judged by what it widens; statements of new roles (a new service, a rename) and Deny statements are information. */
function iamRisks(o: Resources, n: Resources, newIds: Set<string>, account: string | undefined, push: Push): void {
  const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object'
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v);
  const norm = (s: Statement) => JSON.stringify(sorted(s));
  const oldStatements = new Map<string, Set<string>>();
  for (const [id, r] of Object.entries(o)) for (const d of documents(id, r)) oldStatements.set(d.doc, new Set(d.statements.map(norm)));
  for (const [id, r] of Object.entries(n)) {
    for (const d of documents(id, r)) {
      const known = oldStatements.get(d.doc) ?? new Set<string>();
      // Wildcards on a resource policy name the resource itself (a key policy's `*`): only public and cross-account principals widen it.
      const existingOwner = !d.resourcePolicy && (d.roles.length ? d.roles.some((role) => !newIds.has(role)) : !newIds.has(id));
      for (const s of d.statements) {
        if (known.has(norm(s))) continue;
        const what = `${list(s.Action ?? s.NotAction).map(String).join(', ')} on ${list(s.Resource ?? s.NotResource).map(show).join(', ') || '(this resource)'}`
          + `${principals(s).length ? ` for ${principals(s).join(', ')}` : ''}`;
        if (s.Effect === 'Deny') { push('security', 'info', id, r.Type, `Deny statement added: ${what}`); continue; }
        const w = widening(s, account, d.trust, existingOwner);
        const owner = d.roles.length ? ` (role ${d.roles.join(', ')}${existingOwner ? '' : ', new'})` : '';
        push('security', w.severity, id, r.Type, `${d.trust ? 'trust' : 'permission'} added: ${what}${owner}${w.reasons.length ? ` — widens: ${w.reasons.join('; ')}` : ''}`);
      }
    }
    if (r.Type === 'AWS::IAM::Role') {
      const before = new Set(list(o[id]?.Properties?.ManagedPolicyArns).map(show));
      for (const arn of list(r.Properties?.ManagedPolicyArns).map(show)) {
        if (before.has(arn)) continue;
        const admin = /AdministratorAccess|PowerUserAccess|IAMFullAccess/.test(arn);
        push('security', admin ? 'high' : newIds.has(id) ? 'info' : 'medium', id, r.Type, `managed policy attached: ${arn}`);
      }
    }
  }
}

/** A Mermaid flowchart of the head's real wiring: load balancers → services → the stores they reach (security-group rules, references); changed nodes marked. */
export function mermaid(head: AssemblySide, reviews: StackReview[] = []): string {
  const lines = ['flowchart LR'];
  let n = 0;
  let anyChanged = false;
  for (const stack of [...head.stacks.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const res = (stack.template.Resources ?? {}) as Resources;
    const entries = Object.entries(res);
    const of = (type: string) => entries.filter(([, r]) => r.Type === type).map(([id]) => id);
    const sr = reviews.find((r) => r.stack === stack.name);
    const changedIds = new Map<string, string>([...(sr?.added ?? []).map((c) => [c.logicalId, 'new'] as [string, string]), ...(sr?.modified ?? []).map((c) => [c.logicalId, 'changed'] as [string, string])]);
    const cdn = of('AWS::CloudFront::Distribution');
    const lbs = of('AWS::ElasticLoadBalancingV2::LoadBalancer');
    const services = of('AWS::ECS::Service');
    if (cdn.length + lbs.length + services.length === 0) continue;
    lines.push(`  subgraph ${stack.name.replace(/[^A-Za-z0-9_-]/g, '_')}["${stack.name}${stack.region ? ` (${stack.region})` : ''}"]`);
    const ids = new Map<string, string>();
    const node = (logicalId: string, label: string, shape: 'box' | 'db' | 'queue' = 'box', extra: string[] = []) => {
      const id = `n${n++}`;
      const mark = [logicalId, ...extra].map((x) => changedIds.get(x)).find(Boolean);
      const safe = `${label}${mark ? ` (${mark})` : ''}`.replace(/["[\]()]/g, (c) => (c === '(' || c === ')' ? ' ' : '')).replace(/\s+/g, ' ').trim();
      lines.push(shape === 'db' ? `    ${id}[("${safe}")]` : shape === 'queue' ? `    ${id}>"${safe}"]` : `    ${id}["${safe}"]`);
      if (mark) { lines.push(`    class ${id} changed`); anyChanged = true; }
      ids.set(logicalId, id);
      return id;
    };
    const waf = of('AWS::WAFv2::WebACL').map((id) => node(id, `WAF ${id}`));
    const cdnNodes = cdn.map((id) => node(id, `CloudFront ${id}`));
    waf.forEach((w) => cdnNodes.forEach((c) => lines.push(`    ${w} --> ${c}`)));
    const health = of('AWS::Route53::HealthCheck');
    if (health.length) {
      const dns = node('dns', `Route 53: ${health.length} health-checked region s`, 'box', health);
      cdnNodes.forEach((c) => lines.push(`    ${c} --> ${dns}`));
    }
    lbs.forEach((id) => node(id, `Load balancer ${id}`));
    // Target group → load balancer, through listeners and listener rules.
    const listenerLb = new Map<string, string>();
    for (const id of of('AWS::ElasticLoadBalancingV2::Listener')) listenerLb.set(id, refId(res[id].Properties?.LoadBalancerArn));
    const tgLb = new Map<string, string>();
    for (const [id, r] of entries) {
      const p = r.Properties ?? {};
      const lb = r.Type === 'AWS::ElasticLoadBalancingV2::Listener' ? listenerLb.get(id)
        : r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule' ? listenerLb.get(refId(p.ListenerArn)) : undefined;
      if (!lb) continue;
      for (const a of ((p.DefaultActions ?? p.Actions) as any[]) ?? []) {
        if (a.TargetGroupArn) tgLb.set(refId(a.TargetGroupArn), lb);
        for (const t of a.ForwardConfig?.TargetGroups ?? []) tgLb.set(refId(t.TargetGroupArn), lb);
      }
    }
    const stores: Array<[string, string, 'db' | 'queue']> = [
      ...of('AWS::RDS::DBCluster').map((id) => [id, `Aurora ${id}`, 'db'] as [string, string, 'db']),
      ...of('AWS::ElastiCache::ReplicationGroup').map((id) => [id, `Cache ${id}`, 'db'] as [string, string, 'db']),
      ...of('AWS::DynamoDB::Table').map((id) => [id, `DynamoDB ${id}`, 'db'] as [string, string, 'db']),
      ...of('AWS::SQS::Queue').filter((id) => !/DeadLetter|Dlq/i.test(id)).map((id) => [id, `SQS ${id}`, 'queue'] as [string, string, 'queue']),
      ...of('AWS::SNS::Topic').map((id) => [id, `SNS ${id}`, 'queue'] as [string, string, 'queue']),
    ];
    for (const s of services) node(s, `ECS ${s}`, 'box', [refId(res[s].Properties?.TaskDefinition)]);
    for (const [id, label, shape] of stores) node(id, label, shape);
    const edges = new Set<string>();
    const edge = (from: string, to: string, dotted: boolean) => {
      const a = ids.get(from);
      const b = ids.get(to);
      if (a && b && a !== b) edges.add(`    ${a} ${dotted ? '-.->' : '-->'} ${b}`);
    };
    // Security groups of each store and service.
    const storeGroups = new Map<string, string[]>();
    for (const [id] of stores) {
      const p = res[id].Properties ?? {};
      storeGroups.set(id, list(p.VpcSecurityGroupIds ?? p.SecurityGroupIds).map(refId));
    }
    const rules = [...sgRules(res).values()].filter((r) => r.direction === 'ingress' && r.peerKind === 'group');
    for (const s of services) {
      const p = res[s].Properties ?? {};
      for (const lbRef of (p.LoadBalancers as any[]) ?? []) {
        const lb = tgLb.get(refId(lbRef.TargetGroupArn));
        if (lb) edge(lb, s, false);
      }
      const groups = list((p.NetworkConfiguration as any)?.AwsvpcConfiguration?.SecurityGroups).map(refId);
      for (const [store, sgs] of storeGroups) {
        if (rules.some((r) => sgs.includes(r.group) && groups.includes(r.peer))) edge(s, store, true);
      }
      // References from the task definition (environment, secrets) and the task role's policies.
      const td = refId(p.TaskDefinition);
      const refs = new Set<string>();
      collectRefs(res[td]?.Properties?.ContainerDefinitions, refs);
      const taskRole = refId(res[td]?.Properties?.TaskRoleArn);
      for (const [, r] of entries) {
        if (r.Type === 'AWS::IAM::Policy' && list(r.Properties?.Roles).map(refId).includes(taskRole)) collectRefs(r.Properties?.PolicyDocument, refs);
      }
      for (const [store] of stores) if (refs.has(store)) edge(s, store, true);
    }
    // Topic → subscribed queues.
    for (const [, r] of entries) {
      if (r.Type === 'AWS::SNS::Subscription') edge(refId(r.Properties?.TopicArn), refId(r.Properties?.Endpoint), false);
    }
    lines.push(...[...edges].sort());
    lines.push('  end');
  }
  if (anyChanged) lines.push('  classDef changed stroke:#d33,stroke-width:3px');
  return lines.join('\n');
}

function collectRefs(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) { v.forEach((x) => collectRefs(x, out)); return; }
  if (!v || typeof v !== 'object') return;
  const x = v as Record<string, unknown>;
  if (typeof x.Ref === 'string') out.add(x.Ref);
  if (Array.isArray(x['Fn::GetAtt'])) out.add(String(x['Fn::GetAtt'][0]));
  Object.values(x).forEach((y) => collectRefs(y, out));
}

/** A table cell: newlines and `|` escaped, so a GFM table keeps its shape. */
export function cell(s: unknown): string {
  return String(s ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** The largest report a PR comment gets (GitHub's limit is 65,536 characters). */
export const MAX_REPORT_CHARS = 60_000;

/** Renders the review as Markdown for a PR comment. */
export function renderMarkdown(outcome: ReviewOutcome): string {
  if (outcome.noChanges && outcome.deployFindings.length === 0) return `## cdk-scaleout review\n\nNo changes. ${outcome.summary.replace(/^No changes: /, '')}\n`;
  const out: string[] = ['## cdk-scaleout review', '', outcome.summary, ''];
  const open = outcome.risks.filter((r) => !r.acknowledged);
  const acked = outcome.risks.filter((r) => r.acknowledged);
  const table = (rows: Risk[], first: (r: Risk) => string) => {
    out.push('| | kind | stack | resource | type | risk |', '|---|---|---|---|---|---|');
    for (const r of rows) out.push(`| ${cell(first(r))} | ${r.kind} | ${cell(r.stack)} | ${cell(r.logicalId)} | ${cell(r.resourceType)} | ${cell(r.message)} |`);
    out.push('');
  };
  for (const severity of ['high', 'medium'] as const) {
    const rows = open.filter((r) => r.severity === severity);
    if (!rows.length) continue;
    out.push(`### ⚠️ Risks: ${severity} (${rows.length})`, '');
    table(rows, () => '⚠️');
  }
  if (acked.length) {
    out.push(`### ✅ Acknowledged risks (${acked.length})`, '');
    table(acked, (r) => `✅ acknowledged: ${r.acknowledged}`);
  }
  if (!outcome.risks.length) out.push('### ✅ Risks', '', '- none', '');
  out.push('### Stacks', '', '| stack | region | status | added | modified | removed |', '|---|---|---|---|---|---|');
  for (const s of outcome.stacks) out.push(`| ${cell(s.stack)} | ${cell(s.region ?? '')} | ${s.status} | ${s.added.length} | ${s.modified.length} | ${s.removed.length} |`);
  out.push('');
  out.push('### Changed values', '');
  const valueRows = outcome.stacks.flatMap((s) => s.modified.flatMap((c) => (c.details ?? []).map((d) => [s.stack, c.logicalId, c.resourceType, d])));
  if (valueRows.length) {
    out.push('| stack | resource | type | old → new |', '|---|---|---|---|');
    for (const [stack, id, type, d] of valueRows) out.push(`| ${cell(stack)} | ${cell(id)} | ${cell(type)} | ${cell(d)} |`);
  } else {out.push('- none');}
  out.push('');
  if (outcome.information.length) {
    out.push(`<details><summary>Information (${outcome.information.length}): changes that widen nothing</summary>`, '');
    table(outcome.information, () => 'ℹ️');
    out.push('</details>', '');
  }
  for (const s of outcome.stacks.filter((x) => x.status !== 'unchanged')) {
    out.push(`<details><summary>${s.stack}: +${s.added.length} ~${s.modified.length} -${s.removed.length}</summary>`, '');
    for (const [sign, items] of [['+', s.added], ['~', s.modified], ['-', s.removed]] as const) {
      for (const c of items) {
        const follows = sign === '~' && !c.details?.length ? ' (no value of its own changes: it references a resource that does)' : '';
        const extra = sign === '~' ? ` — ${c.impact}${follows}` : sign === '-' && c.replacedBy ? ` — replaced by ${c.replacedBy}` : '';
        out.push(`- \`${sign}\` ${c.logicalId} (${c.resourceType})${extra}`);
      }
    }
    out.push('', '</details>', '');
  }
  out.push('### Compliance', '', outcome.packsRun ? '_The packs ran on both sides\' templates, acknowledgements applied from the assemblies._' : '_From the assemblies\' validation reports (run with `--packs` to re-check both sides)._', '');
  for (const e of outcome.packErrors) out.push(`- could not re-check ${e}`);
  out.push(outcome.newFindings.length ? outcome.newFindings.map((f) => `- new: ${f.rule} at ${f.constructPath} (${f.plugin})`).join('\n') : '- no new finding');
  if (outcome.resolvedFindings.length) out.push(outcome.resolvedFindings.map((f) => `- resolved: ${f.rule} at ${f.constructPath} (${f.plugin})`).join('\n'));
  if (outcome.newComplianceAcknowledgements.length) {
    out.push('', 'New acknowledgements:', '', '| rule | construct | reason |', '|---|---|---|');
    for (const a of outcome.newComplianceAcknowledgements) out.push(`| ${cell(a.rule)} | ${cell(a.constructPath)} | ${cell(a.reason)} |`);
  }
  if (outcome.cost) out.push('', ...renderCost(outcome.cost));
  out.push('', '### Deploy rehearsal (head)', '');
  if (outcome.deployFindings.length === 0) {
    out.push('- no finding: nothing CloudFormation or the services would reject was found offline');
  } else {
    out.push('| rule | stack | resource | property | value | finding | source |', '|---|---|---|---|---|---|---|');
    for (const f of outcome.deployFindings) {
      out.push(`| ${cell(f.ruleId)} | ${cell(f.stack)} | ${cell(f.logicalId)} | ${cell(f.property)} | ${cell(f.value)} | ${cell(f.message)} | ${cell(f.source)} |`);
    }
  }
  out.push('', '### Architecture (head)', '', '```mermaid', outcome.mermaid, '```', '');
  return out.join('\n');
}

const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${usd(Math.abs(n))}`;

/** The cost section: both sides' monthly range, the delta, and the stacks that change most. */
export function renderCost(c: CostDelta): string[] {
  const out = ['### Monthly cost (estimate)', ''];
  out.push(`Base ${usd(c.baseLow)}–${usd(c.baseHigh)} → head ${usd(c.headLow)}–${usd(c.headHigh)} a month `
    + `(${signed(c.headLow - c.baseLow)} at minimum capacity, ${signed(c.headHigh - c.baseHigh)} at maximum).`);
  if (c.stacks.length) {
    out.push('', '| stack | base (min–max) | head (min–max) | change at min | change at max |', '|---|---|---|---|---|');
    for (const s of c.stacks.slice(0, 10)) {
      out.push(`| ${cell(s.stack)} | ${usd(s.baseLow)}–${usd(s.baseHigh)} | ${usd(s.headLow)}–${usd(s.headHigh)} | ${signed(s.headLow - s.baseLow)} | ${signed(s.headHigh - s.baseHigh)} |`);
    }
  }
  out.push('', `_${c.assumptions.map((a) => a.replace(/\n/g, ' ')).join('; ')}. On-demand list prices of the dated table in src/capacity/price-table.ts._`);
  return out;
}

/**
 * Cuts a report to `max` characters at a line boundary, closing an open code fence or
 * `<details>`, and points to the full report.
 */
export function truncateReport(text: string, pointer: string, max: number = MAX_REPORT_CHARS): string {
  if (text.length <= max) return text;
  const footer = (shown: number) => `\n\n> ✂️ Report truncated: ${shown.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters shown. ${pointer}\n`;
  const budget = max - footer(text.length).length - 64;
  const lines = text.split('\n');
  const kept: string[] = [];
  let size = 0;
  let fence = false;
  let details = 0;
  for (const line of lines) {
    if (size + line.length + 1 > budget) break;
    kept.push(line);
    size += line.length + 1;
    if (line.startsWith('```')) fence = !fence;
    if (line.startsWith('<details>')) details++;
    if (line.startsWith('</details>')) details--;
  }
  if (fence) kept.push('```');
  for (; details > 0; details--) kept.push('', '</details>');
  const body = kept.join('\n');
  return body + footer(body.length);
}

/** Reads acknowledgements from an allowlist file's JSON and from `review-ack:` lines of a PR body. */
export function parseAcknowledgements(allowlistJson?: string, prBody?: string): Acknowledgement[] {
  const acks: Acknowledgement[] = [];
  if (allowlistJson !== undefined) {
    const parsed = JSON.parse(allowlistJson) as { acknowledgements?: Acknowledgement[] };
    for (const a of parsed.acknowledgements ?? []) {
      if (!a.stack || !a.logicalId || !a.reason) throw new Error(`acknowledgement ${JSON.stringify(a)} needs stack, logicalId and reason`);
      acks.push(a);
    }
  }
  for (const line of (prBody ?? '').split('\n')) {
    const m = /^\s*review-ack:\s*([^/\s]+)\/(\S+)\s+(.+)$/.exec(line);
    if (m) acks.push({ stack: m[1], logicalId: m[2], reason: m[3].trim() });
  }
  return acks;
}
