/** CloudFormation resource types whose deletion or replacement loses data. */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  'AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'AWS::RDS::GlobalCluster', 'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::GlobalReplicationGroup', 'AWS::S3::Bucket', 'AWS::SQS::Queue',
  'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable',
  'AWS::SecretsManager::Secret', 'AWS::EFS::FileSystem',
]);
