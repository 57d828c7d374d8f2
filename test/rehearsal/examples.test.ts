import { buildExamples } from '../../examples/examples';
import { buildWebService } from '../../examples/web-service/build';
import { CompliancePack } from '../../src';
import { COMPLIANCE_CONTEXT_KEY } from '../../src/compliance/profile';
import { DeployRehearsal } from '../../src/rehearsal/deploy-rehearsal';
import { testApp } from '../util';

describe('deploy rehearsal of the examples', () => {
  // Before the fixes it found 46: names shared between stacks and stages (alarm topics, records),
  // edge aliases without a dependency on the regions, partial secret ARNs in secondaries,
  // reserved Lambda concurrency.
  it('GIVEN every example stage WHEN synthesized and rehearsed THEN nothing would fail at deploy', () => {
    const app = testApp();
    buildExamples(app);
    const assembly = app.synth();
    const report = DeployRehearsal.run({ assemblyDir: assembly.directory });
    expect(report.findings.map((f) => `${f.ruleId} ${f.stack}/${f.logicalId} ${f.property}: ${f.message}`)).toEqual([]);
  });
});

describe('deploy rehearsal of the building-blocks example', () => {
  it('GIVEN the web-service app beside every stage of examples/app.ts in one account and zone WHEN rehearsed THEN nothing would fail at deploy', () => {
    // The two apps are separate, but one account may hold both: names, records and quotas are
    // checked across all of them (the web-service app used to collide on example.com's records
    // and on eu-west-1's Elastic IPs).
    const app = testApp();
    buildWebService(app);
    buildExamples(app);
    const report = DeployRehearsal.run({ assemblyDir: app.synth().directory });
    expect(report.stackCount).toBe(2 + 10);
    expect(report.findings.map((f) => `${f.ruleId} ${f.stack}/${f.logicalId} ${f.property}: ${f.message}`)).toEqual([]);
  });
});

describe('deploy rehearsal of the examples in the documented compliance profile', () => {
  it('GIVEN every pack chosen (WAF web ACLs, WAF log groups, KMS keys…) WHEN every example is synthesized and rehearsed THEN nothing would fail at deploy', () => {
    // GIVEN the construct defaults of every pack
    const app = testApp();
    app.node.setContext(COMPLIANCE_CONTEXT_KEY, { packs: Object.values(CompliancePack) });
    buildWebService(app);
    buildExamples(app);
    // WHEN
    const report = DeployRehearsal.run({ assemblyDir: app.synth().directory });
    // THEN web ACL and log group names are unique per account and region, among the rest
    expect(report.findings.map((f) => `${f.ruleId} ${f.stack}/${f.logicalId} ${f.property}: ${f.message}`)).toEqual([]);
  });
});
