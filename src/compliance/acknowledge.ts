import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Internal: acknowledges cdk-nag rules on one construct, each with its reason.
 * Always scope to the resource that needs it, never a stack.
 */
export function acknowledge(construct: IConstruct, rules: Record<string, string>): void {
  Validations.of(construct).acknowledge(...Object.entries(rules).map(([id, reason]) => ({ id, reason })));
}
