import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraDatabase, AuroraDatabaseProps, Compliance, CompliancePack, GlobalDatabaseRole, Network, POSTGRES_PORT, StatelessService } from '../../src';
import { IMAGE } from '../service/fixtures';
import { expectNoNagFindings, nagFindings, profileStack, testApp, testStack } from '../util';

function database(props: Partial<AuroraDatabaseProps> = {}, region = 'eu-west-1') {
  const stack = testStack({ region });
  const network = new Network(stack, 'Network');
  const db = new AuroraDatabase(stack, 'Db', { vpc: network.vpc, ...props });
  return { stack, network, db };
}

describe('AuroraDatabase', () => {
  test('GIVEN defaults WHEN created THEN keeps data: snapshot on removal, deletion protection, retained key, 7-day backups', () => {
    const { stack } = database();
    const t = Template.fromStack(stack);
    t.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: Match.objectLike({ DeletionProtection: true, BackupRetentionPeriod: 7, StorageEncrypted: true, CopyTagsToSnapshot: true }),
    });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });

  test('GIVEN defaults WHEN created THEN is Aurora PostgreSQL Serverless v2 with a writer and one reader in isolated subnets', () => {
    const { stack } = database();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      EngineVersion: '16.8',
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 },
      ManageMasterUserPassword: true,
      MasterUserSecret: { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DbKey'), 'Arn'] } },
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql'],
    });
    t.resourceCountIs('AWS::RDS::DBInstance', 2);
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      DBInstanceClass: 'db.serverless', PromotionTier: 1, AvailabilityZone: 'eu-west-1b', EnablePerformanceInsights: true, MonitoringInterval: 60,
    });
    t.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('NetworkVpcDataSubnet1') }]) });
    t.resourceCountIs('AWS::SecretsManager::Secret', 0); // RDS-managed secret
  });

  test('GIVEN defaults WHEN created THEN forces TLS through the cluster parameter group', () => {
    const { stack } = database({ parameters: { log_min_duration_statement: '500' } });
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      Parameters: { 'rds.force_ssl': '1', 'log_min_duration_statement': '500' },
    });
  });

  test('GIVEN provisioned readers WHEN created THEN spreads them over the AZs with the given promotion tier', () => {
    const instanceType = ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE);
    const { stack } = database({ instanceType, readers: 2, readerPromotionTier: 2 });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::RDS::DBInstance', 3);
    t.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r7g.large', AvailabilityZone: 'eu-west-1b', PromotionTier: 2 });
    t.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r7g.large', AvailabilityZone: 'eu-west-1a', PromotionTier: 2 });
  });

  test('GIVEN reader scaling on connections WHEN created THEN tracks RDSReaderAverageDatabaseConnections on ReadReplicaCount', () => {
    const { stack } = database({ readerScaling: { minReaders: 1, maxReaders: 5, targetConnections: 500 } });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'rds',
      ScalableDimension: 'rds:cluster:ReadReplicaCount',
      MinCapacity: 1,
      MaxCapacity: 5,
      ResourceId: { 'Fn::Join': ['', ['cluster:', { Ref: Match.stringLikeRegexp('DbCluster') }]] },
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'RDSReaderAverageDatabaseConnections' },
        TargetValue: 500,
      }),
    });
  });

  test('GIVEN a service WHEN connected THEN the service reaches the port and gets endpoints and the secret, not in plain text', () => {
    const { stack, network, db } = database();
    const svc = new StatelessService(stack, 'Api', { vpc: network.vpc, image: IMAGE });
    db.connect(svc);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 5432,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DbClusterSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiServiceSecurityGroup'), 'GroupId'] },
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Environment: Match.arrayWith([
          { Name: 'DB_HOST', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('DbCluster'), 'Endpoint.Address'] } },
          { Name: 'DB_READER_HOST', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('DbCluster'), 'ReadEndpoint.Address'] } },
          { Name: 'DB_NAME', Value: 'app' },
        ]),
        Secrets: Match.arrayWith([Match.objectLike({ Name: 'DB_PASSWORD' })]),
      })],
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('DbKey'), 'Arn'] } })]) },
    });
    expectNoNagFindings(stack);
  });

  test('GIVEN a rotated master password WHEN a task reconnects THEN it can read the current secret itself (ECS injects it only at start)', () => {
    const { stack, network, db } = database();
    const svc = new StatelessService(stack, 'Api', { vpc: network.vpc, image: IMAGE });
    db.connect(svc);
    const t = Template.fromStack(stack);
    const td = Object.values(t.findResources('AWS::ECS::TaskDefinition'))[0];
    const env = td.Properties.ContainerDefinitions[0].Environment as Array<{ Name: string; Value: unknown }>;
    const arn = env.find((e) => e.Name === 'DB_SECRET_ARN')?.Value;
    expect(arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DbCluster/), 'MasterUserSecret.SecretArn'] });
    const taskRolePolicy = Object.values(t.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p.Properties.Roles).includes('ApiTaskTaskRole'))!;
    expect(taskRolePolicy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: arn }),
    ]));
  });

  test('GIVEN proxy WHEN connected THEN the service gets the proxy endpoint and the proxy requires TLS', () => {
    const { stack, network, db } = database({ proxy: true });
    const svc = new StatelessService(stack, 'Api', { vpc: network.vpc, image: IMAGE });
    db.connect(svc);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::DBProxy', { RequireTLS: true, EngineFamily: 'POSTGRESQL' });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Environment: Match.arrayWith([{ Name: 'DB_HOST', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('DbClusterProxy'), 'Endpoint'] } }]),
      })],
    });
  });

  test('GIVEN defaults WHEN created THEN alarms on CPU, freeable memory and replica lag', () => {
    const { stack, db } = database();
    const t = Template.fromStack(stack);
    expect(db.alarms).toHaveLength(3);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraReplicaLag', Threshold: 1000, Namespace: 'AWS/RDS' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FreeableMemory', ComparisonOperator: 'LessThanThreshold' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: 80 });
  });

  test('GIVEN maxConnections and 0 ACU minimum WHEN created THEN alarms on connections and lets the cluster pause', () => {
    const { stack } = database({ serverlessV2MinCapacity: 0, alarms: { maxConnections: 900 } });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::DBCluster', { ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 16 } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DatabaseConnections', Threshold: 900 });
  });

  test('GIVEN a database WHEN checked with AwsSolutions THEN there are no unacknowledged findings', () => {
    expectNoNagFindings(database({ readerScaling: { maxReaders: 3 } }).stack);
  });

  test('GIVEN removalPolicy DESTROY and no deletion protection WHEN created THEN the opt-out is honoured', () => {
    const { stack } = database({ removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
    Template.fromStack(stack).hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtection: false }) });
  });

  describe('Global Database', () => {
    test('GIVEN a primary and a secondary region WHEN synthesized THEN the secondary joins by identifier without cross-region references', () => {
      // GIVEN
      const app = testApp();
      const primaryStack = testStack({ app, id: 'Primary', region: 'eu-west-1' });
      const secondaryStack = testStack({ app, id: 'Secondary', region: 'us-west-2' });
      // WHEN
      new AuroraDatabase(primaryStack, 'Db', {
        vpc: new Network(primaryStack, 'Network').vpc,
        globalDatabase: { globalClusterIdentifier: 'shop-db', role: GlobalDatabaseRole.PRIMARY, secondaryRegions: ['us-west-2'] },
      });
      const secondary = new AuroraDatabase(secondaryStack, 'Db', {
        vpc: new Network(secondaryStack, 'Network').vpc,
        globalDatabase: { globalClusterIdentifier: 'shop-db', role: GlobalDatabaseRole.SECONDARY, writeForwarding: true },
      });
      // THEN
      const p = Template.fromStack(primaryStack);
      const s = Template.fromStack(secondaryStack);
      p.hasResource('AWS::RDS::GlobalCluster', {
        // Kept on deletion; removed if the create rolls back (its fixed identifier would fail a retry).
        DeletionPolicy: 'RetainExceptOnCreate',
        Properties: { GlobalClusterIdentifier: 'shop-db', SourceDBClusterIdentifier: Match.anyValue(), DeletionProtection: true },
      });
      p.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'shop-db/master', ReplicaRegions: [{ Region: 'us-west-2' }] });
      p.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
      s.resourceCountIs('AWS::RDS::GlobalCluster', 0);
      s.resourceCountIs('AWS::SecretsManager::Secret', 0);
      s.hasResourceProperties('AWS::RDS::DBCluster', {
        GlobalClusterIdentifier: 'shop-db',
        EnableGlobalWriteForwarding: true,
        MasterUsername: Match.absent(),
        MasterUserPassword: Match.absent(),
        ReplicationSourceIdentifier: Match.absent(),
        StorageEncrypted: true,
      });
      s.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraGlobalDBReplicationLag' });
      for (const t of [p, s]) {
        const json = JSON.stringify(t.toJSON());
        expect(json).not.toMatch(/Fn::ImportValue|CrossRegion|ExportsReader|ExportsWriter/);
      }
      // The replica is named by its complete ARN, read in the secondary's region at deploy time.
      s.hasResourceProperties('Custom::AWS', { Create: Match.serializedJson(Match.objectLike({ action: 'describeSecret', parameters: { SecretId: 'shop-db/master' } })) });
      expect(secondaryStack.resolve(secondary.secret?.secretArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/ReplicaSecretArn/), 'ARN'] });
      expectNoNagFindings(primaryStack);
      expectNoNagFindings(secondaryStack);
    });
  });

  describe('rejects bad input', () => {
    const cases: Array<[string, Partial<AuroraDatabaseProps>, RegExp]> = [
      ['an unknown global role (JavaScript caller)', { globalDatabase: { globalClusterIdentifier: 'g', role: 'replica' as any } }, /globalDatabase.role must be one of GlobalDatabaseRole.PRIMARY \("primary"\), GlobalDatabaseRole.SECONDARY \("secondary"\), got "replica"/],
      ['16 readers', { readers: 16 }, /AuroraDatabase 'Test\/Db': readers must be an integer between 0 and 15, got 16/],
      ['promotion tier 16', { readerPromotionTier: 16 }, /readerPromotionTier must be an integer between 0 and 15, got 16/],
      ['ACU 0.25', { serverlessV2MinCapacity: 0.25 }, /serverlessV2MinCapacity must be between 0.5 and 256, got 0.25/],
      ['ACU 0.75', { serverlessV2MinCapacity: 0.75, serverlessV2MaxCapacity: 4 }, /serverlessV2MinCapacity must be a multiple of 0.5 ACU, got 0.75/],
      ['max ACU 300', { serverlessV2MaxCapacity: 300 }, /serverlessV2MaxCapacity must be between 1 and 256, got 300/],
      ['max below min', { serverlessV2MinCapacity: 8, serverlessV2MaxCapacity: 4 }, /serverlessV2MaxCapacity must be at least serverlessV2MinCapacity \(8\), got 4/],
      ['ACU with an instance type', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE), serverlessV2MaxCapacity: 8 }, /serverlessV2MinCapacity\/serverlessV2MaxCapacity apply to Serverless v2, got them with instanceType r7g.large/],
      ['backup 0 days', { backupRetention: Duration.days(0) }, /backupRetention must be a whole number of seconds between 1 day and 35 days, got 0 days/],
      ['backup 36 days', { backupRetention: Duration.days(36) }, /backupRetention must be a whole number of seconds between 1 day and 35 days/],
      ['backup 36 hours', { backupRetention: Duration.hours(36) }, /backupRetention must be whole days between 1 and 35, got 1 day 12 hours/],
      ['monitoring 2 s', { monitoringInterval: Duration.seconds(2) }, /monitoringInterval \(seconds\) must be one of 0, 1, 5, 10, 15, 30, 60, got 2/],
      ['a reserved user', { masterUsername: 'postgres' }, /masterUsername 'postgres' is reserved/],
      ['a bad user', { masterUsername: '1admin' }, /masterUsername must be 1–16 letters, digits or underscores starting with a letter, got '1admin'/],
      ['a bad database name', { defaultDatabaseName: 'my-db' }, /defaultDatabaseName must be 1–63 letters, digits or underscores starting with a letter, got 'my-db'/],
      ['maxReaders 16', { readerScaling: { maxReaders: 16 } }, /readerScaling.maxReaders must be an integer between 1 and 15, got 16/],
      ['maxReaders below min', { readerScaling: { minReaders: 3, maxReaders: 2 } }, /readerScaling.maxReaders must be an integer between 3 and 15, got 2/],
      ['CPU and connections', { readerScaling: { maxReaders: 4, targetCpuPercent: 50, targetConnections: 100 } }, /give targetCpuPercent or targetConnections, got both/],
      ['minReaders 16', { readerScaling: { minReaders: 16, maxReaders: 15 } }, /readerScaling.minReaders must be an integer between 0 and 15, got 16/],
      ['targetConnections 0', { readerScaling: { maxReaders: 4, targetConnections: 0 } }, /readerScaling.targetConnections must be an integer between 1 and 100000, got 0/],
      ['CPU target 95', { readerScaling: { maxReaders: 4, targetCpuPercent: 95 } }, /readerScaling.targetCpuPercent must be an integer between 10 and 90, got 95/],
      ['readers above maxReaders', { readers: 5, readerScaling: { maxReaders: 4 } }, /readers \(5\) must not exceed readerScaling.maxReaders, got maxReaders 4/],
      ['a bad global identifier', { globalDatabase: { globalClusterIdentifier: 'shop--db', role: GlobalDatabaseRole.PRIMARY } }, /globalDatabase.globalClusterIdentifier must be 1–63 letters.*got 'shop--db'/],
      ['a global engine too old', { engineVersion: rds.AuroraPostgresEngineVersion.VER_11_8, globalDatabase: { globalClusterIdentifier: 'g', role: GlobalDatabaseRole.PRIMARY } }, /engineVersion 11.8 does not support Aurora Global Database/],
      ['a burstable global instance', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM), globalDatabase: { globalClusterIdentifier: 'g', role: GlobalDatabaseRole.PRIMARY } }, /instanceType t4g.medium does not support Aurora Global Database/],
      ['11 secondary regions', { globalDatabase: { globalClusterIdentifier: 'g', role: GlobalDatabaseRole.PRIMARY, secondaryRegions: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-southeast-2'] } }, /globalDatabase.secondaryRegions.length must be an integer between 0 and 10, got 11/],
      ['the primary region as secondary', { globalDatabase: { globalClusterIdentifier: 'g', role: GlobalDatabaseRole.PRIMARY, secondaryRegions: ['eu-west-1'] } }, /secondaryRegions must not contain the primary region eu-west-1/],
      ['a bad region', { globalDatabase: { globalClusterIdentifier: 'g', role: GlobalDatabaseRole.PRIMARY, secondaryRegions: ['europe'] } }, /secondaryRegions must be AWS region names like eu-west-1, got 'europe'/],
      ['write forwarding on the primary', { globalDatabase: { globalClusterIdentifier: 'g', role: GlobalDatabaseRole.PRIMARY, writeForwarding: true } }, /writeForwarding applies to secondary regions, got it with role primary/],
      ['secondary regions on a secondary', { globalDatabase: { globalClusterIdentifier: 'g', role: GlobalDatabaseRole.SECONDARY, secondaryRegions: ['us-west-2'] } }, /secondaryRegions is set in the primary region only/],
      ['a proxy on a secondary', { proxy: true, globalDatabase: { globalClusterIdentifier: 'g', role: GlobalDatabaseRole.SECONDARY } }, /proxy needs the master secret, which a global secondary does not own/],
      ['maxConnections 0', { alarms: { maxConnections: 0 } }, /alarms.maxConnections must be an integer between 1 and 1000000, got 0/],
      ['CPU alarm 120 %', { alarms: { cpuPercent: 120 } }, /alarms.cpuPercent must be between 1 and 100, got 120/],
    ];
    test.each(cases)('GIVEN %s WHEN created THEN throws', (_name, props, message) => {
      expect(() => database(props)).toThrow(message);
    });
  });
});

