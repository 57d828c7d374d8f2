import { RawFinding, RehearsalInput, RehearsalRule } from '../model';
import { referencedId, resolveIn, resourcesOfType } from '../resolve';

export const SqsDeadLetterQueueType: RehearsalRule = {
  id: 'Rehearsal-SqsDeadLetterQueueType',
  description: 'The dead-letter queue of a FIFO queue must be a FIFO queue, and that of a standard queue a standard queue (checked when the RedrivePolicy points into the same template).',
  source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html',
  check(input: RehearsalInput): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const [stack, logicalId, r] of resourcesOfType(input, 'AWS::SQS::Queue')) {
      const isFifo = (p?: Record<string, unknown>) => String(resolveIn(stack, p?.FifoQueue)) === 'true';
      const target = (r.Properties?.RedrivePolicy as Record<string, unknown> | undefined)?.deadLetterTargetArn;
      const dlqId = referencedId(target);
      const dlq = dlqId ? stack.template.Resources?.[dlqId] : undefined;
      if (!dlq || dlq.Type !== 'AWS::SQS::Queue') continue;
      if (isFifo(r.Properties) === isFifo(dlq.Properties)) continue;
      findings.push({
        stack,
        logicalId,
        property: 'Properties.RedrivePolicy.deadLetterTargetArn',
        value: dlqId!,
        message: `${isFifo(r.Properties) ? 'FIFO' : 'standard'} queue ${logicalId} has the ${isFifo(dlq.Properties) ? 'FIFO' : 'standard'} queue ${dlqId} as dead-letter queue: both must be of the same type`,
      });
    }
    return findings;
  },
};
