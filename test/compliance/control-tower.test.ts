import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Compliance, CompliancePack } from '../../src';
import { CDK_JSON_CONTEXT } from '../util';

/** The Control Tower findings of the last synth of `outdir`'s app: `rule construct-path`. */
function controlTowerFindings(outdir: string): string[] {
  type Violation = { ruleName: string; violatingConstructs?: Array<{ constructPath: string }> };
  type Report = { pluginReports?: Array<{ pluginName: string; violations?: Violation[] }> };
  const file = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf-8')) as Report;
  return (report.pluginReports ?? [])
    .filter((p) => p.pluginName === 'cdk-validator-cfnguard')
    .flatMap((p) => (p.violations ?? []).flatMap((v) => (v.violatingConstructs ?? []).map((c) => `${v.ruleName} ${c.constructPath}`)));
}

/** An app with the Control Tower pack and a log group that keeps its logs a week (a finding). */
function appWithShortRetention(acknowledge: boolean): string {
  const outdir = fs.mkdtempSync('/tmp/control-tower-test-');
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { ...CDK_JSON_CONTEXT, '@aws-cdk/core:failSynthOnValidationErrors': false } });
  Compliance.enable(app, { packs: [CompliancePack.CONTROL_TOWER] });
  const logGroup = new logs.LogGroup(new Stack(app, 'Logs'), 'Short', { retention: logs.RetentionDays.ONE_WEEK });
  if (acknowledge) {
    Validations.of(logGroup).acknowledge({ id: `${Compliance.CONTROL_TOWER_RULE_PREFIX}cloudwatch_log_group_retention_period_check`, reason: 'test' });
  }
  app.synth();
  return outdir;
}

describe('Control Tower pack', () => {
  test('GIVEN the Control Tower pack WHEN a log group keeps logs a week THEN cfn-guard reports the retention rule at synth', () => {
    const outdir = appWithShortRetention(false);
    expect(controlTowerFindings(outdir)).toContain('cloudwatch_log_group_retention_period_check Logs/Short/Resource');
  });

  test('GIVEN the finding acknowledged with the plugin prefix WHEN synthesized THEN it is no longer reported', () => {
    const outdir = appWithShortRetention(true);
    expect(controlTowerFindings(outdir).filter((f) => f.startsWith('cloudwatch_log_group_retention_period_check'))).toEqual([]);
  });

  test('GIVEN CONTROL_TOWER WHEN asked for a cdk-nag pack THEN createPack refers to createPlugin', () => {
    expect(() => Compliance.createPack(CompliancePack.CONTROL_TOWER)).toThrow(/'ControlTower' is not a cdk-nag pack .*createPlugin/);
    expect(Compliance.createPlugin(CompliancePack.CONTROL_TOWER).name).toBe('cdk-validator-cfnguard');
    expect(Compliance.NAG_PACKS).not.toContain(CompliancePack.CONTROL_TOWER);
  });
});

describe('Compliance.synthesize with the Control Tower pack', () => {
  test('GIVEN an acknowledgement elsewhere in the app WHEN a Control Tower finding remains THEN synthesize still throws and the summary counts it', () => {
    // GIVEN one acknowledged and one unacknowledged finding: aws-cdk-lib then marks the plugin a
    // success in validation-report.json although a finding remains.
    const outdir = fs.mkdtempSync('/tmp/control-tower-test-');
    const app = new App({ outdir, builtinCloudFormationValidation: false, context: { ...CDK_JSON_CONTEXT, '@aws-cdk/core:failSynthOnValidationErrors': false } });
    Compliance.enable(app, { packs: [CompliancePack.CONTROL_TOWER] });
    const stack = new Stack(app, 'Logs');
    const acked = new logs.LogGroup(stack, 'Acked', { retention: logs.RetentionDays.ONE_WEEK });
    Validations.of(acked).acknowledge({ id: `${Compliance.CONTROL_TOWER_RULE_PREFIX}cloudwatch_log_group_retention_period_check`, reason: 'test' });
    Validations.of(acked).acknowledge({ id: `${Compliance.CONTROL_TOWER_RULE_PREFIX}cloudwatch_log_group_encrypted_check`, reason: 'test' });
    new logs.LogGroup(stack, 'Short', { retention: logs.RetentionDays.ONE_WEEK });
    // WHEN / THEN
    expect(() => Compliance.synthesize(app)).toThrow(/cloudwatch_log_group_retention_period_check at Logs\/Short\/Resource \(cdk-validator-cfnguard\)/);
    const summary = JSON.parse(fs.readFileSync(path.join(outdir, Compliance.SUMMARY_FILE), 'utf-8'));
    const guard = summary.plugins.find((p: { name: string }) => p.name === 'cdk-validator-cfnguard');
    expect(guard).toMatchObject({ conclusion: 'failure', acknowledged: 2 });
    expect(guard.findingsByRule).toMatchObject({ cloudwatch_log_group_retention_period_check: 1 });
  });
});