describe('AuroraDatabase rotation security group', () => {
  test('GIVEN a global primary with single-user rotation WHEN synthesized THEN the rotation function may reach the cluster on the PostgreSQL port itself, which the rule packs can read', () => {
    // GIVEN / WHEN
    const { stack } = database({ globalDatabase: { globalClusterIdentifier: 'shop-db', role: GlobalDatabaseRole.PRIMARY } });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('RotationSingleUserSecurityGroup'), 'GroupId'] },
      FromPort: POSTGRES_PORT,
      ToPort: POSTGRES_PORT,
      IpProtocol: 'tcp',
    });
    const packs = [CompliancePack.HIPAA_SECURITY, CompliancePack.NIST_800_53_R4, CompliancePack.NIST_800_53_R5, CompliancePack.PCI_DSS_321];
    expect(nagFindings(stack, packs).filter((f) => /EC2Restricted/.test(f))).toEqual([]);
  });
});

describe('AuroraDatabase functions of aws-cdk-lib under the documented profile', () => {
  test('GIVEN a global secondary (replica-secret lookup, log retention) WHEN every cdk-nag pack runs THEN no Lambda finding is left, and the lookup traces with 128 MB', () => {
    // GIVEN
    const stack = profileStack({ region: 'us-west-2' });
    const network = new Network(stack, 'Network');
    // WHEN
    new AuroraDatabase(stack, 'Db', { vpc: network.vpc, globalDatabase: { globalClusterIdentifier: 'shop-db', role: GlobalDatabaseRole.SECONDARY } });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' }, MemorySize: 128, Handler: 'index.handler' });
    expect(nagFindings(stack, Compliance.NAG_PACKS).filter((f) => /-Lambda/.test(f))).toEqual([]);
  });
});
