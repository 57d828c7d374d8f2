import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeControlTower } from '../compliance/acknowledge';
import { complianceProfile, logGroupDefaults } from '../compliance/profile';
import { Validator } from '../private/validation';

/** Default number of availability zones: two, the minimum for Multi-AZ. */
export const DEFAULT_MAX_AZS = 2;
/** Default number of NAT gateways: one (cheapest; use one per AZ for zonal independence). */
export const DEFAULT_NAT_GATEWAYS = 1;
/** Default VPC CIDR. */
export const DEFAULT_VPC_CIDR = '10.0.0.0/16';

/**
 * Subnet group names the blueprints use.
 */
export enum SubnetTier {
  /** Load balancers and NAT gateways. */
  PUBLIC = 'Public',
  /** Services: private, with egress through NAT. */
  APP = 'App',
  /** Databases and caches: isolated, no route to the internet. */
  DATA = 'Data',
}

/**
 * Properties of a `Network`.
 */
export interface NetworkProps {
  /**
   * How many availability zones to span: 2, or 3 for zonal headroom.
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * Explicit availability zones (their count overrides `maxAzs`). Give them to synthesize
   * without cdk.json `availability-zones:…` context.
   *
   * @default - the stack's availability zones, from cdk.json context
   */
  readonly availabilityZones?: string[];

  /**
   * NAT gateways for the private app subnets, 1 to the number of AZs. One per AZ keeps an
   * AZ outage from cutting the other AZs' egress; one is cheaper.
   *
   * @default 1
   */
  readonly natGateways?: number;

  /**
   * The VPC's IPv4 CIDR block, a /16 to /24.
   *
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;

  /**
   * Retention of the VPC flow-log group (all traffic, to CloudWatch Logs).
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * What happens to the flow-log group when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly flowLogRemovalPolicy?: RemovalPolicy;
}

/**
 * The default VPC of the blueprints: public, private-with-egress (`App`) and isolated
 * (`Data`) subnets across 2 or 3 AZs, NAT gateways, VPC flow logs and an S3 gateway
 * endpoint (image layers from ECR come from S3 without crossing NAT).
 *
 * @example
 * const network = new Network(stack, 'Network', { maxAzs: 3, natGateways: 3 });
 * new StatelessService(stack, 'Api', { vpc: network.vpc, image, loadBalancer });
 */
export class Network extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.Vpc;
  /** The flow-log group. */
  public readonly flowLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    const v = new Validator(this, 'Network');
    const azCount = props.availabilityZones?.length ?? props.maxAzs ?? DEFAULT_MAX_AZS;
    if (props.availabilityZones !== undefined) {
      v.range('availabilityZones.length', props.availabilityZones.length, 2, 3);
    } else {
      v.range('maxAzs', azCount, 2, 3);
    }
    const natGateways = props.natGateways ?? DEFAULT_NAT_GATEWAYS;
    v.range('natGateways', natGateways, 1, azCount);
    const cidr = props.cidr ?? DEFAULT_VPC_CIDR;
    if (!Token.isUnresolved(cidr)) {
      v.pattern('cidr', cidr, /^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-4])$/, 'an IPv4 CIDR block from /16 to /24');
    }

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      ...logGroupDefaults(this, logs.RetentionDays.THREE_MONTHS, props.flowLogRetention),
      removalPolicy: props.flowLogRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      ...(props.availabilityZones ? { availabilityZones: props.availabilityZones } : { maxAzs: azCount }),
      natGateways,
      subnetConfiguration: [
        // Under a regulatory pack (ComplianceDefaults.noPublicIpOnLaunch) nothing in a public subnet
        // gets a public address by default: the NAT gateways and load balancers have their own.
        {
          name: SubnetTier.PUBLIC,
          subnetType: ec2.SubnetType.PUBLIC,
          cidrMask: 24,
          mapPublicIpOnLaunch: !complianceProfile(this).noPublicIpOnLaunch,
        },
        { name: SubnetTier.APP, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: SubnetTier.DATA, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      },
      // Under a regulatory pack (ComplianceDefaults.closeDefaultSecurityGroup) a custom resource
      // removes the default security group's rules: nothing of cdk-scaleout uses that group.
      restrictDefaultSecurityGroup: complianceProfile(this).closeDefaultSecurityGroup,
    });
    if (complianceProfile(this).closeDefaultSecurityGroup) acknowledgeRestrictDefaultSgProvider(this);
    // The regulatory packs flag every route to the internet gateway; the public subnets' default
    // route is what makes them public, for the NAT gateways and internet-facing load balancers.
    const reason = 'The default route of a public subnet, which is what makes it public: cdk-scaleout places only the NAT gateways and internet-facing load balancers there; '
      + 'application and data subnets route through NAT or not at all.';
    for (const subnet of this.vpc.publicSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (route) {
        acknowledge(route, {
          'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW': reason,
          'HIPAA.Security-VPCNoUnrestrictedRouteToIGW': reason,
          'PCI.DSS.321-VPCNoUnrestrictedRouteToIGW': reason,
        });
      }
    }
  }
}

/** The id aws-cdk-lib gives the provider of `restrictDefaultSecurityGroup` (one per stack). */
const RESTRICT_DEFAULT_SG_PROVIDER = 'Custom::VpcRestrictDefaultSGCustomResourceProvider';

/**
 * Acknowledges the Control Tower findings on aws-cdk-lib's provider function that removes the
 * default security group's rules (once per stack). cdk-nag does not see it: it is a plain
 * CfnResource, not a lambda.CfnFunction.
 */
function acknowledgeRestrictDefaultSgProvider(scope: Construct): void {
  const handler = Stack.of(scope).node.tryFindChild(RESTRICT_DEFAULT_SG_PROVIDER)?.node.tryFindChild('Handler');
  if (!handler) return;
  acknowledgeControlTower(handler, {
    lambda_inside_vpc_check: "aws-cdk-lib's provider of restrictDefaultSecurityGroup: CloudFormation invokes it when a VPC is created or updated, "
      + "to revoke the default security group's rules; it calls only the EC2 API, and outside a VPC it needs no NAT gateway or EC2 interface endpoint to reach it.",
  });
}
