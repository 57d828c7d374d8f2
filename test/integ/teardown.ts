import { CfnResource, IAspect, RemovalPolicy } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';

/**
 * For integration tests only: lets `cdk destroy` remove what the stage keeps in production.
 * The stage retains its data (Aurora and ElastiCache snapshot on delete, Aurora has deletion
 * protection, queues, secrets, KMS keys and log groups are retained), which would make the
 * destroy fail (deletion protection) or leave billed resources and fixed names behind. S3 buckets
 * stay retained: CloudFormation cannot delete the ALB access-log bucket once logs are in it; it
 * has a generated name and is left behind (empty it and delete it by hand).
 */
export class DestroyAfterTest implements IAspect {
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || node.cfnResourceType === 'AWS::S3::Bucket') return;
    node.applyRemovalPolicy(RemovalPolicy.DESTROY);
    if (node instanceof rds.CfnDBCluster) node.deletionProtection = false;
  }
}
