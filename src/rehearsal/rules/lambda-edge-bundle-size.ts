import * as fs from 'fs';
import * as path from 'path';
import { RawFinding, RehearsalInput, RehearsalRule } from '../model';
import { resolveIn } from '../resolve';
import { edgeAssociations } from './edge-associations';

/** Bundle size limits of Lambda@Edge (bytes). */
export const EDGE_BUNDLE_LIMITS = { viewer: 1024 * 1024, origin: 50 * 1024 * 1024 } as const;

/** Total bytes of a file or a folder (an upper bound of its zipped size). */
export function diskSize(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((n, f) => n + diskSize(path.join(p, f)), 0);
}

export const LambdaEdgeBundleSize: RehearsalRule = {
  id: 'Rehearsal-LambdaEdgeBundleSize',
  description: 'The code of a Lambda@Edge function must be at most 1 MB for viewer events and 50 MB for origin events. '
    + 'Measured on the asset in the assembly: a file\'s size, or a folder\'s total bytes (an upper bound of the zip CloudFront sees).',
  source: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-lambda-at-edge',
  check(input: RehearsalInput): RawFinding[] {
    const findings: RawFinding[] = [];
    const seen = new Set<string>();
    for (const stack of input.stacks) {
      for (const a of edgeAssociations(stack)) {
        if (!a.fn || !a.functionId) continue;
        const key = resolveIn(stack, (a.fn.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key);
        const asset = key ? stack.assets.get(key) : undefined;
        if (!asset || !fs.existsSync(asset.sourcePath)) continue;
        const size = diskSize(asset.sourcePath);
        const limit = a.viewer ? EDGE_BUNDLE_LIMITS.viewer : EDGE_BUNDLE_LIMITS.origin;
        const id = `${stack.key}|${a.functionId}|${a.viewer}`;
        if (size <= limit || seen.has(id)) continue;
        seen.add(id);
        const isDir = fs.statSync(asset.sourcePath).isDirectory();
        findings.push({
          stack,
          logicalId: a.functionId,
          property: 'Properties.Code.S3Key',
          value: key!,
          message: `${a.eventType} function code is ${size} bytes${isDir ? ' (total of the asset folder, an upper bound of the zip)' : ''}, over the ${limit / 1024 / 1024} MB Lambda@Edge limit for ${a.viewer ? 'viewer' : 'origin'} events`,
        });
      }
    }
    return findings;
  },
};
