import { Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { AuroraDatabase, CacheCluster, Compliance, CompliancePack, ComplianceOptions, Network, ServiceLoadBalancer } from '../../src';
import { nagFindings, testApp, TEST_ACCOUNT } from '../util';

/** A network (it creates a flow-log group) in a stack two stages below an app with `options`. */
function network(options?: ComplianceOptions, add?: (stack: Stack, net: Network) => void): Stack {
  const app = testApp();
  if (options) Compliance.enable(app, options);
  const stack = new Stack(new Stage(new Stage(app, 'Outer'), 'Inner'), 'Net', { env: { account: TEST_ACCOUNT, region: 'eu-west-1' } });
  const net = new Network(stack, 'Network');
  add?.(stack, net);
  return stack;
}

/** A cache and a load balancer beside the network. */
function tiers(stack: Stack, net: Network): void {
  new CacheCluster(stack, 'Cache', { vpc: net.vpc });
  new ServiceLoadBalancer(stack, 'Lb', { vpc: net.vpc, certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc') });
}

describe('construct defaults switched by the packs', () => {
  test('GIVEN a regulatory pack WHEN a construct creates a log group in a nested stage THEN it is encrypted with the stack key that CloudWatch Logs may use', () => {
    const stack = network({ packs: [CompliancePack.NIST_800_53_R5] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkScaleoutLogsKey'), 'Arn'] } });
    t.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([Match.objectLike({
            Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:eu-west-1:${TEST_ACCOUNT}:log-group:*`]] } } },
          })]),
        }),
      }),
    });
    expect(nagFindings(stack, [CompliancePack.NIST_800_53_R5]).filter((f) => /LogGroupEncrypted/.test(f))).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('GIVEN a regulatory pack WHEN a network is created THEN its public subnets assign no public IP on launch', () => {
    const t = Template.fromStack(network({ packs: [CompliancePack.NIST_800_53_R5] }));
    expect(Object.values(t.findResources('AWS::EC2::Subnet', { Properties: { MapPublicIpOnLaunch: true } }))).toEqual([]);
    expect(Object.keys(t.findResources('AWS::EC2::NatGateway')).length).toBeGreaterThan(0);
    // Without a regulatory pack the public subnets keep aws-cdk-lib's default.
    expect(Object.keys(Template.fromStack(network()).findResources('AWS::EC2::Subnet', { Properties: { MapPublicIpOnLaunch: true } })).length).toBeGreaterThan(0);
  });

  test('GIVEN only AwsSolutions WHEN a construct creates a log group THEN it keeps the CloudWatch Logs default encryption', () => {
    const t = Template.fromStack(network({ packs: [CompliancePack.AWS_SOLUTIONS] }));
    t.resourceCountIs('AWS::KMS::Key', 0);
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.absent() });
  });

  test('GIVEN a regulatory pack with encryptLogGroups off WHEN synthesized THEN the log group is not KMS-encrypted', () => {
    const t = Template.fromStack(network({ packs: [CompliancePack.HIPAA_SECURITY], defaults: { encryptLogGroups: false } }));
    t.resourceCountIs('AWS::KMS::Key', 0);
  });

  test('GIVEN a regulatory pack WHEN a cache and a load balancer are created THEN snapshots are kept 15 days and the load balancer is deletion-protected', () => {
    const t = Template.fromStack(network({ packs: [CompliancePack.PCI_DSS_321] }, tiers));
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { SnapshotRetentionLimit: 15 });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
    });
  });

  test('GIVEN no regulatory pack, or the switches off WHEN created THEN 7-day snapshots and no deletion protection', () => {
    const off = { packs: [CompliancePack.NIST_800_53_R5], defaults: { longCacheSnapshotRetention: false, loadBalancerDeletionProtection: false } };
    for (const options of [undefined, off]) {
      const t = Template.fromStack(network(options, tiers));
      t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { SnapshotRetentionLimit: 7 });
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.not(Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }])),
      });
    }
  });

  test('GIVEN a regulatory pack WHEN an Aurora cluster is created THEN it is in an AWS Backup plan and its instances are acknowledged for RDSInBackupPlan', () => {
    const stack = network({ packs: [CompliancePack.HIPAA_SECURITY] }, (s, net) => { new AuroraDatabase(s, 'Db', { vpc: net.vpc }); });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Backup::BackupPlan', 1);
    // A plan name unique per account and region (not the construct id), and a vault with a fixed
    // name that a rolled-back create removes (a retained one would fail the retry).
    t.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: Match.objectLike({ BackupPlanName: Match.stringLikeRegexp('^OuterInnerNet-Db-[0-9A-F]{8}$') }) });
    t.hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    t.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: [{ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':cluster:')])] }] }),
    });
    expect(nagFindings(stack, [CompliancePack.HIPAA_SECURITY, CompliancePack.NIST_800_53_R5]).filter((f) => /RDSInBackupPlan/.test(f))).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('GIVEN awsBackup false under a regulatory pack WHEN created THEN no backup plan', () => {
    const stack = network({ packs: [CompliancePack.HIPAA_SECURITY] }, (s, net) => { new AuroraDatabase(s, 'Db', { vpc: net.vpc, awsBackup: false }); });
    Template.fromStack(stack).resourceCountIs('AWS::Backup::BackupPlan', 0);
  });

  test('GIVEN a regulatory pack WHEN a load balancer logs access THEN its log bucket is versioned and old versions expire', () => {
    const t = Template.fromStack(network({ packs: [CompliancePack.NIST_800_53_R5] }, tiers));
    t.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: Match.objectLike({ NoncurrentDays: Match.anyValue() }) })] },
    });
  });

  test('GIVEN a regulatory pack WHEN a construct grants a role permissions THEN the grants are a customer-managed policy attached to the role', () => {
    const stack = network({ packs: [CompliancePack.PCI_DSS_321] });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::Policy', 0);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^NetworkVpcallIAMRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['logs:PutLogEvents']) })]), Version: '2012-10-17' },
    });
    expect(nagFindings(stack, [CompliancePack.PCI_DSS_321]).filter((f) => /InlinePolicy/.test(f))).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('GIVEN managedPolicies off WHEN a construct grants a role permissions THEN they stay an inline policy', () => {
    const t = Template.fromStack(network({ packs: [CompliancePack.PCI_DSS_321], defaults: { managedPolicies: false } }));
    t.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    t.resourceCountIs('AWS::IAM::Policy', 1);
  });

  test('GIVEN Compliance.enable after a stack was added WHEN synthesized THEN the app is warned that defaults do not follow', () => {
    const app = testApp();
    new Stack(app, 'Early');
    Compliance.enable(app, { packs: [CompliancePack.PCI_DSS_321] });
    const warnings = app.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/called after constructs were added/)]);
  });
});
