/**
 * Reads the stacks of a cloud assembly for the rehearsal: nested stage assemblies included, with
 * each stack's account, region, artifact id, template path, `dependencies` and file assets from
 * manifest.json and its `*.assets.json`. A folder of `*.template.json` files is read too (no
 * environments, no dependencies). CDK-free.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CfnTemplate, RehearsalStack, StackAsset } from './model';
import { readJson, ReviewInputError } from '../review/assembly-reader';


/** The stacks of `dir` (a cloud assembly or a folder of templates) and whether a manifest described them. */
export function readAssemblyStacks(dir: string): { stacks: RehearsalStack[]; fromManifest: boolean } {
  if (!fs.existsSync(dir)) throw new ReviewInputError(`${dir} does not exist`);
  if (!fs.statSync(dir).isDirectory()) throw new ReviewInputError(`${dir} is not a directory`);
  const abs = path.resolve(dir);
  if (fs.existsSync(path.join(abs, 'manifest.json'))) {
    const stacks: RehearsalStack[] = [];
    readManifestDir(abs, true, stacks);
    return { stacks, fromManifest: true };
  }
  const files = fs.readdirSync(abs).filter((f) => f.endsWith('.template.json')).sort();
  if (files.length === 0) {
    throw new ReviewInputError(`${dir} is neither a cloud assembly (no manifest.json) nor a folder of *.template.json files`);
  }
  return {
    fromManifest: false,
    stacks: files.map((f) => {
      const templatePath = path.join(abs, f);
      const name = f.replace(/\.template\.json$/, '');
      return { key: `${abs}#${name}`, artifactId: name, name, templatePath, template: readJson(templatePath) as CfnTemplate, dependencies: [], assets: new Map() };
    }),
  };
}

/**
 * The stacks whose templates are `templatePaths` (what a validation plugin is given): each
 * template's folder holds the manifest.json of its (nested) assembly.
 */
export function readStacksOfTemplates(templatePaths: readonly string[]): RehearsalStack[] {
  const wanted = new Set(templatePaths.map((p) => path.resolve(p)));
  const stacks: RehearsalStack[] = [];
  for (const dir of [...new Set([...wanted].map((p) => path.dirname(p)))].sort()) {
    if (fs.existsSync(path.join(dir, 'manifest.json'))) readManifestDir(dir, false, stacks);
  }
  const found = stacks.filter((s) => wanted.has(s.templatePath));
  // Templates that no manifest lists are still checked, without environment or dependencies.
  const listed = new Set(found.map((s) => s.templatePath));
  for (const p of [...wanted].filter((x) => !listed.has(x)).sort()) {
    const name = path.basename(p).replace(/\.template\.json$/, '');
    found.push({ key: `${p}#${name}`, artifactId: name, name, templatePath: p, template: readJson(p) as CfnTemplate, dependencies: [], assets: new Map() });
  }
  return found;
}

function parseEnvironment(env: unknown): { account?: string; region?: string } {
  const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(typeof env === 'string' ? env : '');
  if (!m) return {};
  return {
    account: m[1] === 'unknown-account' ? undefined : m[1],
    region: m[2] === 'unknown-region' ? undefined : m[2],
  };
}

function readManifestDir(dir: string, recursive: boolean, out: RehearsalStack[]): void {
  const manifest = readJson(path.join(dir, 'manifest.json'));
  const artifacts = Object.entries<any>(manifest.artifacts ?? {});
  const assetsOf = new Map<string, Map<string, StackAsset>>();
  for (const [id, artifact] of artifacts) {
    if (artifact.type !== 'cdk:asset-manifest') continue;
    const file = path.join(dir, artifact.properties?.file ?? `${id}.json`);
    const assets = new Map<string, StackAsset>();
    if (fs.existsSync(file)) {
      const m = readJson(file);
      for (const entry of Object.values<any>(m.files ?? {})) {
        const sourcePath = entry.source?.path ? path.resolve(dir, entry.source.path) : undefined;
        if (!sourcePath) continue;
        for (const dest of Object.values<any>(entry.destinations ?? {})) {
          if (typeof dest.objectKey === 'string') assets.set(dest.objectKey, { objectKey: dest.objectKey, sourcePath, packaging: entry.source.packaging ?? 'file' });
        }
      }
    }
    assetsOf.set(id, assets);
  }
  for (const [id, artifact] of artifacts) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const templatePath = path.join(dir, artifact.properties?.templateFile ?? `${id}.template.json`);
      const deps: string[] = (artifact.dependencies ?? []).filter((d: string) => manifest.artifacts?.[d]?.type === 'aws:cloudformation:stack');
      const assets = new Map<string, StackAsset>();
      for (const d of artifact.dependencies ?? []) for (const [k, v] of assetsOf.get(d) ?? []) assets.set(k, v);
      out.push({
        key: `${dir}#${id}`,
        artifactId: id,
        name: artifact.properties?.stackName ?? artifact.displayName ?? id,
        displayName: artifact.displayName,
        ...parseEnvironment(artifact.environment),
        templatePath,
        template: readJson(templatePath) as CfnTemplate,
        dependencies: deps.map((d) => `${dir}#${d}`),
        assets,
      });
    } else if (artifact.type === 'cdk:cloud-assembly' && recursive) {
      readManifestDir(path.join(dir, artifact.properties?.directoryName ?? id), true, out);
    }
  }
}
