import { FARGATE_TASK_SIZES, describeMemoryFor } from '../../service/private/fargate-sizes';
import { RawFinding, RehearsalInput, RehearsalRule } from '../model';
import { resolveIn, resourcesOfType } from '../resolve';

/** CPU units or MiB from a task definition value ("1024", "1 vCPU", "2 GB"). */
export function parseSize(value: string, unit: 'vcpu' | 'gb'): number | undefined {
  const n = /^\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  if (n) return Number(n[1]);
  const m = unit === 'vcpu' ? /^\s*(\d+(?:\.\d+)?)\s*vcpu\s*$/i.exec(value) : /^\s*(\d+(?:\.\d+)?)\s*gb\s*$/i.exec(value);
  return m ? Number(m[1]) * 1024 : undefined;
}

export const FargateTaskSize: RehearsalRule = {
  id: 'Rehearsal-FargateTaskSize',
  description: 'A Fargate task definition (RequiresCompatibilities FARGATE) must use one of the supported task CPU / memory pairs.',
  source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size',
  check(input: RehearsalInput): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const [stack, logicalId, r] of resourcesOfType(input, 'AWS::ECS::TaskDefinition')) {
      const compat = (r.Properties?.RequiresCompatibilities as unknown[] | undefined) ?? [];
      if (!compat.some((c) => resolveIn(stack, c) === 'FARGATE')) continue;
      const cpuRaw = resolveIn(stack, r.Properties?.Cpu);
      const memRaw = resolveIn(stack, r.Properties?.Memory);
      if (cpuRaw === undefined || memRaw === undefined) {
        if (r.Properties?.Cpu === undefined || r.Properties?.Memory === undefined) {
          findings.push({ stack, logicalId, property: r.Properties?.Cpu === undefined ? 'Properties.Cpu' : 'Properties.Memory', value: '(absent)', message: 'a Fargate task definition needs task-level Cpu and Memory' });
        }
        continue;
      }
      const cpu = parseSize(cpuRaw, 'vcpu');
      const mem = parseSize(memRaw, 'gb');
      const allowed = cpu === undefined ? undefined : FARGATE_TASK_SIZES.get(cpu);
      if (!allowed) {
        findings.push({ stack, logicalId, property: 'Properties.Cpu', value: cpuRaw, message: `Cpu ${cpuRaw} is not a Fargate task size (${[...FARGATE_TASK_SIZES.keys()].join(', ')})` });
      } else if (mem === undefined || !allowed.includes(mem)) {
        findings.push({ stack, logicalId, property: 'Properties.Memory', value: memRaw, message: `Memory ${memRaw} is not allowed with Cpu ${cpuRaw} on Fargate (allowed: ${describeMemoryFor(cpu!)})` });
      }
    }
    return findings;
  },
};
