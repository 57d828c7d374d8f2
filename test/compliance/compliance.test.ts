import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Compliance, CompliancePack } from '../../src';
import { nagFindings, quietly, reportingApp, testApp, testStack } from '../util';

describe('Compliance', () => {
  test('GIVEN an app with compliance on WHEN a stack has an unacknowledged finding THEN synth fails and names the rule', () => {
    // GIVEN
    const app = testApp();
    Compliance.enable(app);
    const stack = new Stack(app, 'Insecure');
    new s3.Bucket(stack, 'Bucket');
    // WHEN / THEN
    quietly(() => expect(() => app.synth()).toThrow(/AwsSolutions-S10/));
  });

  test('GIVEN an acknowledged finding WHEN synthesized with compliance on THEN synth succeeds', () => {
    const app = testApp();
    Compliance.enable(app);
    const stack = new Stack(app, 'Acknowledged');
    const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'test bucket' });
    expect(() => app.synth()).not.toThrow();
  });

  test('GIVEN several packs with a duplicate WHEN synthesized THEN each pack reports once', () => {
    // GIVEN a bucket without access logs: a finding for both packs
    const app = testApp();
    Compliance.enable(app, { packs: [CompliancePack.AWS_SOLUTIONS, CompliancePack.NIST_800_53_R5, CompliancePack.NIST_800_53_R5] });
    new s3.Bucket(new Stack(app, 'Insecure'), 'Bucket');
    // WHEN
    quietly(() => expect(() => app.synth()).toThrow(/NIST.800.53.R5-S3BucketLoggingEnabled/));
    // THEN
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf-8'));
    const failed = report.pluginReports.filter((r: any) => r.conclusion === 'failure').map((r: any) => r.pluginName);
    expect(failed.sort()).toEqual(['AwsSolutions', 'NIST.800.53.R5']);
  });

  test('GIVEN the optional packs WHEN created THEN each pack finds a finding on a bucket without logging', () => {
    const stack = testStack();
    new s3.Bucket(stack, 'Bucket');
    for (const pack of [CompliancePack.HIPAA_SECURITY, CompliancePack.NIST_800_53_R5, CompliancePack.PCI_DSS_321]) {
      expect(nagFindings(stack, [pack]).length).toBeGreaterThan(0);
    }
  });

  test('GIVEN a stack instead of an app WHEN enabled THEN throws', () => {
    expect(() => Compliance.enable(testStack())).toThrow(/scope must be an App or a Stage, got 'Test'/);
  });

  test('GIVEN no packs WHEN enabled THEN throws', () => {
    expect(() => Compliance.enable(new App(), { packs: [] })).toThrow(/packs must name at least one pack, got \[\]/);
  });
});

describe('Compliance.synthesize', () => {
  test('GIVEN a finding in a nested stage that aws-cdk-lib only reports WHEN synthesized THEN throws naming the rule and the construct', () => {
    // GIVEN an app where aws-cdk-lib records the failure without failing (as under the CLI)
    const app = reportingApp();
    Compliance.enable(app);
    const stage = new Stage(app, 'Nested');
    new s3.Bucket(new Stack(stage, 'Insecure'), 'Bucket', { enforceSSL: true });
    quietly(() => expect(() => Compliance.synthesize(app)).toThrow(/Compliance: 1 unacknowledged finding\(s\).*\n  AwsSolutions-S1 at Nested\/Insecure\/Bucket\/Resource \(AwsSolutions\)/));
  });

  test('GIVEN no finding WHEN synthesized THEN returns the assembly directory', () => {
    const app = testApp();
    Compliance.enable(app);
    const bucket = new s3.Bucket(new Stack(new Stage(app, 'Nested'), 'Fine'), 'Bucket', { enforceSSL: true });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'test bucket' });
    expect(Compliance.synthesize(app)).toBe(app.outdir);
  });
});
