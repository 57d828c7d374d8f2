import { CfnResource, RehearsalStack } from '../model';
import { referencedId, resolveIn, resources } from '../resolve';

/** A Lambda@Edge association of a distribution, followed to its function where the template allows. */
export interface EdgeAssociation {
  readonly distributionId: string;
  /** Property path of the association's LambdaFunctionARN. */
  readonly property: string;
  readonly eventType: string;
  /** viewer-request / viewer-response. */
  readonly viewer: boolean;
  /** The resource the ARN points at (a version, alias or function) in the same template. */
  readonly targetId?: string;
  readonly target?: CfnResource;
  /** The function behind the version. */
  readonly functionId?: string;
  readonly fn?: CfnResource;
  /** A literal ARN, when the association names one. */
  readonly arn?: string;
}

/** Every LambdaFunctionAssociations entry of every CloudFront distribution of `stack`. */
export function edgeAssociations(stack: RehearsalStack): EdgeAssociation[] {
  const out: EdgeAssociation[] = [];
  const all = stack.template.Resources ?? {};
  for (const [distributionId, r] of resources(stack)) {
    if (r.Type !== 'AWS::CloudFront::Distribution') continue;
    const config = (r.Properties?.DistributionConfig ?? {}) as Record<string, any>;
    const behaviors: Array<[string, any]> = [['Properties.DistributionConfig.DefaultCacheBehavior', config.DefaultCacheBehavior]];
    ((config.CacheBehaviors ?? []) as unknown[]).forEach((b, i) => behaviors.push([`Properties.DistributionConfig.CacheBehaviors.${i}`, b]));
    for (const [path, behavior] of behaviors) {
      ((behavior?.LambdaFunctionAssociations ?? []) as Array<Record<string, unknown>>).forEach((a, i) => {
        const eventType = resolveIn(stack, a.EventType) ?? '?';
        const property = `${path}.LambdaFunctionAssociations.${i}.LambdaFunctionARN`;
        const targetId = referencedId(a.LambdaFunctionARN);
        const target = targetId ? all[targetId] : undefined;
        const functionId = target?.Type === 'AWS::Lambda::Version' ? referencedId(target.Properties?.FunctionName) : target?.Type === 'AWS::Lambda::Function' ? targetId : undefined;
        const fn = functionId && all[functionId]?.Type === 'AWS::Lambda::Function' ? all[functionId] : undefined;
        out.push({
          distributionId,
          property,
          eventType,
          viewer: eventType.startsWith('viewer-'),
          targetId,
          target,
          functionId,
          fn,
          arn: target ? undefined : resolveIn(stack, a.LambdaFunctionARN),
        });
      });
    }
  }
  return out;
}
