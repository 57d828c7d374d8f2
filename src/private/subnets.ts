import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SubnetTier } from '../network/network';

/**
 * The subnets a tier goes in by default: the named group of a `Network` when the VPC has it,
 * else the given subnet type.
 */
export function defaultSubnets(vpc: ec2.IVpc, group: SubnetTier, fallback: ec2.SubnetType): ec2.SubnetSelection {
  try {
    vpc.selectSubnets({ subnetGroupName: group });
    return { subnetGroupName: group };
  } catch {
    return { subnetType: fallback };
  }
}
