import * as s3 from 'aws-cdk-lib/aws-s3';
import { complianceProfile } from '../compliance/profile';

/**
 * Internal: under `ComplianceDefaults.bucketEventNotifications`, sends the object events of a
 * bucket the construct created to Amazon EventBridge, set on the CfnBucket directly (the L2's
 * `eventBridgeEnabled` goes through a notifications custom resource, a Lambda function).
 */
export function bucketEventNotifications(bucket: s3.Bucket): void {
  if (!complianceProfile(bucket).bucketEventNotifications) return;
  const cfn = bucket.node.defaultChild as s3.CfnBucket;
  cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
}
