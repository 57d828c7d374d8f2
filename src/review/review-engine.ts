/**
 * The PR review of a change to synthesized CloudFormation: per stack, what is added, removed
 * and modified (with @aws-cdk/cloudformation-diff's replacement impact), and first the risks —
 * data loss, widened security boundaries, new compliance findings — then a Mermaid diagram of
 * the head architecture. CDK-free: it reads templates only.
 */
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { AssemblySide, ComplianceFinding, StackTemplate, TemplateResource } from './assembly-reader';
import { STATEFUL_TYPES } from './stateful-types';
import type { EngineFinding } from '../rehearsal/engine';

const KEEPING_POLICIES = new Set(['Retain', 'Snapshot', 'RetainExceptOnCreate']);

/** The kind of a risk. */
export type RiskKind = 'data-loss' | 'security' | 'compliance' | 'deploy';

/** A risk a reviewer must see. */
export interface Risk {
  readonly kind: RiskKind;
  readonly stack: string;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly message: string;
  /** The reason, when an acknowledgement covers it. */
  acknowledged?: string;
}

/** One modified resource. */
export interface ResourceChange {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly impact: string;
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

/** The whole review. */
export interface ReviewOutcome {
  readonly stacks: StackReview[];
  readonly risks: Risk[];
  readonly newFindings: ComplianceFinding[];
  readonly resolvedFindings: ComplianceFinding[];
  /** The deploy rehearsal's findings on the head (each is also a risk of kind 'deploy'). */
  readonly deployFindings: EngineFinding[];
  readonly mermaid: string;
  readonly summary: string;
}

type Resources = Record<string, TemplateResource>;

/** Compares two sides and collects changes and risks. */
export function review(
  base: AssemblySide,
  head: AssemblySide,
  acknowledgements: Acknowledgement[] = [],
  deployFindings: EngineFinding[] = [],
): ReviewOutcome {
  const names = [...new Set([...base.stacks.keys(), ...head.stacks.keys()])].sort();
  const stacks: StackReview[] = [];
  const risks: Risk[] = [];
  for (const name of names) {
    const before = base.stacks.get(name);
    const after = head.stacks.get(name);
    stacks.push(reviewStack(name, before, after, risks));
  }
  const key = (f: ComplianceFinding) => `${f.plugin}|${f.rule}|${f.constructPath}`;
  const baseKeys = new Set(base.findings.map(key));
  const headKeys = new Set(head.findings.map(key));
  const newFindings = head.findings.filter((f) => !baseKeys.has(key(f)));
  const resolvedFindings = base.findings.filter((f) => !headKeys.has(key(f)));
  for (const f of newFindings) {
    risks.push({ kind: 'compliance', stack: f.constructPath.split('/')[0], logicalId: f.constructPath, resourceType: f.plugin, message: `new finding ${f.rule}` });
  }
  for (const f of deployFindings) {
    risks.push({ kind: 'deploy', stack: f.stack, logicalId: f.logicalId, resourceType: f.resourceType, message: `${f.ruleId}: ${f.message} (${f.property})` });
  }
  for (const r of risks) {
    const ack = acknowledgements.find((a) => (a.stack === r.stack || a.stack === '*') && (a.logicalId === r.logicalId || a.logicalId === '*'));
    if (ack) r.acknowledged = ack.reason;
  }
  const open = risks.filter((r) => !r.acknowledged);
  const changed = stacks.filter((s) => s.status !== 'unchanged');
  const highest = open.find((r) => r.kind === 'data-loss') ?? open.find((r) => r.kind === 'deploy') ?? open.find((r) => r.kind === 'security') ?? open[0];
  const summary = `${changed.length} of ${stacks.length} stack(s) change: `
    + `${sum(stacks, 'added')} resource(s) added, ${sum(stacks, 'modified')} modified, ${sum(stacks, 'removed')} removed. `
    + `${open.length} unacknowledged risk(s) (${count(open, 'data-loss')} data loss, ${count(open, 'security')} security, ${count(open, 'compliance')} compliance, ${count(open, 'deploy')} deploy)`
    + `${risks.length > open.length ? `, ${risks.length - open.length} acknowledged` : ''}. `
    + (highest ? `Highest risk: ${highest.kind} — ${highest.stack}/${highest.logicalId}: ${highest.message}.` : 'No risk found.');
  return { stacks, risks, newFindings, resolvedFindings, deployFindings, mermaid: mermaid(head), summary };
}

function sum(stacks: StackReview[], field: 'added' | 'removed' | 'modified'): number {
  return stacks.reduce((n, s) => n + s[field].length, 0);
}

function count(risks: Risk[], kind: RiskKind): number {
  return risks.filter((r) => r.kind === kind).length;
}

function reviewStack(name: string, before: StackTemplate | undefined, after: StackTemplate | undefined, risks: Risk[]): StackReview {
  const oldResources: Resources = (before?.template.Resources ?? {}) as Resources;
  const newResources: Resources = (after?.template.Resources ?? {}) as Resources;
  const diff = fullDiff(before?.template ?? {}, after?.template ?? {});
  const added: ResourceChange[] = [];
  const removed: ResourceChange[] = [];
  const modified: ResourceChange[] = [];
  for (const [id, change] of Object.entries(diff.resources.changes)) {
    const type = change.newResourceType ?? change.oldResourceType ?? '?';
    const impact = change.changeImpact;
    if (change.isAddition) added.push({ logicalId: id, resourceType: type, impact });
    else if (change.isRemoval) removed.push({ logicalId: id, resourceType: type, impact });
    else if (change.isDifferent) modified.push({ logicalId: id, resourceType: type, impact });
    if (!STATEFUL_TYPES.has(type)) continue;
    const risk = (message: string) => risks.push({ kind: 'data-loss', stack: name, logicalId: id, resourceType: type, message });
    if (change.isRemoval) {
      const policy = oldResources[id]?.DeletionPolicy;
      risk(KEEPING_POLICIES.has(policy ?? '') ? `removed from the stack (DeletionPolicy ${policy}: kept, orphaned)` : 'removed: its data is deleted');
    } else if (impact === ResourceImpact.WILL_REPLACE || impact === ResourceImpact.MAY_REPLACE) {
      const replacing = (d: { changeImpact?: ResourceImpact }) =>
        d.changeImpact === ResourceImpact.WILL_REPLACE || d.changeImpact === ResourceImpact.MAY_REPLACE;
      const props = Object.entries(change.propertyUpdates).filter(([, d]) => replacing(d)).map(([p]) => p);
      risk(`${impact === ResourceImpact.WILL_REPLACE ? 'will be replaced' : 'may be replaced'} (a new resource, the old one's data is not carried over)${props.length ? ` by a change of ${props.join(', ')}` : ''}`);
    }
    if (!change.isAddition && !change.isRemoval) {
      const o = oldResources[id] ?? ({} as TemplateResource);
      const n = newResources[id] ?? ({} as TemplateResource);
      for (const attr of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
        if (KEEPING_POLICIES.has(o[attr] ?? '') && !KEEPING_POLICIES.has(n[attr] ?? '')) risk(`${attr} weakens from ${o[attr]} to ${n[attr] ?? 'Delete (default)'}`);
      }
      for (const prop of ['DeletionProtection', 'DeletionProtectionEnabled']) {
        if (o.Properties?.[prop] === true && n.Properties?.[prop] !== true) risk(`${prop} turned off`);
      }
    }
  }
  securityRisks(name, oldResources, newResources, risks);
  if (diff.iamChanges.permissionsBroadened) {
    const rows = diff.iamChanges.summarizeStatements().slice(1).filter((r) => r[0].includes('+'));
    for (const row of rows) {
      risks.push({ kind: 'security', stack: name, logicalId: stripAnsi(row[1]), resourceType: 'IAM', message: `permission added: ${stripAnsi(row[2])} ${stripAnsi(row[3])} for ${stripAnsi(row[4])}` });
    }
    for (const p of diff.iamChanges.managedPolicies.additions) {
      risks.push({ kind: 'security', stack: name, logicalId: String((p as unknown as { identityArn: string }).identityArn), resourceType: 'IAM', message: `managed policy attached: ${(p as unknown as { managedPolicyArn: string }).managedPolicyArn}` });
    }
  }
  const status = !before ? 'added' : !after ? 'removed' : (added.length + removed.length + modified.length > 0 ? 'changed' : 'unchanged');
  return { stack: name, region: after?.region ?? before?.region, status, added, removed, modified };
}

function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return String(s ?? '').replace(/\u001b\[[0-9;]*m/g, '');
}

/** Security boundaries that widen: world-open ingress, public load balancers and buckets, encryption off. */
function securityRisks(stack: string, o: Resources, n: Resources, risks: Risk[]): void {
  const open = (res: Resources) => {
    const out = new Set<string>();
    for (const [id, r] of Object.entries(res)) {
      const rules: any[] = r.Type === 'AWS::EC2::SecurityGroup' ? ((r.Properties?.SecurityGroupIngress as any[]) ?? [])
        : r.Type === 'AWS::EC2::SecurityGroupIngress' ? [r.Properties ?? {}] : [];
      for (const rule of rules) {
        if (rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0') out.add(`${id}|${rule.IpProtocol}|${rule.FromPort}-${rule.ToPort}|${rule.CidrIp ?? rule.CidrIpv6}`);
      }
    }
    return out;
  };
  const before = open(o);
  for (const entry of open(n)) {
    if (before.has(entry)) continue;
    const [id, proto, ports, cidr] = entry.split('|');
    const type = n[id].Type;
    risks.push({ kind: 'security', stack, logicalId: id, resourceType: type, message: `ingress opened to ${cidr} on ${proto} ${ports}` });
  }
  for (const [id, r] of Object.entries(n)) {
    const old = o[id];
    if (r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && old && old.Properties?.Scheme === 'internal' && r.Properties?.Scheme !== 'internal') {
      risks.push({ kind: 'security', stack, logicalId: id, resourceType: r.Type, message: 'load balancer becomes internet-facing' });
    }
    if (r.Type === 'AWS::S3::BucketPolicy' && publicAllow(r) && !(old && publicAllow(old))) {
      risks.push({ kind: 'security', stack, logicalId: id, resourceType: r.Type, message: "bucket policy allows Principal '*' without a condition" });
    }
    if (!old) continue;
    const off = (prop: string) => old.Properties?.[prop] === true && r.Properties?.[prop] !== true;
    for (const prop of ['StorageEncrypted', 'AtRestEncryptionEnabled', 'TransitEncryptionEnabled']) {
      if (off(prop)) risks.push({ kind: 'security', stack, logicalId: id, resourceType: r.Type, message: `encryption turned off (${prop})` });
    }
    if (r.Type === 'AWS::S3::Bucket' && old.Properties?.BucketEncryption && !r.Properties?.BucketEncryption) {
      risks.push({ kind: 'security', stack, logicalId: id, resourceType: r.Type, message: 'bucket encryption configuration removed' });
    }
    if (r.Type === 'AWS::SQS::Queue' && (old.Properties?.KmsMasterKeyId || old.Properties?.SqsManagedSseEnabled) && !(r.Properties?.KmsMasterKeyId || r.Properties?.SqsManagedSseEnabled)) {
      risks.push({ kind: 'security', stack, logicalId: id, resourceType: r.Type, message: 'queue encryption turned off' });
    }
  }
}

function publicAllow(r: TemplateResource): boolean {
  const statements = ((r.Properties?.PolicyDocument as any)?.Statement ?? []) as any[];
  return statements.some((s) => s.Effect === 'Allow' && !s.Condition && (s.Principal === '*' || s.Principal?.AWS === '*'));
}

/** A Mermaid flowchart of the head: edge → DNS → load balancer → services → cache / database / queues, per stack. */
export function mermaid(head: AssemblySide): string {
  const lines = ['flowchart LR'];
  let n = 0;
  const node = (label: string, shape: 'box' | 'db' | 'queue' = 'box') => {
    const id = `n${n++}`;
    const safe = label.replace(/["[\]()]/g, '');
    lines.push(shape === 'db' ? `    ${id}[("${safe}")]` : shape === 'queue' ? `    ${id}>"${safe}"]` : `    ${id}["${safe}"]`);
    return id;
  };
  for (const stack of [...head.stacks.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const res = Object.entries((stack.template.Resources ?? {}) as Resources);
    const of = (type: string) => res.filter(([, r]) => r.Type === type).map(([id]) => id);
    const cdn = of('AWS::CloudFront::Distribution');
    const lbs = of('AWS::ElasticLoadBalancingV2::LoadBalancer');
    const services = of('AWS::ECS::Service');
    if (cdn.length + lbs.length + services.length === 0) continue;
    lines.push(`  subgraph ${stack.name.replace(/[^A-Za-z0-9_-]/g, '_')}["${stack.name}${stack.region ? ` (${stack.region})` : ''}"]`);
    const waf = of('AWS::WAFv2::WebACL').map((id) => node(`WAF ${id}`));
    const cdnNodes = cdn.map((id) => node(`CloudFront ${id}`));
    waf.forEach((w) => cdnNodes.forEach((c) => lines.push(`    ${w} --> ${c}`)));
    const health = of('AWS::Route53::HealthCheck');
    if (health.length) {
      const dns = node(`Route 53: ${health.length} health-checked region(s)`);
      cdnNodes.forEach((c) => lines.push(`    ${c} --> ${dns}`));
    }
    const lbNodes = lbs.map((id) => node(`Load balancer ${id}`));
    const serviceNodes = services.map((id) => node(`ECS ${id}`));
    lbNodes.forEach((l) => services.forEach((s, i) => {
      if ((res.find(([id]) => id === s)?.[1].Properties?.LoadBalancers as unknown[] | undefined)?.length) lines.push(`    ${l} --> ${serviceNodes[i]}`);
    }));
    const stores = [
      ...of('AWS::RDS::DBCluster').map((id) => node(`Aurora ${id}`, 'db')),
      ...of('AWS::ElastiCache::ReplicationGroup').map((id) => node(`Cache ${id}`, 'db')),
    ];
    const queues = of('AWS::SQS::Queue').filter((id) => !/DeadLetter/i.test(id)).map((id) => node(`SQS ${id}`, 'queue'));
    serviceNodes.forEach((s) => [...stores, ...queues].forEach((d) => lines.push(`    ${s} -.-> ${d}`)));
    lines.push('  end');
  }
  return lines.join('\n');
}

/** Renders the review as Markdown for a PR comment. */
export function renderMarkdown(outcome: ReviewOutcome): string {
  const out: string[] = ['## cdk-scaleout review', '', outcome.summary, ''];
  const open = outcome.risks.filter((r) => !r.acknowledged);
  const acked = outcome.risks.filter((r) => r.acknowledged);
  if (outcome.risks.length) {
    out.push(`### ${open.length ? '⚠️' : '✅'} Risks`, '', '| | kind | stack | resource | type | risk |', '|---|---|---|---|---|---|');
    for (const r of [...open, ...acked]) {
      out.push(`| ${r.acknowledged ? `✅ acknowledged: ${r.acknowledged}` : '⚠️'} | ${r.kind} | ${r.stack} | ${r.logicalId} | ${r.resourceType} | ${r.message} |`);
    }
    out.push('');
  }
  out.push('### Stacks', '', '| stack | region | status | added | modified | removed |', '|---|---|---|---|---|---|');
  for (const s of outcome.stacks) out.push(`| ${s.stack} | ${s.region ?? ''} | ${s.status} | ${s.added.length} | ${s.modified.length} | ${s.removed.length} |`);
  out.push('');
  for (const s of outcome.stacks.filter((x) => x.status !== 'unchanged')) {
    out.push(`<details><summary>${s.stack}: +${s.added.length} ~${s.modified.length} -${s.removed.length}</summary>`, '');
    for (const [sign, list] of [['+', s.added], ['~', s.modified], ['-', s.removed]] as const) {
      for (const c of list) out.push(`- \`${sign}\` ${c.logicalId} (${c.resourceType})${sign === '~' ? ` — ${c.impact}` : ''}`);
    }
    out.push('', '</details>', '');
  }
  out.push('### Compliance', '');
  out.push(outcome.newFindings.length ? outcome.newFindings.map((f) => `- new: ${f.rule} at ${f.constructPath} (${f.plugin})`).join('\n') : '- no new finding');
  if (outcome.resolvedFindings.length) out.push(outcome.resolvedFindings.map((f) => `- resolved: ${f.rule} at ${f.constructPath} (${f.plugin})`).join('\n'));
  out.push('', '### Deploy rehearsal (head)', '');
  if (outcome.deployFindings.length === 0) {
    out.push('- no finding: nothing CloudFormation or the services would reject was found offline');
  } else {
    out.push('| rule | stack | resource | property | value | finding | source |', '|---|---|---|---|---|---|---|');
    const cell = (s: string) => s.replace(/\|/g, '\\|');
    for (const f of outcome.deployFindings) {
      out.push(`| ${f.ruleId} | ${f.stack} | ${f.logicalId} | ${cell(f.property)} | ${cell(f.value)} | ${cell(f.message)} | ${f.source} |`);
    }
  }
  out.push('', '### Architecture (head)', '', '```mermaid', outcome.mermaid, '```', '');
  return out.join('\n');
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
