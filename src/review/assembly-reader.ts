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
  /** Account, when the assembly says. */
  readonly account?: string;
  /** Construct path of each logical id (from the stack's metadata or the template's `aws:cdk:path`). */
  readonly paths?: Map<string, string>;
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

/** A compliance acknowledgement recorded in the assembly (cdk-nag 3: `aws:cdk:acknowledged-rules` metadata). */
export interface ComplianceAcknowledgement {
  readonly stack: string;
  readonly constructPath: string;
  readonly rule: string;
  readonly reason: string;
}

/** One side of the review. */
export interface AssemblySide {
  readonly stacks: Map<string, StackTemplate>;
  readonly findings: ComplianceFinding[];
  /** Acknowledged compliance rules, with their reasons. */
  readonly acknowledgements?: ComplianceAcknowledgement[];
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
  const acknowledgements: ComplianceAcknowledgement[] = [];
  if (fs.existsSync(path.join(dir, 'manifest.json'))) {
    readAssembly(dir, stacks, findings, acknowledgements);
  } else {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json'));
    if (files.length === 0) {
      throw new ReviewInputError(`${dir} is neither a cloud assembly (no manifest.json) nor a folder of *.template.json files`);
    }
    for (const f of files.sort()) {
      const name = f.replace(/\.template\.json$/, '');
      const template = readJson(path.join(dir, f));
      stacks.set(name, { name, template, paths: templatePaths(template), account: inferAccount(template) });
    }
    readFindings(dir, findings);
  }
  return { stacks, findings, acknowledgements };
}

/** A folder of templates names no account: the one most ARN fragments of the template carry (CDK writes it into env-specific stacks). */
function inferAccount(template: StackTemplate['template']): string | undefined {
  const counts = new Map<string, number>();
  for (const m of JSON.stringify(template).matchAll(/:(\d{12}):/g)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function templatePaths(template: StackTemplate['template']): Map<string, string> {
  const paths = new Map<string, string>();
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const p = r?.Metadata?.['aws:cdk:path'];
    if (typeof p === 'string') paths.set(id, p);
  }
  return paths;
}

/** Reads `aws:cdk:logicalId` (paths) and `aws:cdk:acknowledged-rules` entries of a stack's metadata. */
function readMetadata(artifact: any, dir: string, stack: string, paths: Map<string, string>, acks: ComplianceAcknowledgement[]): void {
  const entries: Record<string, Array<{ type: string; data: unknown }>> = { ...(artifact.metadata ?? {}) };
  const extra = artifact.additionalMetadataFile ? path.join(dir, artifact.additionalMetadataFile) : undefined;
  if (extra && fs.existsSync(extra)) Object.assign(entries, readJson(extra));
  for (const [constructPath, list] of Object.entries(entries)) {
    for (const e of list ?? []) {
      if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') paths.set(e.data, constructPath.replace(/^\//, ''));
      if (e.type === 'aws:cdk:acknowledged-rules' && e.data && typeof e.data === 'object') {
        for (const [rule, reason] of Object.entries(e.data as Record<string, unknown>)) {
          acks.push({ stack, constructPath: constructPath.replace(/^\//, ''), rule: rule.replace(/^Annotation::/, ''), reason: String(reason) });
        }
      }
    }
  }
}

function readAssembly(dir: string, stacks: Map<string, StackTemplate>, findings: ComplianceFinding[], acks: ComplianceAcknowledgement[]): void {
  const manifest = readJson(path.join(dir, 'manifest.json'));
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const file = path.join(dir, artifact.properties?.templateFile ?? `${id}.template.json`);
      const name = artifact.properties?.stackName ?? artifact.displayName ?? id;
      const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
      const region = env?.[2];
      const account = env?.[1];
      const template = readJson(file);
      const paths = templatePaths(template);
      readMetadata(artifact, dir, name, paths, acks);
      stacks.set(name, {
        name,
        region: region && region !== 'unknown-region' ? region : undefined,
        account: account && /^\d{12}$/.test(account) ? account : undefined,
        template,
        paths,
      });
    } else if (artifact.type === 'cdk:cloud-assembly') {
      readAssembly(path.join(dir, artifact.properties?.directoryName ?? id), stacks, findings, acks);
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
