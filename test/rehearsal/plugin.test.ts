import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DeployRehearsal } from '../../src/rehearsal/deploy-rehearsal';
import { reportingApp, TEST_ACCOUNT } from '../util';

interface ReportedViolation {
  ruleName: string;
  description: string;
  suggestedFix?: string;
  violatingConstructs: Array<{ constructPath?: string; cloudFormationResource?: { propertyPaths?: string[] } }>;
}

/** An app with the rehearsal plugin whose synth does not fail the process (see TOOLCHAIN.md). */
function app(context: Record<string, unknown> = {}): App {
  return reportingApp({ context });
}

/** The rehearsal's report in validation-report.json after synth. */
function synthReport(a: App): { status: string; violations: ReportedViolation[] } {
  const assembly = a.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf-8'));
  const plugin = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'DeployRehearsal');
  // A plugin that passes is left out of the report.
  return plugin ? { status: plugin.conclusion, violations: plugin.violations } : { status: 'success', violations: [] };
}

function twoTopicStacks(a: App): [Stack, Stack] {
  const env = { account: TEST_ACCOUNT, region: 'eu-west-1' };
  const one = new Stack(a, 'One', { env });
  const two = new Stack(a, 'Two', { env });
  new sns.Topic(one, 'Alarms', { topicName: 'shared-alarms' });
  new sns.Topic(two, 'Alarms', { topicName: 'shared-alarms' });
  return [one, two];
}

describe('DeployRehearsal as a validation plugin', () => {
  test('GIVEN two stacks that create the same topic name WHEN the app synthesizes THEN the report fails naming both construct paths, the property and the source', () => {
    const a = app();
    DeployRehearsal.enable(a);
    twoTopicStacks(a);
    const r = synthReport(a);
    expect(r.status).toBe('failure');
    expect(r.violations.map((v) => [v.ruleName, v.violatingConstructs.map((c) => c.constructPath)])).toEqual([
      ['Rehearsal-NameCollision', ['One/Alarms/Resource']],
      ['Rehearsal-NameCollision', ['Two/Alarms/Resource']],
    ]);
    expect(r.violations[0].description).toMatch(/'shared-alarms' \(AWS::SNS::Topic in \d+\/eu-west-1\) is also created by Two\/Alarms\w+ \(Two\/Alarms\/Resource\)/);
    expect(r.violations[0].violatingConstructs[0].cloudFormationResource?.propertyPaths).toEqual(['Properties/TopicName']);
    expect(r.violations[0].suggestedFix).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  test('GIVEN colliding stacks in two nested stages WHEN the plugin is on the App THEN it sees the stacks of both stages', () => {
    const a = app();
    DeployRehearsal.enable(a);
    const env = { account: TEST_ACCOUNT, region: 'eu-west-1' };
    for (const stage of ['Blue', 'Green']) new sns.Topic(new Stack(new Stage(a, stage), 'Messaging', { env }), 'Events', { topicName: 'events' });
    expect(synthReport(a).violations.flatMap((v) => v.violatingConstructs.map((c) => c.constructPath))).toEqual(['Blue/Messaging/Events/Resource', 'Green/Messaging/Events/Resource']);
  });

  test.each([
    ['the plain rule id', 'Rehearsal-NameCollision'],
    ['the plugin-qualified id', 'DeployRehearsal::Rehearsal-NameCollision'],
  ])('GIVEN the collision acknowledged on both stacks with %s WHEN the app synthesizes THEN the rehearsal passes', (_name, id) => {
    const a = app();
    DeployRehearsal.enable(a);
    for (const s of twoTopicStacks(a)) Validations.of(s).acknowledge({ id, reason: 'only one of the two stacks is deployed per account' });
    const r = synthReport(a);
    expect(r.violations).toEqual([]);
    expect(r.status).toBe('success');
  });

  test('GIVEN a reservation within the quota declared in context WHEN synthesized THEN the plugin reports nothing', () => {
    const a = app({ 'cdk-scaleout:lambdaConcurrencyQuota': 1000 });
    DeployRehearsal.enable(a);
    const stack = new Stack(a, 'Solo', { env: { account: TEST_ACCOUNT, region: 'eu-west-1' } });
    new CfnFunction(stack, 'Fn', { code: { zipFile: 'x' }, role: 'arn:aws:iam::1:role/r', reservedConcurrentExecutions: 50 });
    expect(synthReport(a)).toMatchObject({ status: 'success', violations: [] });
    const b = app();
    DeployRehearsal.enable(b);
    new CfnFunction(new Stack(b, 'Solo', { env: { account: TEST_ACCOUNT, region: 'eu-west-1' } }), 'Fn', { code: { zipFile: 'x' }, role: 'arn:aws:iam::1:role/r', reservedConcurrentExecutions: 50 });
    expect(synthReport(b).violations.map((v) => v.ruleName)).toEqual(['Rehearsal-LambdaReservedConcurrency']);
  });

  test('GIVEN an escape-hatch override that raises a viewer-request edge function\'s timeout WHEN synthesized THEN the rehearsal names the function\'s construct path', () => {
    const a = app();
    DeployRehearsal.enable(a);
    const stack = new Stack(a, 'Edge', { env: { account: TEST_ACCOUNT, region: 'us-east-1' } });
    const fn = new lambda.Function(stack, 'Auth', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async (e) => e;') });
    (fn.node.defaultChild as CfnFunction).addPropertyOverride('Timeout', 10);
    new cloudfront.Distribution(stack, 'Cdn', {
      defaultBehavior: {
        origin: new origins.HttpOrigin('origin.example.com'),
        edgeLambdas: [{ functionVersion: fn.currentVersion, eventType: cloudfront.LambdaEdgeEventType.VIEWER_REQUEST }],
      },
    });
    const r = synthReport(a);
    const first = (v: ReportedViolation) => v.violatingConstructs[0];
    expect(r.violations.map((v) => [v.ruleName, first(v).constructPath, first(v).cloudFormationResource?.propertyPaths])).toEqual([
      ['Rehearsal-LambdaEdge', 'Edge/Auth/Resource', ['Properties/Timeout']],
    ]);
    expect(r.violations[0].description).toMatch(/viewer-request function Auth\w+: timeout 10 s exceeds 5 s for viewer events/);
  });
});
