/**
 * Jest setup (setupFilesAfterEnv): a snapshot serializer for CloudFormation templates that
 * masks what changes without a change of intent — asset hashes, the hash part of Lambda
 * `CurrentVersion…` logical IDs (which are keys, so a string serializer would miss them), and the
 * release fingerprint derived from the asset hashes (deploy-time purge and origin-verify
 * revision). The fingerprint's behaviour has targeted tests.
 */
import type { Plugin } from 'pretty-format';

const MASKED = Symbol.for('cdk-scaleout:masked-template');

/** Masks asset hashes and `CurrentVersion` logical-ID hashes in a template's JSON. */
export function maskTemplateJson(json: string): string {
  return json
    .replace(/(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}/g, '$1[HASH]')
    .replace(/[0-9a-f]{64}/g, '[ASSET-HASH]')
    .replace(/("DeploymentId":)"[0-9a-f]{32}"/g, '$1"[RELEASE]"')
    .replace(/("Key":"cdk-scaleout:origin-verify-revision","Value":)"[0-9a-f]{32}"/g, '$1"[RELEASE]"');
}

/** Prints any object with `Resources` (a template) masked. */
export const templateSerializer: Plugin = {
  test: (val: unknown) =>
    typeof val === 'object' && val !== null && !(val as Record<symbol, unknown>)[MASKED] && 'Resources' in (val as object),
  serialize: (val, config, indentation, depth, refs, printer) => {
    const masked = JSON.parse(maskTemplateJson(JSON.stringify(val)));
    Object.defineProperty(masked, MASKED, { value: true, enumerable: false });
    return printer(masked, config, indentation, depth, refs);
  },
};

if (typeof expect !== 'undefined') {
  expect.addSnapshotSerializer(templateSerializer);
}
