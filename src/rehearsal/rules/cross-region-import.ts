import { RawFinding, RehearsalInput, RehearsalRule } from '../model';
import { exportsOf, importsOf } from './exports';

export const CrossRegionImport: RehearsalRule = {
  id: 'Rehearsal-CrossRegionImport',
  description: 'Fn::ImportValue of an export that only a stack in another region or account declares: '
    + 'CloudFormation imports only values exported in the same account and region.',
  source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-importvalue.html',
  check(input: RehearsalInput): RawFinding[] {
    if (!input.fromManifest) return [];
    const exports = exportsOf(input.stacks);
    const findings: RawFinding[] = [];
    for (const imp of importsOf(input.stacks)) {
      const same = exports.filter((e) => e.name === imp.name && e.stack.account === imp.stack.account && e.stack.region === imp.stack.region);
      const elsewhere = exports.filter((e) => e.name === imp.name && !same.includes(e));
      if (same.length || !elsewhere.length) continue;
      findings.push({
        stack: imp.stack,
        logicalId: imp.logicalId,
        property: imp.property,
        value: imp.name,
        message: `imports '${imp.name}' in ${imp.stack.account ?? '?'}/${imp.stack.region ?? '?'}, but it is exported only by `
          + elsewhere.map((e) => `${e.stack.name} (${e.stack.account ?? '?'}/${e.stack.region ?? '?'})`).join(', '),
      });
    }
    return findings;
  },
};
