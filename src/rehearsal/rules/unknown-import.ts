import { RawFinding, RehearsalInput, RehearsalRule } from '../model';
import { exportsOf, importsOf } from './exports';

export const UnknownImport: RehearsalRule = {
  id: 'Rehearsal-UnknownImport',
  description: 'Fn::ImportValue of a name that no stack of the assembly exports: the deploy fails unless a stack outside the app exports it first.',
  source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-importvalue.html',
  check(input: RehearsalInput): RawFinding[] {
    const names = new Set(exportsOf(input.stacks).map((e) => e.name));
    return importsOf(input.stacks).filter((imp) => !names.has(imp.name)).map((imp) => ({
      stack: imp.stack,
      logicalId: imp.logicalId,
      property: imp.property,
      value: imp.name,
      message: `imports '${imp.name}', which no stack of the assembly exports`,
    }));
  },
};
