import { ACCOUNT, findings, join, res, where, writeAssembly } from './fixtures';
import { DeployRehearsal } from '../../src/rehearsal/deploy-rehearsal';

const REGION = { Ref: 'AWS::Region' };
const ACCOUNT_ID = { Ref: 'AWS::AccountId' };

describe('Rehearsal-NameCollision', () => {
  const ruleId = 'Rehearsal-NameCollision';

  test('GIVEN two stacks in one account and region that name a topic alike WHEN rehearsed THEN both are reported with the rule and its source', () => {
    const f = findings({
      stacks: [
        { id: 'A', resources: { T: res('AWS::SNS::Topic', { TopicName: 'alarms' }) } },
        { id: 'B', resources: { T2: res('AWS::SNS::Topic', { TopicName: 'alarms' }) } },
      ],
    }, { ruleId });
    expect(where(f)).toEqual(['T2@B Properties.TopicName', 'T@A Properties.TopicName']);
    expect(f[0]).toMatchObject({ ruleId, stack: 'A', logicalId: 'T', value: 'alarms', account: ACCOUNT, region: 'eu-west-1', resourceType: 'AWS::SNS::Topic' });
    expect(f[0].message).toMatch(/'alarms' \(AWS::SNS::Topic in 111111111111\/eu-west-1\) is also created by B\/T2/);
    expect(f[0].source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  test('GIVEN two stacks in one region with aws-cdk-lib\'s default Backup plan name and one vault name WHEN rehearsed THEN both pairs are reported', () => {
    const backup = () => ({
      P: res('AWS::Backup::BackupPlan', { BackupPlan: { BackupPlanName: 'BackupPlan', BackupPlanRule: [] } }),
      V: res('AWS::Backup::BackupVault', { BackupVaultName: 'vault' }),
    });
    const f = findings({ stacks: [{ id: 'A', resources: backup() }, { id: 'B', resources: backup() }] }, { ruleId });
    expect(where(f)).toEqual([
      'P@A Properties.BackupPlan.BackupPlanName', 'P@B Properties.BackupPlan.BackupPlanName', 'V@A Properties.BackupVaultName', 'V@B Properties.BackupVaultName',
    ]);
  });

  test('GIVEN the same topic name in two regions, or names that are tokens WHEN rehearsed THEN nothing is reported', () => {
    expect(findings({
      stacks: [
        { id: 'A', resources: { T: res('AWS::SNS::Topic', { TopicName: 'alarms' }), U: res('AWS::SNS::Topic', { TopicName: { Ref: 'Param' } }) } },
        { id: 'B', region: 'us-east-1', resources: { T: res('AWS::SNS::Topic', { TopicName: 'alarms' }), U: res('AWS::SNS::Topic', { TopicName: { Ref: 'Param' } }) } },
      ],
    }, { ruleId })).toEqual([]);
  });

  test('GIVEN names joined from literals and pseudo parameters WHEN rehearsed THEN they resolve with each stack\'s environment', () => {
    const bucket = res('AWS::S3::Bucket', { BucketName: join('logs-', ACCOUNT_ID) });
    const queue = res('AWS::SQS::Queue', { QueueName: { 'Fn::Sub': 'jobs-${AWS::Region}' } });
    const f = findings({
      stacks: [
        { id: 'A', resources: { B: bucket, Q: queue } },
        // S3 names are worldwide: another region does not help; the queue name differs by region.
        { id: 'B', region: 'us-west-2', resources: { B: bucket, Q: queue } },
      ],
    }, { ruleId });
    expect(where(f)).toEqual(['B@A Properties.BucketName', 'B@B Properties.BucketName']);
    expect(f[0].value).toBe(`logs-${ACCOUNT}`);
  });

  test('GIVEN account-wide names (IAM role, global cluster, CloudFront policy) in two regions WHEN rehearsed THEN they collide', () => {
    const resources = {
      R: res('AWS::IAM::Role', { RoleName: 'deployer' }),
      G: res('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'Orders' }),
      C: res('AWS::CloudFront::CachePolicy', { CachePolicyConfig: { Name: 'assets' } }),
    };
    const f = findings({ stacks: [{ id: 'A', resources }, { id: 'B', region: 'us-east-1', resources: { ...resources, G: res('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'orders' }) } }] }, { ruleId });
    expect(where(f)).toEqual([
      'C@A Properties.CachePolicyConfig.Name', 'C@B Properties.CachePolicyConfig.Name',
      'G@A Properties.GlobalClusterIdentifier', 'G@B Properties.GlobalClusterIdentifier',
      'R@A Properties.RoleName', 'R@B Properties.RoleName',
    ]);
  });

  test('GIVEN a secret replicated to a region where another stack creates the same name WHEN rehearsed THEN the replica collides', () => {
    const f = findings({
      stacks: [
        { id: 'Primary', resources: { S: res('AWS::SecretsManager::Secret', { Name: 'db/master', ReplicaRegions: [{ Region: 'us-east-1' }] }) } },
        { id: 'Secondary', region: 'us-east-1', resources: { S: res('AWS::SecretsManager::Secret', { Name: 'db/master' }) } },
      ],
    }, { ruleId });
    expect(where(f)).toEqual(['S@Primary Properties.ReplicaRegions.0.Region', 'S@Secondary Properties.Name']);
  });

  test('GIVEN CLOUDFRONT-scope web ACLs in stacks of different regions WHEN rehearsed THEN they collide in us-east-1; REGIONAL ones in other regions do not', () => {
    const acl = (Scope: string) => res('AWS::WAFv2::WebACL', { Name: 'edge', Scope });
    expect(where(findings({
      stacks: [
        { id: 'A', resources: { W: acl('CLOUDFRONT'), X: acl('REGIONAL') } },
        { id: 'B', region: 'us-east-1', resources: { W: acl('CLOUDFRONT'), X: acl('REGIONAL') } },
      ],
    }, { ruleId }))).toEqual(['W@A Properties.Name', 'W@B Properties.Name']);
  });

  test('GIVEN two stacks of different stages creating the same Route 53 record (name case and trailing dot differ) WHEN rehearsed THEN the record collides; a different SetIdentifier does not', () => {
    const rec = (Name: string, SetIdentifier?: string) => res('AWS::Route53::RecordSet', { HostedZoneId: 'Z1', Name, Type: 'A', ...(SetIdentifier ? { SetIdentifier } : {}) });
    const f = findings({
      stages: {
        Prod: [{ id: 'ProdDns', resources: { R: rec('www.example.com.'), L: rec('api.example.com', 'eu-west-1') } }],
        Test: [{ id: 'TestDns', resources: { R: rec('WWW.example.com'), L: rec('api.example.com', 'us-east-1') } }],
      },
    }, { ruleId });
    expect(where(f)).toEqual(['R@ProdDns Properties.Name', 'R@TestDns Properties.Name']);
    expect(f[0].message).toMatch(/hosted zone Z1/);
  });

  test('GIVEN environment-agnostic stacks WHEN rehearsed THEN regional names are skipped (no scope) but bucket names still collide', () => {
    const resources = { T: res('AWS::SNS::Topic', { TopicName: 'x' }), B: res('AWS::S3::Bucket', { BucketName: 'shared-bucket' }) };
    expect(where(findings({ stacks: [{ id: 'A', account: 'unknown-account', region: 'unknown-region', resources }, { id: 'B', account: 'unknown-account', region: 'unknown-region', resources }] }, { ruleId })))
      .toEqual(['B@A Properties.BucketName', 'B@B Properties.BucketName']);
  });
});

describe('Rehearsal-UnorderedNameReference', () => {
  const ruleId = 'Rehearsal-UnorderedNameReference';
  const origin = res('AWS::Route53::RecordSet', { HostedZoneId: 'Z1', Name: 'eu-west-1.origin.example.com', Type: 'A', AliasTarget: { DNSName: 'lb.aws.com', HostedZoneId: 'ZLB' } });
  const alias = res('AWS::Route53::RecordSet', { HostedZoneId: 'Z1', Name: 'origin.example.com', Type: 'A', SetIdentifier: 'eu', AliasTarget: { DNSName: 'EU-WEST-1.origin.example.com.', HostedZoneId: 'Z1' } });

  test('GIVEN an alias to a record another stack creates, without a dependency WHEN rehearsed THEN it is reported naming the creator', () => {
    const f = findings({ stacks: [{ id: 'Regional', resources: { O: origin } }, { id: 'Edge', region: 'us-east-1', resources: { A: alias } }] }, { ruleId });
    expect(where(f)).toEqual(['A@Edge Properties.AliasTarget.DNSName']);
    expect(f[0].message).toMatch(/created by Regional\/O but does not depend on it: add a stack dependency \(Edge → Regional\)/);
  });

  test('GIVEN the same alias with a transitive dependency on the creator WHEN rehearsed THEN nothing is reported', () => {
    expect(findings({
      stacks: [
        { id: 'Regional', resources: { O: origin } },
        { id: 'Middle', dependsOn: ['Regional'] },
        { id: 'Edge', region: 'us-east-1', dependsOn: ['Middle'], resources: { A: alias } },
      ],
    }, { ruleId })).toEqual([]);
  });

  test('GIVEN a secondary cluster naming a global cluster of another stack WHEN it does not depend on it THEN it is reported', () => {
    const stacks = (deps: string[]) => [
      { id: 'Primary', resources: { G: res('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'orders-global' }) } },
      { id: 'Secondary', region: 'us-east-1', dependsOn: deps, resources: { C: res('AWS::RDS::DBCluster', { GlobalClusterIdentifier: 'orders-global' }) } },
    ];
    expect(where(findings({ stacks: stacks([]) }, { ruleId }))).toEqual(['C@Secondary Properties.GlobalClusterIdentifier']);
    expect(findings({ stacks: stacks(['Primary']) }, { ruleId })).toEqual([]);
  });

  test('GIVEN secrets used by name: an ECS ValueFrom of a replica, an IAM resource and a dynamic reference WHEN unordered THEN each is reported', () => {
    const arn = join('arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', REGION, ':', ACCOUNT_ID, ':secret:db/master-AbCdEf');
    const f = findings({
      stacks: [
        { id: 'Primary', resources: { S: res('AWS::SecretsManager::Secret', { Name: 'db/master', ReplicaRegions: [{ Region: 'us-east-1' }] }) } },
        {
          id: 'Secondary',
          region: 'us-east-1',
          resources: {
            T: res('AWS::ECS::TaskDefinition', { ContainerDefinitions: [{ Name: 'app', Secrets: [{ Name: 'PW', ValueFrom: arn }] }] }),
            P: res('AWS::IAM::Policy', { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db/master-??????` }] } }),
            D: res('AWS::RDS::DBCluster', { MasterUserPassword: '{{resolve:secretsmanager:db/master:SecretString:password}}' }),
          },
        },
        // Same name in another account: not the same secret.
        { id: 'Other', account: '222222222222', region: 'us-east-1', resources: { P: res('AWS::IAM::Policy', { PolicyDocument: { Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:unrelated` } }) } },
      ],
    }, { ruleId });
    expect(where(f)).toEqual([
      'D@Secondary Properties.MasterUserPassword',
      'P@Secondary Properties.PolicyDocument.Statement.0.Resource',
      'T@Secondary Properties.ContainerDefinitions.0.Secrets.0.ValueFrom',
    ]);
  });

  test('GIVEN queue and topic ARNs built from literals of another stack\'s names WHEN unordered THEN reported; ordered THEN not', () => {
    const stacks = (deps: string[]) => [
      { id: 'Messaging', resources: { Q: res('AWS::SQS::Queue', { QueueName: 'jobs' }), T: res('AWS::SNS::Topic', { TopicName: 'events' }) } },
      {
        id: 'Worker',
        dependsOn: deps,
        resources: {
          P: res('AWS::IAM::Policy', { PolicyDocument: { Statement: [{ Resource: join('arn:aws:sqs:', REGION, ':', ACCOUNT_ID, ':jobs') }] } }),
          S: res('AWS::SNS::Subscription', { TopicArn: `arn:aws:sns:eu-west-1:${ACCOUNT}:events`, Endpoint: 'https://sqs.eu-west-1.amazonaws.com/111111111111/jobs' }),
        },
      },
    ];
    // The IAM policy is not reported: IAM accepts ARNs of resources that do not exist yet.
    expect(where(findings({ stacks: stacks([]) }, { ruleId }))).toEqual(['S@Worker Properties.Endpoint', 'S@Worker Properties.TopicArn']);
    expect(findings({ stacks: stacks(['Messaging']) }, { ruleId })).toEqual([]);
  });
});

describe('Rehearsal-CrossRegionImport and Rehearsal-UnknownImport', () => {
  const exporter = (id: string, region: string) => ({ id, region, outputs: { Out: { Value: 'x', Export: { Name: 'shared-vpc-id' } } } });
  const importer = { id: 'User', resources: { S: res('AWS::EC2::Subnet', { VpcId: { 'Fn::ImportValue': 'shared-vpc-id' } }) }, outputs: { O: { Value: { 'Fn::ImportValue': 'nobody-exports-this' } } } };

  test('GIVEN an import of an export only another region declares WHEN rehearsed THEN it is a cross-region import', () => {
    const f = findings({ stacks: [exporter('Network', 'us-east-1'), importer] });
    expect(f.filter((x) => x.ruleId === 'Rehearsal-CrossRegionImport').map((x) => [x.logicalId, x.property, x.value])).toEqual([['S', 'Properties.VpcId', 'shared-vpc-id']]);
    expect(f.find((x) => x.ruleId === 'Rehearsal-CrossRegionImport')!.message).toMatch(/exported only by Network \(111111111111\/us-east-1\)/);
  });

  test('GIVEN an import of a name no stack exports WHEN rehearsed THEN it is an unknown import', () => {
    const f = findings({ stacks: [exporter('Network', 'eu-west-1'), importer] });
    expect(f.filter((x) => x.ruleId === 'Rehearsal-CrossRegionImport')).toEqual([]);
    expect(f.filter((x) => x.ruleId === 'Rehearsal-UnknownImport').map((x) => [x.logicalId, x.property, x.resourceType])).toEqual([['O', 'Outputs.O.Value', 'Output']]);
  });
});

describe('Rehearsal-DanglingDnsName', () => {
  const ruleId = 'Rehearsal-DanglingDnsName';
  const record = (name: string) => res('AWS::Route53::RecordSet', { HostedZoneId: 'Z1', Name: name, Type: 'A', AliasTarget: { DNSName: 'lb.example.net', HostedZoneId: 'Z2' } });
  const distribution = (...domains: string[]) => res('AWS::CloudFront::Distribution', {
    DistributionConfig: { Origins: domains.map((d, i) => ({ Id: `o${i}`, DomainName: d, CustomOriginConfig: { OriginProtocolPolicy: 'https-only' } })) },
  });

  test('GIVEN a CloudFront origin and a health check in the app\'s domain that no stack creates a record for WHEN rehearsed THEN both are reported', () => {
    // The web-service example shipped this way: the CDN's origins had no DNS records (502s).
    const f = findings({
      stacks: [
        { id: 'Region', resources: { Lb: record('eu-west-1.origin.example.com.') } },
        {
          id: 'Edge',
          region: 'us-east-1',
          resources: {
            Apex: record('example.com.'),
            Cdn: distribution('eu-west-1.origin.example.com', 'origin.example.com'),
            Hc: res('AWS::Route53::HealthCheck', { HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'us-west-2.origin.example.com', ResourcePath: '/health' } }),
          },
          dependsOn: ['Region'],
        },
      ],
    }, { ruleId });
    expect(where(f)).toEqual(['Cdn@Edge Properties.DistributionConfig.Origins.1.DomainName', 'Hc@Edge Properties.HealthCheckConfig.FullyQualifiedDomainName']);
    expect(f[0].message).toMatch(/CloudFront origin 'o1' needs 'origin.example.com', in example.com whose records this app creates, but no stack creates a record named so/);
  });

  test('GIVEN origins whose records exist, or outside the app\'s domains WHEN rehearsed THEN nothing is reported', () => {
    expect(findings({
      stacks: [
        { id: 'Region', resources: { Lb: record('eu-west-1.origin.example.com.'), Shared: record('origin.example.com.') } },
        { id: 'Edge', region: 'us-east-1', resources: { Cdn: distribution('eu-west-1.origin.example.com', 'Origin.Example.com.', 'api.partner.org') } },
      ],
    }, { ruleId })).toEqual([]);
  });
});

describe('Rehearsal-RegionalQuota', () => {
  const ruleId = 'Rehearsal-RegionalQuota';
  const network = (id: string, region: string, eips: number) => ({
    id,
    region,
    resources: {
      Vpc: res('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' }),
      ...Object.fromEntries(Array.from({ length: eips }, (_, i) => [`Eip${i}`, res('AWS::EC2::EIP', { Domain: 'vpc' })])),
    },
  });

  test('GIVEN five stacks with a VPC and two NAT EIPs each in one region WHEN rehearsed THEN the VPCs (with the default one) and the EIPs exceed the default quotas', () => {
    // The examples did this: five stages in eu-west-1, 8 EIPs and 5 VPCs + the default VPC.
    const f = findings({ stacks: [1, 2, 3, 4, 5].map((n) => network(`S${n}`, 'eu-west-1', 2)) }, { ruleId });
    expect(f.filter((x) => x.value === 'AWS::EC2::VPC')).toHaveLength(5);
    expect(f.filter((x) => x.value === 'AWS::EC2::EIP')).toHaveLength(10);
    expect(f[0].message).toMatch(/5 VPCs in 111111111111\/eu-west-1 \(\+1 default\) across S1, S2, S3, S4, S5 exceed the quota of 5/);
  });

  test('GIVEN the same stacks spread over regions, or raised quotas WHEN rehearsed THEN nothing is reported', () => {
    expect(findings({ stacks: [network('A', 'eu-west-1', 2), network('B', 'eu-west-1', 2), network('C', 'us-west-2', 2), network('D', 'eu-central-1', 1)] }, { ruleId })).toEqual([]);
    const dir = writeAssembly({ stacks: [1, 2, 3, 4, 5].map((n) => network(`S${n}`, 'eu-west-1', 2)) });
    const report = DeployRehearsal.run({ assemblyDir: dir, regionalQuotas: { vpcs: 10, elasticIps: 20 } });
    expect(report.findings.filter((x) => x.ruleId === ruleId)).toEqual([]);
  });
});
