/**
 * Custom resource handler (onEvent of a CDK Provider): invalidates the configured paths of a
 * distribution whenever the resource is created or updated — on every deployment whose
 * `DeploymentId` changes. The CloudFormation request ID is the caller reference, so a retried
 * event does not start a second invalidation. Delete is a no-op. Errors are thrown, so the
 * deployment fails visibly instead of serving stale content silently.
 */
// The Lambda Node.js runtime provides the AWS SDK; the bundles keep it external.
// eslint-disable-next-line import/no-extraneous-dependencies
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { batchPaths, createInvalidation, DEFAULT_RETRY, RetryOptions } from './invalidation-client';
import { isValidPath } from './invalidation-paths';

export interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  RequestId: string;
  PhysicalResourceId?: string;
  ResourceProperties: { DistributionId: string; Paths: string[]; DeploymentId?: string };
}

export interface CustomResourceResult {
  PhysicalResourceId: string;
  Data?: Record<string, string>;
}

export function createHandler(client: CloudFrontClient, retry: RetryOptions = DEFAULT_RETRY) {
  return async (event: CustomResourceEvent): Promise<CustomResourceResult> => {
    const { DistributionId: distributionId, Paths: paths } = event.ResourceProperties;
    const physicalId = event.PhysicalResourceId ?? `${distributionId}-deploy-invalidation`;
    if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };
    const bad = (paths ?? []).filter((p) => !isValidPath(p));
    if (!distributionId || !paths?.length || bad.length) {
      throw new Error(`invalid invalidation request: distribution '${distributionId}', paths ${JSON.stringify(paths)}${bad.length ? `, bad paths ${JSON.stringify(bad)}` : ''}`);
    }
    const ids: string[] = [];
    const batches = batchPaths(paths);
    for (let i = 0; i < batches.length; i++) {
      ids.push(await createInvalidation(client, distributionId, batches[i], `${event.RequestId}-${i}`, retry));
    }
    return { PhysicalResourceId: physicalId, Data: { InvalidationIds: ids.join(',') } };
  };
}

let configured: ((event: CustomResourceEvent) => Promise<CustomResourceResult>) | undefined;
export const handler = async (event: CustomResourceEvent): Promise<CustomResourceResult> => {
  configured ??= createHandler(new CloudFrontClient({}));
  return configured(event);
};
