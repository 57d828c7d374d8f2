import { RawFinding, RehearsalInput, RehearsalRule, RehearsalStack } from '../model';
import { resources } from '../resolve';

/** AWS's default per-region quotas the rule checks (Amazon VPC quotas). */
export const DEFAULT_VPCS_PER_REGION = 5;
export const DEFAULT_ELASTIC_IPS_PER_REGION = 5;

interface Counted {
  readonly type: string;
  readonly what: string;
  readonly quota: (input: RehearsalInput) => number;
  /** Already used in a fresh account: the default VPC (and its internet gateway). */
  readonly preexisting: (input: RehearsalInput) => number;
}

const COUNTED: Counted[] = [
  {
    type: 'AWS::EC2::VPC',
    what: 'VPCs',
    quota: (i) => i.regionalQuotas?.vpcs ?? DEFAULT_VPCS_PER_REGION,
    preexisting: (i) => (i.regionalQuotas?.defaultVpc ?? true ? 1 : 0),
  },
  {
    type: 'AWS::EC2::InternetGateway',
    what: 'internet gateways',
    quota: (i) => i.regionalQuotas?.vpcs ?? DEFAULT_VPCS_PER_REGION,
    preexisting: (i) => (i.regionalQuotas?.defaultVpc ?? true ? 1 : 0),
  },
  {
    type: 'AWS::EC2::EIP',
    what: 'Elastic IP addresses',
    quota: (i) => i.regionalQuotas?.elasticIps ?? DEFAULT_ELASTIC_IPS_PER_REGION,
    preexisting: () => 0,
  },
];

/**
 * Per-region resources whose default quotas an app exceeds once all its stacks are deployed in
 * one account: the last stack to come fails (`VpcLimitExceeded`, `AddressLimitExceeded`). Counts
 * every stack of the assembly — nested stages included — per account and region, with the
 * default VPC a fresh account has. Declare raised quotas to check against them instead.
 */
export const RegionalQuota: RehearsalRule = {
  id: 'Rehearsal-RegionalQuota',
  description: 'The stacks of the app create more VPCs, internet gateways or Elastic IPs in one account and region than the default quotas allow '
    + `(${DEFAULT_VPCS_PER_REGION} VPCs with the default VPC, ${DEFAULT_ELASTIC_IPS_PER_REGION} Elastic IPs): the last stack to deploy fails. `
    + 'Request an increase and declare it (context cdk-scaleout:regionalQuotas), or spread the stacks over regions or accounts.',
  source: 'https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html',
  check(input: RehearsalInput): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const c of COUNTED) {
      const groups = new Map<string, Array<{ stack: RehearsalStack; logicalId: string }>>();
      for (const stack of input.stacks) {
        if (!stack.account || !stack.region) continue;
        for (const [logicalId, r] of resources(stack)) {
          if (r.Type !== c.type) continue;
          const key = `${stack.account}/${stack.region}`;
          groups.set(key, [...(groups.get(key) ?? []), { stack, logicalId }]);
        }
      }
      const quota = c.quota(input);
      const used = c.preexisting(input);
      for (const [env, list] of groups) {
        if (list.length + used <= quota) continue;
        const stacks = [...new Set(list.map((x) => x.stack.name))];
        for (const x of list) {
          findings.push({
            stack: x.stack,
            logicalId: x.logicalId,
            property: 'Type',
            value: c.type,
            message: `${list.length} ${c.what} in ${env}${used ? ` (+${used} default)` : ''} across ${stacks.join(', ')} exceed the quota of ${quota}: raise it before deploying them all, or spread them`,
          });
        }
      }
    }
    return findings;
  },
};
