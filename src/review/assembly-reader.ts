/**
 * Reads one side of a review: a cloud assembly (`cdk.out`, nested stage assemblies included)
 * or a folder of `*.template.json` files. CDK-free; used by the review CLI and library.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A template of one stack. */
export interface StackTemplate {
  /** Stack name (or template file name without `.template.json`). */
  readonly name: string;
  /** Region, when the assembly says. */
  readonly region?: string;
  /** The template. */
  readonly template: { Resources?: Record<string, TemplateResource>; [key: string]: unknown };
}

/** A resource of a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: Record<string, unknown>;
}

/** A finding of a validation plugin (cdk-nag and others). */
export interface ComplianceFinding {
  readonly plugin: string;
  readonly rule: string;
  readonly constructPath: string;
}

/** One side of the review. */
export interface AssemblySide {
  readonly stacks: Map<string, StackTemplate>;
  readonly findings: ComplianceFinding[];
}

/** A problem with the input: a clear message, no partial output. */
export class ReviewInputError extends Error {}

/** Reads a JSON file, with a clear error for a missing or malformed one. */
export function readJson(file: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e) {
    throw new ReviewInputError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ReviewInputError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Reads a cloud assembly or a folder of templates. */
export function readSide(dir: string): AssemblySide {
  if (!fs.existsSync(dir)) throw new ReviewInputError(`${dir} does not exist`);
  if (!fs.statSync(dir).isDirectory()) throw new ReviewInputError(`${dir} is not a directory`);
  const stacks = new Map<string, StackTemplate>();
  const findings: ComplianceFinding[] = [];
  if (fs.existsSync(path.join(dir, 'manifest.json'))) {
    readAssembly(dir, stacks, findings);
  } else {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json'));
    if (files.length === 0) {
      throw new ReviewInputError(`${dir} is neither a cloud assembly (no manifest.json) nor a folder of *.template.json files`);
    }
    for (const f of files.sort()) {
      const name = f.replace(/\.template\.json$/, '');
      stacks.set(name, { name, template: readJson(path.join(dir, f)) });
    }
    readFindings(dir, findings);
  }
  return { stacks, findings };
}

function readAssembly(dir: string, stacks: Map<string, StackTemplate>, findings: ComplianceFinding[]): void {
  const manifest = readJson(path.join(dir, 'manifest.json'));
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const file = path.join(dir, artifact.properties?.templateFile ?? `${id}.template.json`);
      const name = artifact.properties?.stackName ?? artifact.displayName ?? id;
      const region = /^aws:\/\/[^/]+\/(.+)$/.exec(artifact.environment ?? '')?.[1];
      stacks.set(name, { name, region: region && region !== 'unknown-region' ? region : undefined, template: readJson(file) });
    } else if (artifact.type === 'cdk:cloud-assembly') {
      readAssembly(path.join(dir, artifact.properties?.directoryName ?? id), stacks, findings);
    }
  }
  readFindings(dir, findings);
}

function readFindings(dir: string, findings: ComplianceFinding[]): void {
  const file = path.join(dir, 'validation-report.json');
  if (!fs.existsSync(file)) return;
  const report = readJson(file);
  for (const plugin of report.pluginReports ?? []) {
    for (const v of plugin.violations ?? []) {
      for (const c of v.violatingConstructs ?? []) {
        findings.push({ plugin: plugin.pluginName, rule: v.ruleName, constructPath: c.constructPath ?? '?' });
      }
    }
  }
}
