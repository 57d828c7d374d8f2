import { RawFinding, RehearsalInput, RehearsalRule, RehearsalStack } from '../model';
import { at, label, resolveIn, resources, show } from '../resolve';

/** How unique a physical name must be. */
type Scope = 'region' | 'account' | 'world';

interface NameProperty {
  readonly type: string;
  /** Dotted path under Properties. */
  readonly path: string;
  readonly scope: Scope;
  /** Names compared case-insensitively (the service stores them lowercase). */
  readonly lowercase?: boolean;
  /** Namespace shared by several types (default: the type). */
  readonly namespace?: string;
}

/** Explicit physical names and where they must be unique. */
export const NAME_PROPERTIES: readonly NameProperty[] = [
  { type: 'AWS::SNS::Topic', path: 'TopicName', scope: 'region' },
  { type: 'AWS::SQS::Queue', path: 'QueueName', scope: 'region' },
  { type: 'AWS::Logs::LogGroup', path: 'LogGroupName', scope: 'region' },
  { type: 'AWS::SecretsManager::Secret', path: 'Name', scope: 'region' },
  { type: 'AWS::Lambda::Function', path: 'FunctionName', scope: 'region' },
  { type: 'AWS::RDS::DBCluster', path: 'DBClusterIdentifier', scope: 'region', lowercase: true },
  { type: 'AWS::ElastiCache::ReplicationGroup', path: 'ReplicationGroupId', scope: 'region', lowercase: true },
  { type: 'AWS::ECS::Cluster', path: 'ClusterName', scope: 'region' },
  { type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', path: 'Name', scope: 'region' },
  { type: 'AWS::ElasticLoadBalancingV2::TargetGroup', path: 'Name', scope: 'region' },
  { type: 'AWS::SSM::Parameter', path: 'Name', scope: 'region' },
  { type: 'AWS::KMS::Alias', path: 'AliasName', scope: 'region' },
  { type: 'AWS::Backup::BackupVault', path: 'BackupVaultName', scope: 'region' },
  // Two plans of one name in an account and region: AlreadyExistsException (aws-cdk issue #38318,
  // which is why aws-cdk-lib's construct-id default name collides across stacks).
  { type: 'AWS::Backup::BackupPlan', path: 'BackupPlan.BackupPlanName', scope: 'region' },
  // CloudWatch dashboards are global: their ARN has no region (arn:aws:cloudwatch::<account>:dashboard/<name>).
  { type: 'AWS::CloudWatch::Dashboard', path: 'DashboardName', scope: 'account' },
  { type: 'AWS::IAM::Role', path: 'RoleName', scope: 'account' },
  { type: 'AWS::IAM::ManagedPolicy', path: 'ManagedPolicyName', scope: 'account' },
  { type: 'AWS::IAM::User', path: 'UserName', scope: 'account' },
  { type: 'AWS::IAM::Group', path: 'GroupName', scope: 'account' },
  { type: 'AWS::IAM::InstanceProfile', path: 'InstanceProfileName', scope: 'account' },
  { type: 'AWS::RDS::GlobalCluster', path: 'GlobalClusterIdentifier', scope: 'account', lowercase: true },
  { type: 'AWS::CloudFront::CachePolicy', path: 'CachePolicyConfig.Name', scope: 'account' },
  { type: 'AWS::CloudFront::OriginRequestPolicy', path: 'OriginRequestPolicyConfig.Name', scope: 'account' },
  { type: 'AWS::CloudFront::ResponseHeadersPolicy', path: 'ResponseHeadersPolicyConfig.Name', scope: 'account' },
  { type: 'AWS::CloudFront::Function', path: 'Name', scope: 'account' },
  { type: 'AWS::CloudFront::OriginAccessControl', path: 'OriginAccessControlConfig.Name', scope: 'account' },
  { type: 'AWS::S3::Bucket', path: 'BucketName', scope: 'world', lowercase: true },
];

/** One explicit name a resource claims. */
interface Claim {
  readonly stack: RehearsalStack;
  readonly logicalId: string;
  readonly property: string;
  readonly value: string;
  readonly where: string;
}

function envKey(stack: RehearsalStack, scope: Scope, region = stack.region): string | undefined {
  if (scope === 'world') return 'worldwide';
  if (!stack.account) return undefined;
  if (scope === 'account') return `account ${stack.account}`;
  return region ? `${stack.account}/${region}` : undefined;
}

/** Every explicit physical name in the assembly, keyed by its uniqueness scope. */
function claims(stacks: readonly RehearsalStack[]): Map<string, Claim[]> {
  const out = new Map<string, Claim[]>();
  const add = (key: string, claim: Claim) => out.set(key, [...(out.get(key) ?? []), claim]);
  for (const stack of stacks) {
    for (const [logicalId, r] of resources(stack)) {
      for (const np of NAME_PROPERTIES.filter((n) => n.type === r.Type)) {
        const raw = resolveIn(stack, at(r.Properties, np.path));
        const scope = envKey(stack, np.scope);
        if (raw === undefined || scope === undefined) continue;
        const name = np.lowercase ? raw.toLowerCase() : raw;
        add(`${np.namespace ?? np.type}|${scope}|${name}`, { stack, logicalId, property: `Properties.${np.path}`, value: raw, where: `${np.type} in ${scope}` });
        if (r.Type === 'AWS::SecretsManager::Secret') {
          // A replica is a secret of the same name in each replica region.
          const replicas = (r.Properties?.ReplicaRegions as Array<{ Region?: unknown }> | undefined) ?? [];
          replicas.forEach((rep, i) => {
            const region = resolveIn(stack, rep.Region);
            const key = region && envKey(stack, 'region', region);
            if (key) add(`${np.type}|${key}|${name}`, { stack, logicalId, property: `Properties.ReplicaRegions.${i}.Region`, value: raw, where: `${np.type} replica in ${key}` });
          });
        }
      }
      if (r.Type === 'AWS::WAFv2::WebACL') {
        const name = resolveIn(stack, r.Properties?.Name);
        const scope = resolveIn(stack, r.Properties?.Scope);
        // CLOUDFRONT-scope web ACLs live in us-east-1, one namespace per account.
        const key = scope === 'CLOUDFRONT' ? envKey(stack, 'region', 'us-east-1') : envKey(stack, 'region');
        if (name !== undefined && scope && key) add(`AWS::WAFv2::WebACL|${scope}|${key}|${name}`, { stack, logicalId, property: 'Properties.Name', value: name, where: `WAFv2 ${scope} web ACL in ${key}` });
      }
      for (const rec of recordSets(stack, logicalId, r)) {
        add(`AWS::Route53::RecordSet|${rec.zone}|${rec.name}|${rec.type}|${rec.setIdentifier ?? ''}`, {
          stack, logicalId, property: rec.property, value: `${rec.name} ${rec.type}${rec.setIdentifier ? ` (${rec.setIdentifier})` : ''}`, where: `hosted zone ${rec.zone}`,
        });
      }
    }
  }
  return out;
}

/** A record a resource creates. */
export interface RecordClaim {
  readonly zone: string;
  /** Normalized: lowercase, no trailing dot. */
  readonly name: string;
  readonly type: string;
  readonly setIdentifier?: string;
  readonly property: string;
  readonly aliasDnsName?: string;
  readonly aliasZone?: string;
}

/** Normalizes a DNS name: lowercase, no trailing dot. */
export function normalizeDns(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** The Route 53 records `r` creates (RecordSet or RecordSetGroup) whose zone and name are known at synth. */
export function recordSets(stack: RehearsalStack, _logicalId: string, r: { Type: string; Properties?: Record<string, unknown> }): RecordClaim[] {
  const sets: Array<[Record<string, unknown>, string]> = r.Type === 'AWS::Route53::RecordSet' ? [[r.Properties ?? {}, 'Properties']]
    : r.Type === 'AWS::Route53::RecordSetGroup' ? ((r.Properties?.RecordSets as Array<Record<string, unknown>> | undefined) ?? []).map((s, i) => [s, `Properties.RecordSets.${i}`])
      : [];
  const groupZoneId = resolveIn(stack, r.Properties?.HostedZoneId);
  const groupZoneName = resolveIn(stack, r.Properties?.HostedZoneName);
  const out: RecordClaim[] = [];
  for (const [p, property] of sets) {
    const zoneId = resolveIn(stack, p.HostedZoneId) ?? groupZoneId;
    const zoneName = resolveIn(stack, p.HostedZoneName) ?? groupZoneName;
    const zone = zoneId ? zoneId.replace(/^\/hostedzone\//, '') : zoneName ? `name:${normalizeDns(zoneName)}` : undefined;
    const name = resolveIn(stack, p.Name);
    const type = resolveIn(stack, p.Type);
    if (!zone || name === undefined || !type) continue;
    const alias = p.AliasTarget as Record<string, unknown> | undefined;
    const aliasDns = alias ? resolveIn(stack, alias.DNSName) : undefined;
    const aliasZone = alias ? resolveIn(stack, alias.HostedZoneId) : undefined;
    out.push({
      zone,
      name: normalizeDns(name),
      type,
      setIdentifier: resolveIn(stack, p.SetIdentifier),
      property: `${property}.Name`,
      aliasDnsName: aliasDns ? normalizeDns(aliasDns) : undefined,
      aliasZone: aliasZone?.replace(/^\/hostedzone\//, ''),
    });
  }
  return out;
}

export const NameCollision: RehearsalRule = {
  id: 'Rehearsal-NameCollision',
  description: 'Two resources in the assembly create the same explicit physical name in the same uniqueness scope '
    + '(account and region, account, worldwide for S3 buckets, or hosted zone for Route 53 records): the second create fails with "already exists".',
  source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html',
  check(input: RehearsalInput): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const group of claims(input.stacks).values()) {
      if (group.length < 2) continue;
      for (const c of group) {
        const others = group.filter((o) => o !== c).map((o) => label(o.stack, o.logicalId));
        findings.push({
          stack: c.stack,
          logicalId: c.logicalId,
          property: c.property,
          value: show(c.value),
          message: `'${c.value}' (${c.where}) is also created by ${others.join(', ')}`,
        });
      }
    }
    return findings;
  },
};
