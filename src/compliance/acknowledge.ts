import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Internal: acknowledges cdk-nag rules on one construct, each with its reason.
 * Always scope to the resource that needs it, never a stack.
 */
export function acknowledge(construct: IConstruct, rules: Record<string, string>): void {
  Validations.of(construct).acknowledge(...Object.entries(rules).map(([id, reason]) => ({ id, reason })));
}

/** Internal: the prefix of Control Tower rule ids (`Compliance.CONTROL_TOWER_RULE_PREFIX`). */
export const CONTROL_TOWER_PREFIX = 'cdk-validator-cfnguard::';

/**
 * Internal: acknowledges Control Tower (cfn-guard) rules on one construct, by rule name
 * (e.g. `s3_bucket_logging_enabled_check`), each with its reason.
 */
export function acknowledgeControlTower(construct: IConstruct, rules: Record<string, string>): void {
  acknowledge(construct, Object.fromEntries(Object.entries(rules).map(([rule, reason]) => [`${CONTROL_TOWER_PREFIX}${rule}`, reason])));
}

/**
 * Internal: why a log bucket has no Object Lock (cdk-nag S3BucketDefaultLockEnabled, Control Tower
 * s3_bucket_object_lock_enabled_check). `delivery` names who writes to it, e.g. 'Elastic Load
 * Balancing's log delivery'.
 */
export function logBucketLockReason(delivery: string, versioned: boolean): string {
  return 'No Object Lock: S3 requires a Content-MD5 or checksum header on every upload to a bucket with a default retention period, and '
    + `${delivery} is not documented to send one; the bucket is retained on stack deletion`
    + (versioned ? ' and versioned (overwritten or deleted logs stay as noncurrent versions until they expire).' : '.');
}

/**
 * Internal: acknowledges one cdk-nag rule of the regulatory packs (`NIST.800.53.R4-`, `NIST.800.53.R5-`,
 * `HIPAA.Security-`, `PCI.DSS.321-`) on one construct, for the packs given.
 */
export function acknowledgePacks(construct: IConstruct, rule: string, packs: Array<'R4' | 'R5' | 'HIPAA' | 'PCI'>, reason: string): void {
  const prefix = { R4: 'NIST.800.53.R4-', R5: 'NIST.800.53.R5-', HIPAA: 'HIPAA.Security-', PCI: 'PCI.DSS.321-' };
  acknowledge(construct, Object.fromEntries(packs.map((p) => [`${prefix[p]}${rule}`, reason])));
}
