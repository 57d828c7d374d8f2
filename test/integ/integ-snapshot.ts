/**
 * Integ snapshots without integ-runner: each integ app (`test/integ/integ.<name>.ts`) is
 * synthesized as the CDK CLI runs it, and its templates are compared with the committed ones in
 * integ-runner's layout, `integ.<name>.ts.snapshot/` (the app's cloud assembly: `<stack>.template.json`,
 * the stage's stacks under `assembly-<stage>/`, and `integ.json`, the test cases).
 *
 * Why not integ-runner itself: the registry's newest @aws-cdk/integ-runner, 2.197.10, bundles
 * @aws-cdk/cloud-assembly-schema 53 into its code (so no npm `overrides` reaches it) and has no
 * switch that skips its manifest version check. On aws-cdk-lib 2.276's assemblies (schema 55),
 * `integ-runner --dry-run` fails on the snapshot with `ManifestLoadingError: Failed to load integ
 * manifest '…/integ.json': Cloud assembly schema version mismatch: Maximum schema version
 * supported is 53.x.x, but found 55.0.0`, and without a snapshot it fails on the app's own
 * assembly with `AssemblyVersionMismatch`. Once an integ-runner reads schema 55, run it instead
 * (README, "Integration tests") and delete this file, update-snapshots.ts and the snapshot test.
 *
 * Differences from integ-runner's snapshots: only the templates and integ.json are kept (no
 * asset manifests, tree.json or asset directories), and asset hashes, Lambda `CurrentVersion`
 * hashes and the release fingerprint are masked as in the unit tests' snapshots (test/setup.ts),
 * so a change to a handler's or the service's code alone does not touch them; so is the
 * assertions' `salt` (the synth time).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { maskTemplateJson } from '../setup';

const ROOT = path.join(__dirname, '..', '..');

/** How to rewrite the snapshots on purpose (named in every failure). */
export const UPDATE_COMMAND = 'npx projen integ:update';

/** The integ apps, as integ-runner discovers them for TypeScript: `integ.*.ts` in test/integ. */
export function integApps(): string[] {
  return fs.readdirSync(__dirname).filter((f) => /^integ\..+\.ts$/.test(f) && !f.endsWith('.d.ts')).sort();
}

/** The committed snapshot directory of an integ app. */
export const snapshotDir = (app: string) => path.join(__dirname, `${app}.snapshot`);

export interface SynthOptions {
  /**
   * aws-cdk-lib's CloudFormation schema validation at synth (about 3 s of CPU per app).
   *
   * @default true
   */
  readonly validation?: boolean;
}

/**
 * Runs an integ app as the CLI does (CDK_OUTDIR), with no AWS credentials, profile or
 * `INTEG_*` variables; returns the output directory (the caller removes it).
 */
export function synthIntegApp(app: string, options: SynthOptions = {}): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: outdir,
    CDK_OUTDIR: outdir,
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_VALIDATION: options.validation === false ? 'false' : 'true',
  };
  const result = spawnSync(process.execPath, ['-r', 'esbuild-register', path.join(__dirname, app)], { cwd: ROOT, env, encoding: 'utf-8' });
  if (result.status !== 0) {
    fs.rmSync(outdir, { recursive: true, force: true });
    throw new Error(`${app} failed (exit ${result.status}):\n${result.stderr}`);
  }
  return outdir;
}

/** The snapshot's files of an assembly (templates, nested assemblies' included, and integ.json) and their contents. */
export function snapshotFiles(outdir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(outdir, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (dir === outdir && entry.name.startsWith('assembly-')) walk(full); // a stage's nested assembly
      } else if (entry.name.endsWith('.template.json') || rel === 'integ.json') {
        files.set(rel, render(fs.readFileSync(full, 'utf-8')));
      }
    }
  };
  walk(outdir);
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * A template as committed: masked (test/setup.ts's masks, on compact JSON, and the assertions'
 * `salt`, the synth time, which makes them run on every deploy), one-space indentation as the CDK
 * writes templates, final newline.
 */
function render(json: string): string {
  const masked = maskTemplateJson(JSON.stringify(JSON.parse(json))).replace(/("salt":)"\d+"/g, '$1"[SALT]"');
  return `${JSON.stringify(JSON.parse(masked), null, 1)}\n`;
}

/** Replaces an app's snapshot with the given files. */
export function writeSnapshot(app: string, files: Map<string, string>): void {
  const dir = snapshotDir(app);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [rel, content] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
}

/**
 * What differs between an app's synthesized files and its committed snapshot: missing, extra and
 * changed files, each change as CloudFormation diff (the CDK CLI's diff engine). Empty when equal.
 */
export function snapshotDifferences(app: string, files: Map<string, string>): string[] {
  const dir = snapshotDir(app);
  const committed = new Map<string, string>();
  if (fs.existsSync(dir)) {
    const walk = (d: string) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else committed.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf-8'));
      }
    };
    walk(dir);
  }
  const problems: string[] = [];
  if (committed.size === 0) return [`no snapshot: ${path.relative(ROOT, dir)}/ is missing`];
  for (const [rel, content] of files) {
    const old = committed.get(rel);
    if (old === undefined) problems.push(`${rel}: new (not in the snapshot)`);
    else if (old !== content) problems.push(`${rel}: changed\n${describeChange(old, content)}`);
  }
  for (const rel of committed.keys()) if (!files.has(rel)) problems.push(`${rel}: in the snapshot, no longer synthesized`);
  return problems;
}

/** A template change as the CLI's `cdk diff` shows it; other files line by line. */
function describeChange(old: string, now: string): string {
  const before = JSON.parse(old);
  const after = JSON.parse(now);
  if (before.Resources || after.Resources) {
    // Loaded on failure only: the diff engine and its resource spec take a while to load.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { fullDiff, formatDifferences } = require('@aws-cdk/cloudformation-diff') as typeof import('@aws-cdk/cloudformation-diff');
    const diff = fullDiff(before, after);
    if (!diff.isEmpty) {
      let text = '';
      formatDifferences({ write: (chunk: string) => { text += chunk; return true; } } as unknown as NodeJS.WritableStream, diff);
      // eslint-disable-next-line no-control-regex
      return truncate(text.replace(/\x1b\[[0-9;]*m/g, ''));
    }
  }
  const a = old.split('\n');
  const b = now.split('\n');
  const lines: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) lines.push(`  line ${i + 1}: - ${a[i] ?? ''}\n  line ${i + 1}: + ${b[i] ?? ''}`);
  }
  return truncate(lines.join('\n'));
}

const truncate = (text: string, max = 60) => {
  const lines = text.trimEnd().split('\n');
  return lines.length > max ? [...lines.slice(0, max), `  … ${lines.length - max} more lines`].join('\n') : lines.join('\n');
};
