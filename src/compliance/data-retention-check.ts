import { CfnDeletionPolicy, CfnResource, IAspect, Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { STATEFUL_TYPES } from '../review/stateful-types';

const ALLOW_KEY = 'cdk-scaleout:allow-data-deletion';
const KEEPING = new Set([CfnDeletionPolicy.RETAIN, CfnDeletionPolicy.SNAPSHOT, CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE]);

/**
 * An Aspect that fails synth (an error annotation) when a stateful resource — database,
 * cache, bucket, queue, key, log group, table, secret, file system — would be destroyed on
 * stack deletion or replacement (`DeletionPolicy` / `UpdateReplacePolicy` Delete) without an
 * explicit opt-out (`DataRetentionCheck.allowDeletion(construct, reason)`).
 *
 * @example
 * Aspects.of(app).add(new DataRetentionCheck());
 * DataRetentionCheck.allowDeletion(scratchBucket, 'scratch data, rebuilt nightly');
 */
export class DataRetentionCheck implements IAspect {
  /** Opts `construct` and its children out of the check, with a reason kept in the construct metadata. */
  public static allowDeletion(construct: IConstruct, reason: string): void {
    if (!reason.trim()) throw new Error(`DataRetentionCheck.allowDeletion: reason must not be empty for '${construct.node.path}'`);
    construct.node.addMetadata(ALLOW_KEY, reason);
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || !STATEFUL_TYPES.has(node.cfnResourceType)) return;
    for (let c: IConstruct | undefined = node; c; c = c.node.scope) {
      if (c.node.metadata.some((m) => m.type === ALLOW_KEY)) return;
    }
    const deletion = node.cfnOptions.deletionPolicy;
    const replace = node.cfnOptions.updateReplacePolicy;
    const weak: string[] = [];
    if (!deletion || !KEEPING.has(deletion)) weak.push(`DeletionPolicy ${deletion ?? 'Delete (default)'}`);
    if (!replace || !KEEPING.has(replace)) weak.push(`UpdateReplacePolicy ${replace ?? 'Delete (default)'}`);
    if (weak.length) {
      Annotations.of(node).addError(
        `DataRetentionCheck: ${node.cfnResourceType} would be destroyed (${weak.join(', ')}); `
        + 'set RemovalPolicy.RETAIN or SNAPSHOT, or opt out with DataRetentionCheck.allowDeletion(construct, reason)',
      );
    }
  }
}
