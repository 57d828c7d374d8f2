import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Compliance, CompliancePack, OriginVerifySecret, OriginVerifySecretProps } from '../../src';
import { expectNoNagFindings, reportedFindings, reportingApp, TEST_ACCOUNT, testStack, validationReport } from '../util';

function secret(props: Partial<OriginVerifySecretProps> = {}) {
  const stack = testStack({ region: 'eu-west-1' });
  const s = new OriginVerifySecret(stack, 'OriginVerify', { secretName: 'Stage/OriginVerify', replicaRegions: ['us-west-2', 'us-east-1'], ...props });
  return { stack, secret: s };
}

describe('OriginVerifySecret', () => {
  test('GIVEN replica regions WHEN created THEN a retained, replicated secret generates letters and digits and rotates every 30 days', () => {
    // GIVEN / WHEN
    const { stack } = secret();
    // THEN
    const t = Template.fromStack(stack);
    t.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Name: 'Stage/OriginVerify',
        Description: Match.stringLikeRegexp('origin-verify'),
        GenerateSecretString: { SecretStringTemplate: '{}', GenerateStringKey: 'current', ExcludePunctuation: true, IncludeSpace: false, PasswordLength: 64 },
        ReplicaRegions: [{ Region: 'us-west-2' }, { Region: 'us-east-1' }],
      },
    });
    t.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
      RotateImmediatelyOnUpdate: false,
    });
    t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 30 });
    t.hasResourceProperties('Custom::OriginVerifyInitialize', { SecretId: { Ref: Match.stringLikeRegexp('^OriginVerify') } });
    // The schedule's creation runs testSecret: the secret must hold its three generations by then.
    t.hasResource('AWS::SecretsManager::RotationSchedule', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('Initialize')]) });
    const init = Object.values(t.findResources('Custom::OriginVerifyInitialize'))[0];
    expect(JSON.stringify(init.DependsOn ?? [])).not.toMatch(/Rotation/);
    expectNoNagFindings(stack);
  });

  test('GIVEN a secret name WHEN the two sides are asked for THEN CloudFront sends current and the ALB accepts all three generations, by dynamic reference', () => {
    const { secret: s } = secret();
    expect(s.distributionOptions({ revision: 'r1' })).toEqual({
      headerName: 'X-Origin-Verify', value: '{{resolve:secretsmanager:Stage/OriginVerify:SecretString:current}}', revision: 'r1',
    });
    expect(OriginVerifySecret.forLoadBalancer('Stage/OriginVerify', { headerName: 'X-Verify', openPaths: ['/healthz'] })).toEqual({
      headerName: 'X-Verify',
      values: ['previous', 'current', 'next'].map((k) => `{{resolve:secretsmanager:Stage/OriginVerify:SecretString:${k}}}`),
      openPaths: ['/healthz'],
      revision: undefined,
    });
  });

  test('GIVEN a rotation interval and DESTROY WHEN created THEN both apply', () => {
    const { stack } = secret({ rotationInterval: Duration.days(7), removalPolicy: RemovalPolicy.DESTROY });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { ScheduleExpression: 'rate(7 days)' } });
    t.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
  });

  test('GIVEN rotation on demand (0 days) WHEN created THEN the rotation function is attached without a schedule', () => {
    const { stack } = secret({ rotationInterval: Duration.days(0) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationLambdaARN: Match.anyValue(), RotationRules: Match.absent() });
  });

  describe('rejects bad input', () => {
    test.each<[string, Partial<OriginVerifySecretProps>, RegExp]>([
      ['a name with a space', { secretName: 'origin verify' }, /OriginVerifySecret 'Test\/OriginVerify': secretName must be 1–512 characters of A-Z a-z 0-9 \/ _ \+ = \. @ -, got 'origin verify'/],
      ['a name ending like an ARN suffix', { secretName: 'origin-verify-abcdef' }, /secretName must not end with a hyphen and 6 characters.*got 'origin-verify-abcdef'/],
      ['its own region as a replica', { replicaRegions: ['eu-west-1'] }, /replicaRegions must not include the secret's own region, got eu-west-1/],
      ['a replica twice', { replicaRegions: ['us-east-1', 'us-east-1'] }, /replicaRegions must name each region once, got us-east-1 twice/],
      ['a bad replica region', { replicaRegions: ['Virginia'] }, /replicaRegions must be region codes like eu-west-1, got 'Virginia'/],
      ['a rotation of 12 hours', { rotationInterval: Duration.hours(12) }, /rotationInterval must be 0 \(on demand\) or a whole number of days between 1 and 365, got 12 hours/],
      ['a rotation of 400 days', { rotationInterval: Duration.days(400) }, /rotationInterval must be 0 \(on demand\) or a whole number of days between 1 and 365, got 400 days/],
    ])('GIVEN %s WHEN created THEN throws', (_name, props, message) => {
      expect(() => secret(props)).toThrow(message);
    });
  });
});

describe('OriginVerifySecret rotation permission', () => {
  test('GIVEN a secret WHEN its rotation function may be invoked by Secrets Manager THEN only for this account (Control Tower CT.LAMBDA.PR.2)', () => {
    const { stack } = secret();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'secretsmanager.amazonaws.com',
      Action: 'lambda:InvokeFunction',
      SourceAccount: TEST_ACCOUNT,
    });
  });
});

describe('OriginVerifySecret under the Control Tower rules', () => {
  test('GIVEN every pack chosen WHEN the secret, its handler and provider are synthesized THEN no Lambda, KMS or log-group finding of Control Tower is left', () => {
    // GIVEN
    const app = reportingApp();
    Compliance.enable(app, { packs: Object.values(CompliancePack) });
    const stack = new Stack(app, 'Secret', { env: { account: TEST_ACCOUNT, region: 'eu-west-1' } });
    // WHEN
    new OriginVerifySecret(stack, 'OriginVerify', { secretName: 'Stage/OriginVerify', replicaRegions: ['us-east-1'], rotationInterval: Duration.days(0) });
    app.synth();
    // THEN
    expect((validationReport(app).pluginReports ?? []).map((p) => p.pluginName)).toContain('cdk-validator-cfnguard'); // the rules ran
    const findings = reportedFindings(app, 'cdk-validator-cfnguard');
    expect(findings.filter((f) => /^(lambda_|kms_|cloudwatch_)/.test(f))).toEqual([]);
  });
});
