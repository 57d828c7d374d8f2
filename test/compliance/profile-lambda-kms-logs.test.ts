import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Compliance, CompliancePack, FanOutTopic, Network, OriginVerifySecret } from '../../src';
import { KEY_GRANTS_STATEMENT_SID, logRetention } from '../../src/compliance/profile';
import { nagFindings, profileStack, reportedFindings, reportingApp, TEST_ACCOUNT, testStack } from '../util';

const ALL_NAG_PACKS = Compliance.NAG_PACKS;
const GRANT_STATEMENT = {
  Sid: KEY_GRANTS_STATEMENT_SID,
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};

describe('longLogRetention', () => {
  test('GIVEN a regulatory pack WHEN a network creates its flow-log group THEN the logs are kept a year', () => {
    const stack = profileStack({ packs: [CompliancePack.NIST_800_53_R5] });
    new Network(stack, 'Network');
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('GIVEN no regulatory pack, or the switch off WHEN a network creates its flow-log group THEN it keeps the construct default (3 months)', () => {
    for (const stack of [testStack(), profileStack({ defaults: { longLogRetention: false } })]) {
      new Network(stack, 'Network');
      Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    }
  });

  test('GIVEN a retention set in props WHEN under a regulatory pack THEN the prop wins', () => {
    const stack = profileStack();
    new Network(stack, 'Network', { flowLogRetention: logs.RetentionDays.ONE_WEEK });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('GIVEN a construct default longer than a year WHEN under a regulatory pack THEN it is kept', () => {
    const stack = profileStack();
    expect(logRetention(stack, logs.RetentionDays.TWO_YEARS)).toBe(logs.RetentionDays.TWO_YEARS);
    expect(logRetention(stack, logs.RetentionDays.INFINITE)).toBe(logs.RetentionDays.INFINITE);
    expect(logRetention(stack, logs.RetentionDays.ONE_MONTH)).toBe(logs.RetentionDays.ONE_YEAR);
    expect(logRetention(testStack(), logs.RetentionDays.ONE_MONTH)).toBe(logs.RetentionDays.ONE_MONTH);
  });

  test('GIVEN the documented profile WHEN a handler and its provider log THEN both log groups keep a year', () => {
    const stack = profileStack();
    new OriginVerifySecret(stack, 'OriginVerify', { secretName: 'Stage/OriginVerify', replicaRegions: ['us-east-1'] });
    const groups = Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogGroup'));
    expect(groups.map((g) => g.Properties.RetentionInDays)).toEqual([365, 365]);
  });
});

describe('restrictKeyGrants', () => {
  test('GIVEN a regulatory pack WHEN a construct creates a KMS key THEN its policy denies CreateGrant unless for an AWS resource, and the account keeps kms:*', () => {
    const stack = profileStack({ packs: [CompliancePack.PCI_DSS_321] });
    new FanOutTopic(stack, 'Topic');
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Action: 'kms:*', Principal: { AWS: Match.anyValue() }, Resource: '*' }),
          GRANT_STATEMENT,
        ]),
      },
    });
  });

  test('GIVEN no regulatory pack, or the switch off WHEN a key is created THEN its policy is aws-cdk-lib\'s default', () => {
    for (const stack of [testStack(), profileStack({ defaults: { restrictKeyGrants: false } })]) {
      new FanOutTopic(stack, 'Topic');
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: Match.not(Match.arrayWith([Match.objectLike({ Sid: KEY_GRANTS_STATEMENT_SID })])) },
      });
    }
  });

  test('GIVEN the statement WHEN the Control Tower rules run THEN kms_create_grant_aws_service_check passes (and fails without it)', () => {
    const findings = (restrict: boolean): string[] => {
      const app = reportingApp();
      Compliance.enable(app, { packs: [CompliancePack.CONTROL_TOWER], defaults: { restrictKeyGrants: restrict } });
      new FanOutTopic(new Stack(app, 'Keys', { env: { account: TEST_ACCOUNT, region: 'eu-west-1' } }), 'Topic');
      app.synth();
      return reportedFindings(app).map((f) => f.split(' ')[0]);
    };
    expect(findings(true)).not.toContain('kms_create_grant_aws_service_check');
    expect(findings(false)).toContain('kms_create_grant_aws_service_check');
  });
});

describe('lambdaTracing and the handlers\' memory', () => {
  function originVerify(stack: Stack): Template {
    new OriginVerifySecret(stack, 'OriginVerify', { secretName: 'Stage/OriginVerify', replicaRegions: ['us-east-1'] });
    return Template.fromStack(stack);
  }

  test('GIVEN a regulatory pack WHEN a handler and its provider framework are created THEN both trace actively with 128 MB and may write traces', () => {
    const stack = profileStack({ packs: [CompliancePack.HIPAA_SECURITY] });
    const t = originVerify(stack);
    const fns = Object.values(t.findResources('AWS::Lambda::Function'));
    expect(fns.map((f) => [f.Properties.TracingConfig, f.Properties.MemorySize])).toEqual([[{ Mode: 'Active' }, 128], [{ Mode: 'Active' }, 128]]);
    const xray = Object.values(t.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' })]) } },
    }));
    expect(xray.length).toBe(2);
    expect(nagFindings(stack, [CompliancePack.SERVERLESS]).filter((f) => /LambdaTracing|LambdaDefaultMemorySize/.test(f))).toEqual([]);
  });

  test('GIVEN no regulatory pack, or lambdaTracing off WHEN created THEN no tracing (the memory stays explicit)', () => {
    for (const stack of [testStack(), profileStack({ defaults: { lambdaTracing: false } })]) {
      const fns = Object.values(originVerify(stack).findResources('AWS::Lambda::Function'));
      expect(fns.map((f) => [f.Properties.TracingConfig, f.Properties.MemorySize])).toEqual([[undefined, 128], [undefined, 128]]);
    }
  });

  test.each([['every 30 days', Duration.days(30)], ['on demand', Duration.days(0)]])(
    'GIVEN the documented profile and rotation %s WHEN every cdk-nag pack runs on the origin-verify secret THEN no finding is left', (_, rotationInterval) => {
      const stack = profileStack();
      new OriginVerifySecret(stack, 'OriginVerify', { secretName: 'Stage/OriginVerify', replicaRegions: ['us-east-1'], rotationInterval });
      expect(nagFindings(stack, ALL_NAG_PACKS)).toEqual([]);
    });
});
