/**
 * SQS handler: "purge on data change". Each message names paths to invalidate — a JSON body
 * `{ "paths": ["/products/42", "/api/products/*"] }`. Paths of the whole batch are
 * deduplicated and sent in as few invalidations as CloudFront's limits allow (3,000 paths,
 * 15 wildcards); throttling is retried with backoff. Messages whose invalidation still fails
 * are reported as batch item failures (retried by SQS, then sent to the DLQ); malformed
 * messages fail alone.
 */
import { createHash } from 'crypto';
// The Lambda Node.js runtime provides the AWS SDK; the bundles keep it external.
// eslint-disable-next-line import/no-extraneous-dependencies
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { batchPaths, createInvalidation, DEFAULT_RETRY, RetryOptions } from './invalidation-client';
import { isValidPath } from './invalidation-paths';

export interface SqsEvent { Records: Array<{ messageId: string; body: string }> }
export interface SqsBatchResponse { batchItemFailures: Array<{ itemIdentifier: string }> }

export function createHandler(client: CloudFrontClient, distributionId: string, retry: RetryOptions = DEFAULT_RETRY) {
  return async (event: SqsEvent): Promise<SqsBatchResponse> => {
    const failures = new Set<string>();
    const owners = new Map<string, string[]>(); // path → message IDs
    for (const record of event.Records) {
      let paths: unknown;
      try {
        paths = (JSON.parse(record.body) as { paths?: unknown }).paths;
      } catch {
        paths = undefined;
      }
      if (!Array.isArray(paths) || paths.length === 0 || !paths.every(isValidPath)) {
        console.error(JSON.stringify({ message: 'malformed purge message', messageId: record.messageId }));
        failures.add(record.messageId);
        continue;
      }
      for (const path of paths) owners.set(path, [...(owners.get(path) ?? []), record.messageId]);
    }
    for (const batch of batchPaths([...owners.keys()])) {
      const reference = createHash('sha256').update(batch.join('\n') + event.Records.map((r) => r.messageId).join(',')).digest('hex').slice(0, 32);
      try {
        await createInvalidation(client, distributionId, batch, reference, retry);
      } catch (error) {
        console.error(JSON.stringify({ message: 'invalidation failed', error: String(error), paths: batch.length }));
        for (const path of batch) owners.get(path)!.forEach((id) => failures.add(id));
      }
    }
    return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

let configured: ((event: SqsEvent) => Promise<SqsBatchResponse>) | undefined;
export const handler = async (event: SqsEvent): Promise<SqsBatchResponse> => {
  configured ??= createHandler(new CloudFrontClient({}), process.env.DISTRIBUTION_ID ?? '');
  return configured(event);
};
