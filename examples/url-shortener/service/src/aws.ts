/**
 * AWS SDK v3 clients with explicit timeouts and the SDK's own retries (exponential backoff
 * with full jitter, 3 attempts). `AWS_ENDPOINT_URL_SQS` / `AWS_ENDPOINT_URL_SNS`, which the
 * SDK honours, point them at the local stand-in.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

// The SDK builds its NodeHttpHandler from these options (connection and request timeouts).
const handler = (requestTimeout: number) => ({ connectionTimeout: 1000, requestTimeout, httpsAgent: { keepAlive: true, maxSockets: 50 } });

export function sqsClient(region: string, requestTimeoutMs = 5000): SQSClient {
  return new SQSClient({ region, maxAttempts: 3, requestHandler: handler(requestTimeoutMs) });
}

export function snsClient(region: string): SNSClient {
  return new SNSClient({ region, maxAttempts: 3, requestHandler: handler(3000) });
}

/** `https://sqs.us-east-1.amazonaws.com/…` → `us-east-1` (undefined for a local endpoint). */
export function regionOfQueueUrl(url: string): string | undefined {
  return /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\//.exec(url)?.[1];
}
