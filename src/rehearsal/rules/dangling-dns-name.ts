import { RawFinding, RehearsalInput, RehearsalRule, RehearsalStack } from '../model';
import { resolveIn, resources } from '../resolve';
import { normalizeDns, recordSets } from './name-collision';

interface NameUse {
  readonly stack: RehearsalStack;
  readonly logicalId: string;
  readonly property: string;
  readonly name: string;
  readonly what: string;
}

/**
 * The domains the app manages: per hosted zone, the longest label suffix shared by every record
 * name the assembly creates in it (the zone apex or a subdomain of it — an under-estimate of
 * the zone, so names outside it are never judged).
 */
function managedDomains(input: RehearsalInput): { domains: string[]; created: Set<string> } {
  const byZone = new Map<string, string[][]>();
  const created = new Set<string>();
  for (const stack of input.stacks) {
    for (const [logicalId, r] of resources(stack)) {
      for (const rec of recordSets(stack, logicalId, r)) {
        created.add(rec.name);
        byZone.set(rec.zone, [...(byZone.get(rec.zone) ?? []), rec.name.split('.').reverse()]);
      }
    }
  }
  const domains: string[] = [];
  for (const names of byZone.values()) {
    const common: string[] = [];
    for (let i = 0; names.every((n) => i < n.length && n[i] === names[0][i]); i++) common.push(names[0][i]);
    // A single-label suffix ('com') would claim the whole TLD: not a zone the app manages.
    if (common.length >= 2) domains.push(common.reverse().join('.'));
  }
  return { domains, created };
}

/** The DNS names the assembly's resources need to resolve: CloudFront custom origins, Route 53 health-check targets. */
function nameUses(input: RehearsalInput): NameUse[] {
  const uses: NameUse[] = [];
  for (const stack of input.stacks) {
    for (const [logicalId, r] of resources(stack)) {
      const p = r.Properties ?? {};
      if (r.Type === 'AWS::CloudFront::Distribution') {
        const origins = ((p.DistributionConfig as Record<string, unknown> | undefined)?.Origins as Array<Record<string, unknown>> | undefined) ?? [];
        origins.forEach((o, i) => {
          const name = o.CustomOriginConfig ? resolveIn(stack, o.DomainName) : undefined;
          if (name) uses.push({ stack, logicalId, property: `Properties.DistributionConfig.Origins.${i}.DomainName`, name, what: `CloudFront origin '${resolveIn(stack, o.Id) ?? i}'` });
        });
      }
      if (r.Type === 'AWS::Route53::HealthCheck') {
        const name = resolveIn(stack, (p.HealthCheckConfig as Record<string, unknown> | undefined)?.FullyQualifiedDomainName);
        if (name) uses.push({ stack, logicalId, property: 'Properties.HealthCheckConfig.FullyQualifiedDomainName', name, what: 'the health check' });
      }
    }
  }
  return uses;
}

/**
 * A name the app relies on inside a domain it manages, that no stack creates: CloudFront cannot
 * resolve the origin (every request to it fails with 502) and the health check never passes.
 * Deploys succeed; the app does not work.
 */
export const DanglingDnsName: RehearsalRule = {
  id: 'Rehearsal-DanglingDnsName',
  description: 'A CloudFront custom origin or a Route 53 health check names a host in a domain whose records the app creates, '
    + 'but no stack creates a record for that host: CloudFront answers 502 for it and the health check stays unhealthy.',
  source: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#DownloadDistValuesDomainName',
  check(input: RehearsalInput): RawFinding[] {
    const { domains, created } = managedDomains(input);
    const findings: RawFinding[] = [];
    for (const use of nameUses(input)) {
      const name = normalizeDns(use.name);
      const domain = domains.find((d) => name === d || name.endsWith(`.${d}`));
      if (!domain || created.has(name)) continue;
      findings.push({
        stack: use.stack,
        logicalId: use.logicalId,
        property: use.property,
        value: use.name,
        message: `${use.what} needs '${use.name}', in ${domain} whose records this app creates, but no stack creates a record named so: create it (e.g. an alias to the load balancer) or fix the name`,
      });
    }
    return findings;
  },
};
