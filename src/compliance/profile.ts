import { Aspects, Aws, CfnResource, IAspect, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';

/**
 * The context key `Compliance.enable()` records the chosen packs and construct defaults under.
 * Set it in cdk.json to get the defaults without `Compliance.enable()`, e.g.
 * `"cdk-scaleout:compliance": { "packs": ["NIST.800.53.R5"] }`.
 */
export const COMPLIANCE_CONTEXT_KEY = 'cdk-scaleout:compliance';

/** The packs whose controls switch the hardened construct defaults on. */
const REGULATORY_PACKS = new Set(['NIST.800.53.R4', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321', 'ControlTower']);

/** Internal: the construct-default switches, resolved for a scope. */
export interface ComplianceProfile {
  /** The chosen packs. */
  readonly packs: string[];
  /** KMS-encrypt the log groups the constructs create, with a per-stack key. */
  readonly encryptLogGroups: boolean;
  /** Keep ElastiCache snapshots 15 days or more. */
  readonly longCacheSnapshotRetention: boolean;
  /** Turn deletion protection on for load balancers. */
  readonly loadBalancerDeletionProtection: boolean;
  /** Put Aurora clusters in an AWS Backup plan. */
  readonly awsBackup: boolean;
  /** Version the log buckets too. */
  readonly versionLogBuckets: boolean;
  /** Turn the stacks' inline IAM policies (grants) into customer-managed policies. */
  readonly managedPolicies: boolean;
  /** Public subnets do not assign public IPv4 addresses on launch. */
  readonly noPublicIpOnLaunch: boolean;
  /** Log groups keep their logs at least a year. */
  readonly longLogRetention: boolean;
  /** Containers run as a non-root user. */
  readonly nonRootContainers: boolean;
  /** Containers have a hard memory limit. */
  readonly containerMemoryLimits: boolean;
  /** A regional WAF web ACL on each ALB. */
  readonly loadBalancerWaf: boolean;
  /** Web ACLs log to CloudWatch Logs. */
  readonly wafLogging: boolean;
  /** VPC default security groups have no rules. */
  readonly closeDefaultSecurityGroup: boolean;
  /** Buckets use a customer-managed KMS key where the writer supports it. */
  readonly kmsBuckets: boolean;
  /** Buckets send their object events to Amazon EventBridge. */
  readonly bucketEventNotifications: boolean;
}

type Recorded = { packs?: string[] } & Partial<Record<keyof Omit<ComplianceProfile, 'packs'>, boolean>>;

/** Internal: the compliance profile in effect at `scope` (from the context `Compliance.enable` sets). */
export function complianceProfile(scope: IConstruct): ComplianceProfile {
  const recorded = (scope.node.tryGetContext(COMPLIANCE_CONTEXT_KEY) ?? {}) as Recorded;
  const packs = recorded.packs ?? [];
  const regulated = packs.some((p) => REGULATORY_PACKS.has(p));
  return {
    packs,
    encryptLogGroups: recorded.encryptLogGroups ?? regulated,
    longCacheSnapshotRetention: recorded.longCacheSnapshotRetention ?? regulated,
    loadBalancerDeletionProtection: recorded.loadBalancerDeletionProtection ?? regulated,
    awsBackup: recorded.awsBackup ?? regulated,
    versionLogBuckets: recorded.versionLogBuckets ?? regulated,
    managedPolicies: recorded.managedPolicies ?? regulated,
    noPublicIpOnLaunch: recorded.noPublicIpOnLaunch ?? regulated,
    longLogRetention: recorded.longLogRetention ?? regulated,
    nonRootContainers: recorded.nonRootContainers ?? regulated,
    containerMemoryLimits: recorded.containerMemoryLimits ?? regulated,
    loadBalancerWaf: recorded.loadBalancerWaf ?? regulated,
    wafLogging: recorded.wafLogging ?? regulated,
    closeDefaultSecurityGroup: recorded.closeDefaultSecurityGroup ?? regulated,
    kmsBuckets: recorded.kmsBuckets ?? regulated,
    bucketEventNotifications: recorded.bucketEventNotifications ?? regulated,
  };
}

/** Stacks that already have the managed-policies aspect. */
const MANAGED_POLICY_STACKS = new WeakSet<Stack>();

/**
 * Internal: turns every synthesizable inline `iam.Policy` of a stack (the default policies that
 * grants write to) into a customer-managed policy with the same document and attachments. The
 * managed policy is a child of the same construct, so dependencies on the policy or its role still
 * hold and acknowledgements recorded on them still apply.
 */
class ManagedPoliciesAspect implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof iam.Policy)) return;
    const cfn = node.node.tryFindChild('Resource') as iam.CfnPolicy | undefined;
    if (!cfn || !(cfn instanceof iam.CfnPolicy)) return;
    // aws-cdk-lib renders an empty, unattached, unreferenced default policy not at all.
    const conditional = cfn as unknown as { shouldSynthesize?: () => boolean };
    if (conditional.shouldSynthesize && !conditional.shouldSynthesize()) return;
    const managed = new iam.CfnManagedPolicy(node, 'Managed', {
      description: `${node.node.path} (grants of the construct, as a managed policy)`,
      policyDocument: cfn.policyDocument,
      roles: cfn.roles,
      users: cfn.users,
      groups: cfn.groups,
    });
    // Resources that depend on the inline policy itself (e.g. aws-cdk-lib's LogRetention function
    // on its role's default policy) depend on the managed policy instead: a DependsOn naming the
    // removed policy would fail the deployment.
    for (const c of Stack.of(node).node.findAll()) {
      if (c instanceof CfnResource && c !== cfn && c.obtainDependencies().includes(cfn)) {
        c.replaceDependency(cfn, managed);
      }
    }
    node.node.tryRemoveChild('Resource');
  }
}

/** Internal: applies the stack-wide switches of the profile in effect at `scope` once per stack. */
export function applyStackProfile(scope: IConstruct): void {
  const stack = Stack.of(scope);
  if (MANAGED_POLICY_STACKS.has(stack) || !complianceProfile(scope).managedPolicies) return;
  MANAGED_POLICY_STACKS.add(stack);
  Aspects.of(stack).add(new ManagedPoliciesAspect());
}

/** The id of the per-stack log key. */
const LOGS_KEY_ID = 'CdkScaleoutLogsKey';

/**
 * Internal: the stack's KMS key for CloudWatch Logs (created once per stack): rotated, retained,
 * and usable by CloudWatch Logs of the stack's region for the account's log groups only.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function logsEncryptionKey(scope: IConstruct): kms.IKey {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(LOGS_KEY_ID) as kms.Key | undefined;
  if (existing) return existing;
  const key = new kms.Key(stack, LOGS_KEY_ID, {
    description: `${stack.stackName} CloudWatch Logs encryption`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${stack.region}:${stack.account}:log-group:*` } },
  }));
  return key;
}

/** Internal: the defaults of a log group a construct creates, under the profile in effect. */
export function logGroupDefaults(scope: IConstruct): { encryptionKey?: kms.IKey } {
  applyStackProfile(scope);
  return complianceProfile(scope).encryptLogGroups ? { encryptionKey: logsEncryptionKey(scope) } : {};
}
