import { RehearsalStack } from '../model';
import { resolveIn, walk } from '../resolve';

/** An export a stack declares. */
export interface ExportDecl {
  readonly stack: RehearsalStack;
  readonly output: string;
  readonly name: string;
}

/** An import a stack makes. */
export interface ImportUse {
  readonly stack: RehearsalStack;
  readonly logicalId: string;
  readonly property: string;
  readonly name: string;
}

/** Every export with a name known at synth. */
export function exportsOf(stacks: readonly RehearsalStack[]): ExportDecl[] {
  const out: ExportDecl[] = [];
  for (const stack of stacks) {
    for (const [output, o] of Object.entries(stack.template.Outputs ?? {})) {
      const name = o.Export ? resolveIn(stack, o.Export.Name) : undefined;
      if (name !== undefined) out.push({ stack, output, name });
    }
  }
  return out;
}

/** Every `Fn::ImportValue` with a name known at synth, in resources and outputs. */
export function importsOf(stacks: readonly RehearsalStack[]): ImportUse[] {
  const out: ImportUse[] = [];
  for (const stack of stacks) {
    const sections: Array<[string, Record<string, unknown> | undefined]> = [['Resources', stack.template.Resources as Record<string, unknown> | undefined], ['Outputs', stack.template.Outputs as Record<string, unknown> | undefined]];
    for (const [section, entries] of sections) {
      for (const [logicalId, body] of Object.entries(entries ?? {})) {
        walk(body, section === 'Outputs' ? `Outputs.${logicalId}` : '', (v, path) => {
          if (!v || typeof v !== 'object' || Array.isArray(v) || !('Fn::ImportValue' in v)) return;
          const name = resolveIn(stack, (v as Record<string, unknown>)['Fn::ImportValue']);
          if (name !== undefined) out.push({ stack, logicalId, property: path.replace(/^\./, ''), name });
        });
      }
    }
  }
  return out;
}
