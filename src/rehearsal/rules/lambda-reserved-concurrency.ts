import { RawFinding, RehearsalInput, RehearsalRule, RehearsalStack } from '../model';
import { resolveIn, resourcesOfType } from '../resolve';

/** Lambda keeps this much of the account's concurrency unreserved. */
export const UNRESERVED_MINIMUM = 100;

export const LambdaReservedConcurrency: RehearsalRule = {
  id: 'Rehearsal-LambdaReservedConcurrency',
  description: 'Lambda ReservedConcurrentExecutions must leave 100 of the account\'s regional concurrency unreserved. New accounts start '
    + 'with a reduced concurrency quota (as low as 10), so any reservation fails there; declare the account\'s quota '
    + '(lambdaConcurrencyQuota / context cdk-scaleout:lambdaConcurrencyQuota) to check the sum per account and region instead.',
  source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
  check(input: RehearsalInput): RawFinding[] {
    const groups = new Map<string, Array<{ stack: RehearsalStack; logicalId: string; value: number }>>();
    for (const [stack, logicalId, r] of resourcesOfType(input, 'AWS::Lambda::Function')) {
      const raw = resolveIn(stack, r.Properties?.ReservedConcurrentExecutions);
      const value = raw === undefined ? NaN : Number(raw);
      if (!(value > 0)) continue; // 0 reserves nothing (it throttles the function).
      const key = `${stack.account ?? '?'}/${stack.region ?? '?'}`;
      groups.set(key, [...(groups.get(key) ?? []), { stack, logicalId, value }]);
    }
    const findings: RawFinding[] = [];
    const quota = input.lambdaConcurrencyQuota;
    for (const [env, fns] of groups) {
      const sum = fns.reduce((n, f) => n + f.value, 0);
      if (quota !== undefined && sum <= quota - UNRESERVED_MINIMUM) continue;
      for (const f of fns) {
        findings.push({
          stack: f.stack,
          logicalId: f.logicalId,
          property: 'Properties.ReservedConcurrentExecutions',
          value: String(f.value),
          message: quota === undefined
            ? `reserves ${f.value} concurrent executions: fails in an account whose concurrency quota is below ${sum + UNRESERVED_MINIMUM} (new accounts have 10); declare the quota to check it`
            : `reservations in ${env} sum to ${sum}, more than the declared quota ${quota} minus the ${UNRESERVED_MINIMUM} Lambda keeps unreserved`,
        });
      }
    }
    return findings;
  },
};
