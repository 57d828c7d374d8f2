import { RawFinding, RehearsalInput, RehearsalRule } from '../model';
import { resolveIn, resourcesOfType } from '../resolve';

export const SqsQueueName: RehearsalRule = {
  id: 'Rehearsal-SqsQueueName',
  description: 'An SQS QueueName has at most 80 characters (the .fifo suffix included) of [A-Za-z0-9_-], and ends with .fifo if and only if FifoQueue is true.',
  source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-queues.html',
  check(input: RehearsalInput): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const [stack, logicalId, r] of resourcesOfType(input, 'AWS::SQS::Queue')) {
      const name = resolveIn(stack, r.Properties?.QueueName);
      if (name === undefined) continue;
      const fifo = String(resolveIn(stack, r.Properties?.FifoQueue)) === 'true';
      const problems: string[] = [];
      if (name.length > 80) problems.push(`has ${name.length} characters (at most 80, .fifo included)`);
      if (!/^[A-Za-z0-9_-]+$/.test(name.replace(/\.fifo$/, ''))) problems.push('may contain only letters, digits, hyphens and underscores');
      if (fifo && !name.endsWith('.fifo')) problems.push('must end with .fifo for a FIFO queue');
      if (!fifo && name.endsWith('.fifo')) problems.push('ends with .fifo but FifoQueue is not true');
      for (const p of problems) findings.push({ stack, logicalId, property: 'Properties.QueueName', value: name, message: `QueueName '${name}' ${p}` });
    }
    return findings;
  },
};
