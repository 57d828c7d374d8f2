/**
 * CloudFront invalidation with retries (CDK-free, shared by the invalidation handlers).
 */
// The Lambda Node.js runtime provides the AWS SDK; the bundles keep it external.
// eslint-disable-next-line import/no-extraneous-dependencies
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';

/** CloudFront: at most 3,000 paths in progress, of which at most 15 with wildcards. */
export const MAX_PATHS_PER_INVALIDATION = 3000;
export const MAX_WILDCARD_PATHS_PER_INVALIDATION = 15;

const RETRYABLE = new Set(['TooManyInvalidationsInProgress', 'Throttling', 'ThrottlingException', 'ServiceUnavailable', 'RequestLimitExceeded']);

export interface RetryOptions {
  /** Attempts in all. */
  attempts: number;
  /** First backoff, doubled after each retry. */
  baseDelayMs: number;
  /** Sleep function (injected in tests). */
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryOptions = {
  attempts: 6,
  baseDelayMs: 1000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Creates one invalidation, retrying throttling and "too many in progress" with backoff. */
export async function createInvalidation(
  client: CloudFrontClient, distributionId: string, paths: string[], callerReference: string, retry: RetryOptions = DEFAULT_RETRY,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await client.send(new CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: paths } },
      }));
      return out.Invalidation?.Id ?? '';
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (!RETRYABLE.has(name) || attempt >= retry.attempts) throw error;
      await retry.sleep(retry.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

/** Splits paths into batches within CloudFront's limits (deduplicated, order kept). */
export function batchPaths(paths: string[]): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let wildcards = 0;
  for (const path of [...new Set(paths)]) {
    const wildcard = path.includes('*');
    if (current.length === MAX_PATHS_PER_INVALIDATION || (wildcard && wildcards === MAX_WILDCARD_PATHS_PER_INVALIDATION)) {
      batches.push(current);
      current = [];
      wildcards = 0;
    }
    current.push(path);
    if (wildcard) wildcards++;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
