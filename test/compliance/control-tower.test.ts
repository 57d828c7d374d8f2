import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Compliance, CompliancePack } from '../../src';
import { reportedFindings, reportingApp } from '../util';

/** The Control Tower findings of the last synth of `app`: `rule construct-path`. */
const controlTowerFindings = (app: App): string[] => reportedFindings(app, 'cdk-validator-cfnguard');

/** An app with the Control Tower pack and a log group that keeps its logs a week (a finding). */
function appWithShortRetention(acknowledge: boolean): App {
  const app = reportingApp();
  Compliance.enable(app, { packs: [CompliancePack.CONTROL_TOWER] });
  const logGroup = new logs.LogGroup(new Stack(app, 'Logs'), 'Short', { retention: logs.RetentionDays.ONE_WEEK });
  if (acknowledge) {
    Validations.of(logGroup).acknowledge({ id: `${Compliance.CONTROL_TOWER_RULE_PREFIX}cloudwatch_log_group_retention_period_check`, reason: 'test' });
  }
  app.synth();
  return app;
}

describe('Control Tower pack', () => {
  test('GIVEN the Control Tower pack WHEN a log group keeps logs a week THEN cfn-guard reports the retention rule at synth', () => {
    const app = appWithShortRetention(false);
    expect(controlTowerFindings(app)).toContain('cloudwatch_log_group_retention_period_check Logs/Short/Resource');
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
    const app = reportingApp();
    Compliance.enable(app, { packs: [CompliancePack.CONTROL_TOWER] });
    const stack = new Stack(app, 'Logs');
    const acked = new logs.LogGroup(stack, 'Acked', { retention: logs.RetentionDays.ONE_WEEK });
    Validations.of(acked).acknowledge({ id: `${Compliance.CONTROL_TOWER_RULE_PREFIX}cloudwatch_log_group_retention_period_check`, reason: 'test' });
    Validations.of(acked).acknowledge({ id: `${Compliance.CONTROL_TOWER_RULE_PREFIX}cloudwatch_log_group_encrypted_check`, reason: 'test' });
    new logs.LogGroup(stack, 'Short', { retention: logs.RetentionDays.ONE_WEEK });
    // WHEN / THEN
    expect(() => Compliance.synthesize(app)).toThrow(/cloudwatch_log_group_retention_period_check at Logs\/Short\/Resource \(cdk-validator-cfnguard\)/);
    const summary = JSON.parse(fs.readFileSync(path.join(app.outdir, Compliance.SUMMARY_FILE), 'utf-8'));
    const guard = summary.plugins.find((p: { name: string }) => p.name === 'cdk-validator-cfnguard');
    expect(guard).toMatchObject({ conclusion: 'failure', acknowledged: 2 });
    expect(guard.findingsByRule).toMatchObject({ cloudwatch_log_group_retention_period_check: 1 });
  });
});
