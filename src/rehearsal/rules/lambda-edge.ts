import { RawFinding, RehearsalInput, RehearsalRule } from '../model';
import { resolveIn, show } from '../resolve';
import { edgeAssociations } from './edge-associations';

/** Lambda@Edge limits per event kind. */
export const EDGE_LIMITS = {
  viewer: { timeout: 5, memory: 128 },
  origin: { timeout: 30, memory: 10240 },
} as const;

/**
 * The runtimes AWS lists for Lambda@Edge that Lambda still lets a function be created with (the
 * page lists Node.js 6–22 and Python 3.7–3.13; Lambda blocks creating functions on runtimes past
 * their deprecation). Node.js 24, Lambda's newest, is not on the list.
 */
export const EDGE_RUNTIMES: readonly string[] = ['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13'];

export const LambdaEdge: RehearsalRule = {
  id: 'Rehearsal-LambdaEdge',
  description: 'A Lambda function associated with a CloudFront distribution (Lambda@Edge) must be a numbered version of a function in us-east-1 '
    + 'on a runtime Lambda@Edge supports, without layers, environment variables, VPC, dead-letter queue, x86_64 only, ephemeral storage 512 MB; '
    + 'viewer events: timeout ≤ 5 s, memory ≤ 128 MB; '
    + 'origin events: timeout ≤ 30 s, memory ≤ 10,240 MB.',
  source: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html',
  check(input: RehearsalInput): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const stack of input.stacks) {
      for (const a of edgeAssociations(stack)) {
        // (A custom resource, e.g. the SSM reader of a cross-region EdgeFunction, is not followed.)
        if (a.target && (a.target.Type === 'AWS::Lambda::Function' || a.target.Type === 'AWS::Lambda::Alias')) {
          findings.push({ stack, logicalId: a.distributionId, property: a.property, value: a.targetId!, message: `${a.eventType} association points at ${a.target.Type} ${a.targetId}: Lambda@Edge needs a numbered version` });
          continue;
        }
        if (a.arn) {
          const region = /^arn:[a-z-]+:lambda:([a-z0-9-]+):/.exec(a.arn)?.[1];
          if (region && region !== 'us-east-1') findings.push({ stack, logicalId: a.distributionId, property: a.property, value: a.arn, message: `${a.eventType} function is in ${region}: Lambda@Edge functions must be in us-east-1` });
          continue;
        }
        if (!a.fn || !a.functionId) continue;
        const p = a.fn.Properties ?? {};
        const id = a.functionId;
        const report = (property: string, value: unknown, message: string) => findings.push({ stack, logicalId: id, property, value: show(value), message: `${a.eventType} function ${id}: ${message}` });
        if (stack.region && stack.region !== 'us-east-1') report('Properties', stack.region, `is in ${stack.region}; Lambda@Edge functions must be in us-east-1`);
        const runtime = resolveIn(stack, p.Runtime);
        if (typeof runtime === 'string' && !EDGE_RUNTIMES.includes(runtime)) {
          report('Properties.Runtime', runtime, `runtime ${runtime} is not one Lambda@Edge supports (${EDGE_RUNTIMES.join(', ')})`);
        }
        if (Array.isArray(p.Layers) && p.Layers.length) report('Properties.Layers', p.Layers, 'has layers (not supported at the edge)');
        const vars = (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
        if (vars && Object.keys(vars).length) report('Properties.Environment.Variables', Object.keys(vars).join(', '), 'has environment variables (not supported at the edge)');
        if (p.VpcConfig) report('Properties.VpcConfig', p.VpcConfig, 'is in a VPC (not supported at the edge)');
        if (p.DeadLetterConfig) report('Properties.DeadLetterConfig', p.DeadLetterConfig, 'has a dead-letter queue (not supported at the edge)');
        const storage = resolveIn(stack, (p.EphemeralStorage as { Size?: unknown } | undefined)?.Size);
        if (storage !== undefined && Number(storage) !== 512) report('Properties.EphemeralStorage.Size', storage, 'ephemeral storage must be 512 MB at the edge');
        const arch = ((p.Architectures as unknown[] | undefined) ?? []).map((x) => resolveIn(stack, x));
        if (arch.some((x) => x !== 'x86_64')) report('Properties.Architectures', arch.join(', '), 'Lambda@Edge supports x86_64 only');
        const limits = a.viewer ? EDGE_LIMITS.viewer : EDGE_LIMITS.origin;
        const timeout = Number(resolveIn(stack, p.Timeout) ?? 3);
        const memory = Number(resolveIn(stack, p.MemorySize) ?? 128);
        if (timeout > limits.timeout) report('Properties.Timeout', timeout, `timeout ${timeout} s exceeds ${limits.timeout} s for ${a.viewer ? 'viewer' : 'origin'} events`);
        if (memory > limits.memory) report('Properties.MemorySize', memory, `memory ${memory} MB exceeds ${limits.memory} MB for ${a.viewer ? 'viewer' : 'origin'} events`);
      }
    }
    return dedupe(findings);
  },
};

function dedupe<T extends { logicalId: string; property: string; message: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((f) => {
    const k = `${f.logicalId}|${f.property}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
