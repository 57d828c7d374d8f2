import { App } from 'aws-cdk-lib';
import { EdgeStack } from './edge-stack';
import { WebServiceStack } from './web-service-stack';

/**
 * The building-blocks example: one region built from the tier constructs, and its us-east-1
 * edge stack, with no cross-region references. A separate app from `examples/app.ts`, on its own
 * subdomain (`web.example.com`) and region (eu-central-1): it deploys beside the stages of
 * `examples/app.ts` in the same account and zone.
 */
export function buildWebService(app: App): { regions: WebServiceStack[]; edge: EdgeStack } {
  const account = app.node.tryGetContext('account');
  const zone = { hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com', domainName: 'web.example.com', originVerifySecretName: 'WebService/OriginVerify' };
  const regionNames = ['eu-central-1'];
  const regions = regionNames.map((region) => new WebServiceStack(app, `WebService-${region}`, { env: { account, region }, ...zone }));
  // us-east-1: distribution, certificate, WAF, Lambda@Edge, invalidation. No cross-region references.
  const edge = new EdgeStack(app, 'Edge', { env: { account, region: 'us-east-1' }, ...zone, regions: regionNames });
  // The edge aliases target the regions' origin records: deploy it after them.
  for (const stack of regions) edge.addStackDependency(stack, 'the edge aliases target its origin record');
  return { regions, edge };
}
