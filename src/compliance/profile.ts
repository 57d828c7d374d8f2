import { Aspects, Aws, CfnResource, IAspect, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
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
  /** KMS key policies deny kms:CreateGrant unless it is for an AWS resource or by an AWS service. */
  readonly restrictKeyGrants: boolean;
  /** The Lambda functions the constructs create have active X-Ray tracing. */
  readonly lambdaTracing: boolean;
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
    restrictKeyGrants: recorded.restrictKeyGrants ?? regulated,
    lambdaTracing: recorded.lambdaTracing ?? regulated,
    bucketEventNotifications: recorded.bucketEventNotifications ?? regulated,
  };
}

/** The stack-wide switches already applied, per stack. */
const APPLIED = new WeakMap<Stack, Set<string>>();

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

/** The `Sid` of the key-policy statement `restrictKeyGrants` adds. */
export const KEY_GRANTS_STATEMENT_SID = 'DenyCreateGrantUnlessForAwsResource';

/**
 * Internal: adds to the policy of every `kms.Key` of a stack the statement AWS Control Tower's
 * CT.KMS.PR.3 asks for: deny `kms:CreateGrant` to every principal unless the grant is for an AWS
 * resource (`kms:GrantIsForAWSResource`: an integrated service such as Amazon RDS creates
 * it on the caller's behalf) or the caller is an AWS service (`aws:PrincipalIsAWSService`). Only
 * `kms:CreateGrant` is denied: the account's administrative access (`kms:*` for the account root,
 * aws-cdk-lib's default, `kms:PutKeyPolicy` included) is unchanged, so the key cannot be locked out.
 * @see https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html#ct-kms-pr-3-description
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
 */
class RestrictKeyGrantsAspect implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof kms.Key)) return;
    node.addToResourcePolicy(new iam.PolicyStatement({
      sid: KEY_GRANTS_STATEMENT_SID,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));
  }
}

/** Internal: applies the stack-wide switches of the profile in effect at `scope` once per stack. */
export function applyStackProfile(scope: IConstruct): void {
  const stack = Stack.of(scope);
  const applied = APPLIED.get(stack) ?? new Set<string>();
  APPLIED.set(stack, applied);
  const profile = complianceProfile(scope);
  if (profile.managedPolicies && !applied.has('managedPolicies')) {
    applied.add('managedPolicies');
    Aspects.of(stack).add(new ManagedPoliciesAspect());
  }
  if (profile.restrictKeyGrants && !applied.has('restrictKeyGrants')) {
    applied.add('restrictKeyGrants');
    Aspects.of(stack).add(new RestrictKeyGrantsAspect());
  }
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

/** The retention `longLogRetention` keeps logs at least (Control Tower CT.CLOUDWATCH.PR.2: 365 days or more). */
export const COMPLIANT_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/**
 * Internal: the retention of a log group a construct creates: `explicit` when a prop sets it,
 * else the construct's `fallback`, raised to a year under `longLogRetention` (a longer fallback,
 * or never expiring, is kept).
 */
export function logRetention(scope: IConstruct, fallback: logs.RetentionDays, explicit?: logs.RetentionDays): logs.RetentionDays {
  if (explicit !== undefined) return explicit;
  if (!complianceProfile(scope).longLogRetention) return fallback;
  // RetentionDays.INFINITE (9999) counts as the longest.
  return fallback >= COMPLIANT_LOG_RETENTION ? fallback : COMPLIANT_LOG_RETENTION;
}

/**
 * Internal: the defaults of a log group a construct creates, under the profile in effect: its
 * encryption key (`encryptLogGroups`) and its retention: `explicit` when a prop sets it, else the
 * construct's `fallback` raised by `longLogRetention` (see `logRetention`).
 */
export function logGroupDefaults(
  scope: IConstruct, fallback: logs.RetentionDays, explicit?: logs.RetentionDays,
): { encryptionKey?: kms.IKey; retention: logs.RetentionDays } {
  applyStackProfile(scope);
  return {
    ...(complianceProfile(scope).encryptLogGroups ? { encryptionKey: logsEncryptionKey(scope) } : {}),
    retention: logRetention(scope, fallback, explicit),
  };
}

/** The memory of the handlers the constructs create, set explicitly (Lambda's default). */
export const HANDLER_MEMORY_MB = 128;

/**
 * Internal: active X-Ray tracing on `fn` under `lambdaTracing`, for functions whose props the
 * construct does not control (aws-cdk-lib's custom-resource framework functions): the tracing
 * configuration and the X-Ray permissions the L2 `tracing` prop would add. Returns whether it
 * was turned on. Not for Lambda@Edge (no X-Ray at the edge).
 */
export function traceFunction(fn: lambda.Function): boolean {
  if (!complianceProfile(fn).lambdaTracing) return false;
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  if (cfn.tracingConfig) return true;
  cfn.tracingConfig = { mode: lambda.Tracing.ACTIVE };
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }));
  return true;
}

/** The reason of the `AwsSolutions-IAM5[Resource::*]` acknowledgement of X-Ray's permissions. */
export const XRAY_STAR_REASON = "xray:PutTraceSegments and xray:PutTelemetryRecords (active X-Ray tracing) support no resource-level permissions: they take Resource '*'.";
