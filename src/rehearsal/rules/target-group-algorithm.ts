import { RawFinding, RehearsalInput, RehearsalRule } from '../model';
import { resolveIn, resourcesOfType } from '../resolve';

export const TargetGroupAlgorithm: RehearsalRule = {
  id: 'Rehearsal-TargetGroupAlgorithm',
  description: 'ELBv2 target group attributes: weighted_random cannot be combined with sticky sessions, and slow start is supported only with round_robin.',
  source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#modify-routing-algorithm',
  check(input: RehearsalInput): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const [stack, logicalId, r] of resourcesOfType(input, 'AWS::ElasticLoadBalancingV2::TargetGroup')) {
      const attrs = new Map<string, [string, number]>();
      ((r.Properties?.TargetGroupAttributes as Array<{ Key?: unknown; Value?: unknown }> | undefined) ?? []).forEach((a, i) => {
        const k = resolveIn(stack, a.Key);
        const v = resolveIn(stack, a.Value);
        if (k !== undefined && v !== undefined) attrs.set(k, [v, i]);
      });
      const [algorithm, ai] = attrs.get('load_balancing.algorithm.type') ?? ['round_robin', -1];
      const property = (i: number) => `Properties.TargetGroupAttributes.${i}.Value`;
      const sticky = attrs.get('stickiness.enabled');
      if (algorithm === 'weighted_random' && sticky?.[0] === 'true') {
        findings.push({ stack, logicalId, property: property(sticky[1]), value: 'true', message: 'stickiness.enabled is true with load_balancing.algorithm.type weighted_random: not supported together' });
      }
      const slow = attrs.get('slow_start.duration_seconds');
      if (slow && Number(slow[0]) > 0 && (algorithm === 'least_outstanding_requests' || algorithm === 'weighted_random')) {
        findings.push({ stack, logicalId, property: property(ai), value: algorithm, message: `slow_start.duration_seconds ${slow[0]} with load_balancing.algorithm.type ${algorithm}: slow start works only with round_robin` });
      }
    }
    return findings;
  },
};
