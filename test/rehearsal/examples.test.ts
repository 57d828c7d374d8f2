import { buildExamples } from '../../examples/examples';
import { DeployRehearsal } from '../../src/rehearsal/deploy-rehearsal';
import { testApp } from '../util';

describe('deploy rehearsal of the examples', () => {
  // Skipped until the examples' deploy defects are fixed on main (physical names shared between
  // stages, Route 53 aliases to regional records without a stack dependency, partial secret ARNs
  // in the secondary regions' task definitions, reserved Lambda concurrency). Un-skip it then.
  it.skip('GIVEN every example stage WHEN synthesized and rehearsed THEN nothing would fail at deploy', () => {
    const app = testApp();
    buildExamples(app);
    const assembly = app.synth();
    const report = DeployRehearsal.run({ assemblyDir: assembly.directory });
    expect(report.findings.map((f) => `${f.ruleId} ${f.stack}/${f.logicalId} ${f.property}: ${f.message}`)).toEqual([]);
  });
});
