import * as fs from 'fs';
import * as path from 'path';
import { App, IPolicyValidationContext, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Compliance, CompliancePack, DataRetentionCheck } from '../../src';
import { quietly, reportingApp } from '../util';

const app = (): App => reportingApp();

function readSummary(a: App): any {
  return JSON.parse(fs.readFileSync(path.join(a.outdir, Compliance.SUMMARY_FILE), 'utf-8'));
}

describe('compliance summary', () => {
  test('GIVEN passing packs in a nested stage WHEN synthesized THEN the summary shows each pack ran, with zero findings and its acknowledgements per rule', () => {
    // GIVEN a bucket whose only AwsSolutions finding (S1) is acknowledged
    const a = app();
    Compliance.enable(a, { packs: [CompliancePack.AWS_SOLUTIONS, CompliancePack.SERVERLESS] });
    DataRetentionCheck.enable(a);
    const bucket = new s3.Bucket(new Stack(new Stage(a, 'Nested'), 'Data'), 'Bucket', { enforceSSL: true });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'the access-log target of the other buckets' });
    // WHEN
    Compliance.synthesize(a);
    // THEN the validation report has no entry for them, the summary does
    const report = path.join(a.outdir, 'validation-report.json');
    expect(fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf-8')).pluginReports.map((r: any) => r.pluginName) : []).toEqual([]);
    const summary = readSummary(a);
    expect(summary.plugins).toEqual([
      { name: 'AwsSolutions', scope: '', ran: true, conclusion: 'success', findings: 0, findingsByRule: {}, acknowledged: 1, acknowledgedByRule: { 'AwsSolutions-S1': 1 } },
      { name: 'Serverless', scope: '', ran: true, conclusion: 'success', findings: 0, findingsByRule: {}, acknowledged: 0, acknowledgedByRule: {} },
      { name: 'DataRetentionCheck', scope: '', ran: true, conclusion: 'success', findings: 0, findingsByRule: {}, acknowledged: 0, acknowledgedByRule: {} },
    ]);
    expect(summary.acknowledgements).toEqual([
      { rule: 'AwsSolutions-S1', reason: 'the access-log target of the other buckets', paths: ['Nested/Data/Bucket'] },
    ]);
    expect(summary.unmatchedNagAcknowledgements).toEqual([]);
  });

  test('GIVEN a failing pack WHEN synthesized THEN the summary is written before the failure, with the findings per rule', () => {
    const a = app();
    Compliance.enable(a, { packs: [CompliancePack.NIST_800_53_R5] });
    new s3.Bucket(new Stack(a, 'Data'), 'Bucket');
    quietly(() => expect(() => Compliance.synthesize(a)).toThrow(/NIST.800.53.R5-S3BucketLoggingEnabled/));
    const [nist] = readSummary(a).plugins;
    expect(nist).toMatchObject({ name: 'NIST.800.53.R5', ran: true, conclusion: 'failure' });
    expect(nist.findingsByRule).toMatchObject({ 'NIST.800.53.R5-S3BucketLoggingEnabled': 1 });
    expect(nist.findings).toBe(Object.values(nist.findingsByRule as Record<string, number>).reduce((x, y) => x + y, 0));
  });

  test('GIVEN another validation plugin (e.g. cfn-guard Control Tower rules) WHEN enabled with the packs THEN it runs and is in the summary', () => {
    const a = app();
    const guard = {
      name: 'cdk-validator-cfnguard',
      validate: (context: IPolicyValidationContext) => ({
        success: false,
        violations: [{ ruleName: 'ct-s3-pr-1', description: 'versioning', violatingResources: context.templatePaths.map((templatePath) => ({ templatePath, resourceLogicalId: 'B', locations: [] })) }],
      }),
    };
    Compliance.enable(a, { packs: [], plugins: [guard] });
    new Stack(a, 'Data');
    expect(() => quietly(() => Compliance.synthesize(a))).toThrow(/ct-s3-pr-1/);
    expect(readSummary(a).plugins).toEqual([
      { name: 'cdk-validator-cfnguard', scope: '', ran: true, conclusion: 'failure', findings: 1, findingsByRule: { 'ct-s3-pr-1': 1 }, acknowledged: 0, acknowledgedByRule: {} },
    ]);
  });

  test('GIVEN an acknowledgement that matches no finding WHEN synthesized THEN the summary lists it', () => {
    const a = app();
    Compliance.enable(a);
    const bucket = new s3.Bucket(new Stack(a, 'Data'), 'Bucket', { enforceSSL: true });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'the access-log target of the other buckets' });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S10', reason: 'stale: enforceSSL is on, so this matches nothing' });
    Compliance.synthesize(a);
    expect(readSummary(a).unmatchedNagAcknowledgements).toEqual(['AwsSolutions-S10 @ Data/Bucket']);
  });
});

describe('compliance line at synth', () => {
  test('GIVEN the CDK CLI runs the app (CDK_OUTDIR set) WHEN the packs pass THEN one line says which ran, with their counts', () => {
    const a = app();
    Compliance.enable(a);
    const bucket = new s3.Bucket(new Stack(a, 'Data'), 'Bucket', { enforceSSL: true });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'the access-log target of the other buckets' });
    const written: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { written.push(String(s)); return true; });
    const before = process.env.CDK_OUTDIR;
    process.env.CDK_OUTDIR = a.outdir;
    try {
      Compliance.synthesize(a);
    } finally {
      write.mockRestore();
      if (before === undefined) delete process.env.CDK_OUTDIR; else process.env.CDK_OUTDIR = before;
    }
    expect(written.join('')).toMatch(/^cdk-scaleout compliance: AwsSolutions success \(0 finding\(s\), 1 acknowledged\)\. Summary: .*compliance-summary\.json\n$/);
  });
});
