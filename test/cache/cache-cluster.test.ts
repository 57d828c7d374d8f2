import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CacheCluster, CacheClusterProps, CacheEngine, CompliancePack, EvictionPolicy, Network, StatelessService } from '../../src';
import { IMAGE } from '../service/fixtures';
import { expectNoNagFindings, nagFindings, testStack } from '../util';

function cache(props: Partial<CacheClusterProps> = {}) {
  const stack = testStack();
  const network = new Network(stack, 'Network');
  const c = new CacheCluster(stack, 'Cache', { vpc: network.vpc, ...props });
  return { stack, network, cache: c };
}

describe('CacheCluster', () => {
  test('GIVEN defaults WHEN created THEN is a Valkey group with one replica, Multi-AZ failover, TLS, KMS at rest and an AUTH token from Secrets Manager', () => {
    const { stack } = cache();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'valkey',
      EngineVersion: '8.0',
      ClusterMode: 'disabled',
      NumNodeGroups: 1,
      ReplicasPerNodeGroup: 1,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('CacheKey'), 'Arn'] },
      AuthToken: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('CacheAuthToken') }, ':SecretString:::}}']] },
      SnapshotRetentionLimit: 7,
      LogDeliveryConfigurations: [Match.objectLike({ LogType: 'slow-log', LogFormat: 'json' }), Match.objectLike({ LogType: 'engine-log' })],
    });
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('CacheKey'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::ElastiCache::SubnetGroup', { SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('NetworkVpcDataSubnet1') }]) });
  });

  test('GIVEN defaults WHEN created THEN keeps data: final snapshot on deletion and replacement, retained key and secret', () => {
    const { stack } = cache();
    const t = Template.fromStack(stack);
    t.hasResource('AWS::ElastiCache::ReplicationGroup', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    t.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });

  test('GIVEN cluster mode with 3 shards WHEN created THEN shards the keyspace with cluster-enabled parameters', () => {
    const { stack, cache: c } = cache({ clusterMode: true, shards: 3, replicasPerShard: 2, evictionPolicy: EvictionPolicy.ALLKEYS_LFU });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { ClusterMode: 'enabled', NumNodeGroups: 3, ReplicasPerNodeGroup: 2 });
    t.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      CacheParameterGroupFamily: 'valkey8',
      Properties: { 'maxmemory-policy': 'allkeys-lfu', 'cluster-enabled': 'yes' },
    });
    expect(c.memberClusterIds).toHaveLength(9);
    expect(JSON.stringify(stack.resolve(c.memberClusterIds[8]))).toContain('-0003-003');
  });

  test('GIVEN Redis OSS 7.1 WHEN created THEN uses the redis7 family', () => {
    const { stack } = cache({ engine: CacheEngine.REDIS });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { Engine: 'redis', EngineVersion: '7.1' });
    t.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { CacheParameterGroupFamily: 'redis7', Properties: { 'cluster-enabled': 'no', 'maxmemory-policy': 'allkeys-lru' } });
  });

  test('GIVEN RBAC user groups WHEN created THEN no AUTH token exists', () => {
    const { stack } = cache({ userGroupIds: ['app-users'] });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SecretsManager::Secret', 0);
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { UserGroupIds: ['app-users'], AuthToken: Match.absent() });
  });

  test('GIVEN a service WHEN connected THEN it reaches the port and gets endpoints and the token as a secret', () => {
    const { stack, network, cache: c } = cache();
    const svc = new StatelessService(stack, 'Api', { vpc: network.vpc, image: IMAGE });
    c.connect(svc);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 6379,
      ToPort: 6379,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiServiceSecurityGroup'), 'GroupId'] },
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Environment: Match.arrayWith([
          { Name: 'CACHE_HOST', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('Cache'), 'PrimaryEndPoint.Address'] } },
          { Name: 'CACHE_TLS', Value: 'true' },
        ]),
        Secrets: [{ Name: 'CACHE_AUTH_TOKEN', ValueFrom: { Ref: Match.stringLikeRegexp('CacheAuthToken') } }],
      })],
    });
    expectNoNagFindings(stack);
  });

  test('GIVEN defaults WHEN created THEN alarms on engine CPU, memory, hit rate, evictions and replication lag over every node', () => {
    const { stack, cache: c } = cache();
    const t = Template.fromStack(stack);
    expect(c.alarms).toHaveLength(5);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 80,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: '100 * hits / IF(hits + misses > 0, hits + misses, 1)' })]),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'MAX([enginecpuutilization0, enginecpuutilization1])' }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'EngineCPUUtilization', Dimensions: [{ Name: 'CacheClusterId', Value: Match.anyValue() }] }) }) }),
      ]),
    });
  });

  test('GIVEN a primary global datastore WHEN created THEN creates the global replication group with this group as primary', () => {
    const { stack } = cache({ cacheNodeType: 'cache.r7g.large', globalDatastore: { primaryIdSuffix: 'shop-cache' } });
    Template.fromStack(stack).hasResource('AWS::ElastiCache::GlobalReplicationGroup', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: Match.objectLike({ GlobalReplicationGroupIdSuffix: 'shop-cache', Members: [Match.objectLike({ ReplicationGroupRegion: 'eu-west-1', Role: 'PRIMARY' })] }),
    });
  });

  test('GIVEN a secondary global datastore WHEN created THEN joins by id and has no AUTH token of its own', () => {
    const { stack } = cache({ cacheNodeType: 'cache.r7g.large', globalDatastore: { secondaryOf: 'ldgnf-shop-cache' } });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { GlobalReplicationGroupId: 'ldgnf-shop-cache' });
    t.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('GIVEN a cache WHEN checked with AwsSolutions THEN there are no unacknowledged findings', () => {
    expectNoNagFindings(cache({ clusterMode: true, shards: 2 }).stack);
  });

  test('GIVEN removalPolicy DESTROY WHEN created THEN the opt-out is honoured', () => {
    const { stack } = cache({ removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::ElastiCache::ReplicationGroup', { DeletionPolicy: 'Delete' });
  });

  describe('rejects bad input', () => {
    const cases: Array<[string, Partial<CacheClusterProps>, RegExp]> = [
      ['an unknown engine version', { engineVersion: '6.0' }, /CacheCluster 'Test\/Cache': engineVersion must be one of 7.2, 8.0, 8.1, got 6.0/],
      ['a bad node type', { cacheNodeType: 'r7g.large' }, /cacheNodeType must be a node type like 'cache.r7g.large', got 'r7g.large'/],
      ['0 shards', { clusterMode: true, shards: 0 }, /shards must be an integer between 1 and 500, got 0/],
      ['501 shards', { clusterMode: true, shards: 501 }, /shards must be an integer between 1 and 500, got 501/],
      ['6 replicas', { replicasPerShard: 6 }, /replicasPerShard must be an integer between 0 and 5, got 6/],
      ['shards without cluster mode', { shards: 2 }, /shards must be 1 without clusterMode, got 2/],
      ['too many nodes', { clusterMode: true, shards: 200, replicasPerShard: 2 }, /must be at most 500 nodes, got 200 × 3 = 600/],
      ['Multi-AZ without replicas', { replicasPerShard: 0, multiAz: true }, /multiAz \(with automatic failover\) needs replicasPerShard of at least 1, got 0/],
      ['cluster mode without replicas', { clusterMode: true, replicasPerShard: 0, multiAz: undefined }, /clusterMode needs automatic failover, which needs replicasPerShard of at least 1, got 0/],
      ['an unknown eviction policy', { evictionPolicy: 'lru' as EvictionPolicy }, /evictionPolicy must be one of EvictionPolicy.ALLKEYS_LRU \("allkeys-lru"\).*got "lru"/],
      ['an unknown engine (JavaScript caller)', { engine: 'memcached' as any }, /engine must be one of CacheEngine.VALKEY \("valkey"\), CacheEngine.REDIS \("redis"\), got "memcached"/],
      ['port 80', { port: 80 }, /port must be an integer between 1024 and 65535, got 80/],
      ['a 12-character token', { authTokenLength: 12 }, /authTokenLength must be an integer between 16 and 128, got 12/],
      ['a token length with RBAC', { userGroupIds: ['g'], authTokenLength: 32 }, /authTokenLength applies to AUTH tokens, got it with userGroupIds/],
      ['two user groups', { userGroupIds: ['a', 'b'] }, /userGroupIds must hold exactly 1 user group, got 2/],
      ['36 snapshot days', { snapshotRetentionDays: 36 }, /snapshotRetentionDays must be an integer between 0 and 35, got 36/],
      ['a bad snapshot window', { snapshotWindow: '3-4' }, /snapshotWindow must be a UTC window like '03:00-04:00', got '3-4'/],
      ['a bad maintenance window', { maintenanceWindow: 'sunday 5am' }, /maintenanceWindow must be a UTC window like 'sun:05:00-sun:06:00', got 'sunday 5am'/],
      ['primary and secondary', { cacheNodeType: 'cache.r7g.large', globalDatastore: { primaryIdSuffix: 'a', secondaryOf: 'b' } }, /globalDatastore: give primaryIdSuffix or secondaryOf, got both/],
      ['a burstable global node', { globalDatastore: { primaryIdSuffix: 'a' } }, /cacheNodeType cache.t4g.medium does not support Global Datastore/],
      ['a bad datastore suffix', { cacheNodeType: 'cache.r7g.large', globalDatastore: { primaryIdSuffix: 'shop cache' } }, /globalDatastore.primaryIdSuffix must be 1–40 letters, digits or hyphens, got 'shop cache'/],
      ['engine CPU alarm 0 %', { alarms: { engineCpuPercent: 0 } }, /alarms.engineCpuPercent must be between 1 and 100, got 0/],
      ['memory alarm 150 %', { alarms: { memoryPercent: 150 } }, /alarms.memoryPercent must be between 1 and 100, got 150/],
      ['negative evictions', { alarms: { evictionsPerMinute: -1 } }, /alarms.evictionsPerMinute must be an integer between 0 and 1000000000000, got -1/],
      ['hit-rate alarm 101 %', { alarms: { hitRatePercent: 101 } }, /alarms.hitRatePercent must be between 0 and 100, got 101/],
    ];
    test.each(cases)('GIVEN %s WHEN created THEN throws', (_name, props, message) => {
      expect(() => cache(props)).toThrow(message);
    });
  });
});

describe('CacheCluster AUTH token rotation', () => {
  test('GIVEN an AUTH token WHEN the HIPAA and NIST 800-53 R5 packs run THEN its rotation finding is acknowledged (AUTH tokens rotate through ModifyReplicationGroup)', () => {
    const { stack } = cache();
    expect(nagFindings(stack, [CompliancePack.HIPAA_SECURITY, CompliancePack.NIST_800_53_R5]).filter((f) => /SecretsManagerRotationEnabled/.test(f))).toEqual([]);
  });
});
