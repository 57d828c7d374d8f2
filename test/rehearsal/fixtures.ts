/** Small synthetic cloud assemblies for the rehearsal tests: manifest.json + templates in a temp dir. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeployRehearsal, RehearsalFinding } from '../../src/rehearsal/deploy-rehearsal';

export const ACCOUNT = '111111111111';

/** A stack of a fake assembly. */
export interface FakeStack {
  readonly id: string;
  /** @default 'eu-west-1' */
  readonly region?: string;
  /** @default ACCOUNT */
  readonly account?: string;
  readonly resources?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly dependsOn?: string[];
  /** objectKey → asset source path (relative to the assembly dir) */
  readonly assets?: Record<string, string>;
}

/** A fake assembly: root stacks and nested stage assemblies. */
export interface FakeAssembly {
  readonly stacks?: FakeStack[];
  readonly stages?: Record<string, FakeStack[]>;
}

function writeDir(dir: string, stacks: FakeStack[], stages: Record<string, FakeStack[]> = {}): void {
  fs.mkdirSync(dir, { recursive: true });
  const artifacts: Record<string, unknown> = {};
  for (const s of stacks) {
    fs.writeFileSync(path.join(dir, `${s.id}.template.json`), JSON.stringify({ Resources: s.resources ?? {}, ...(s.outputs ? { Outputs: s.outputs } : {}) }));
    const deps = [...(s.dependsOn ?? [])];
    if (s.assets) {
      const files: Record<string, unknown> = {};
      for (const [key, src] of Object.entries(s.assets)) {
        files[key] = { source: { path: src, packaging: fs.existsSync(path.join(dir, src)) && fs.statSync(path.join(dir, src)).isDirectory() ? 'zip' : 'file' }, destinations: { d: { bucketName: 'b', objectKey: key } } };
      }
      fs.writeFileSync(path.join(dir, `${s.id}.assets.json`), JSON.stringify({ version: '1', files }));
      artifacts[`${s.id}.assets`] = { type: 'cdk:asset-manifest', properties: { file: `${s.id}.assets.json` } };
      deps.push(`${s.id}.assets`);
    }
    artifacts[s.id] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://${s.account ?? ACCOUNT}/${s.region ?? 'eu-west-1'}`,
      properties: { templateFile: `${s.id}.template.json`, stackName: s.id },
      dependencies: deps,
      displayName: s.id,
    };
  }
  for (const [stage, nested] of Object.entries(stages)) {
    writeDir(path.join(dir, `assembly-${stage}`), nested);
    artifacts[`assembly-${stage}`] = { type: 'cdk:cloud-assembly', properties: { directoryName: `assembly-${stage}`, displayName: stage } };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '40.0.0', artifacts }));
}

/** Writes the assembly into a fresh temp dir and returns the dir. */
export function writeAssembly(assembly: FakeAssembly, prepare?: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearsal-'));
  prepare?.(dir);
  writeDir(dir, assembly.stacks ?? [], assembly.stages);
  return dir;
}

/** Options of `findings`. */
export interface FindingsOptions {
  readonly ruleId?: string;
  readonly quota?: number;
  readonly prepare?: (dir: string) => void;
}

/** Rehearses the assembly and returns the findings of `ruleId` (all when omitted). */
export function findings(assembly: FakeAssembly, options: FindingsOptions = {}): RehearsalFinding[] {
  const dir = writeAssembly(assembly, options.prepare);
  const report = DeployRehearsal.run({ assemblyDir: dir, lambdaConcurrencyQuota: options.quota });
  return report.findings.filter((f) => !options.ruleId || f.ruleId === options.ruleId);
}

/** `logicalId@stack property` of each finding, sorted, for compact assertions. */
export function where(list: RehearsalFinding[]): string[] {
  return list.map((f) => `${f.logicalId}@${f.stack} ${f.property}`).sort();
}

/** A resource. */
export function res(Type: string, Properties: Record<string, unknown> = {}): { Type: string; Properties: Record<string, unknown> } {
  return { Type, Properties };
}

/** `Fn::Join` of parts. */
export function join(...parts: unknown[]): unknown {
  return { 'Fn::Join': ['', parts] };
}
