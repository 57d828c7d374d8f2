import { RehearsalRule } from '../model';
import { CrossRegionImport } from './cross-region-import';
import { DanglingDnsName } from './dangling-dns-name';
import { EcsPartialSecretArn } from './ecs-partial-secret-arn';
import { FargateTaskSize } from './fargate-task-size';
import { LambdaEdge } from './lambda-edge';
import { LambdaEdgeBundleSize } from './lambda-edge-bundle-size';
import { LambdaReservedConcurrency } from './lambda-reserved-concurrency';
import { NameCollision } from './name-collision';
import { RegionalQuota } from './regional-quota';
import { SqsDeadLetterQueueType } from './sqs-dead-letter-queue-type';
import { SqsQueueName } from './sqs-queue-name';
import { TargetGroupAlgorithm } from './target-group-algorithm';
import { UnknownImport } from './unknown-import';
import { UnorderedNameReference } from './unordered-reference';

/** Every rule of the rehearsal, in report order. */
export const RULES: readonly RehearsalRule[] = [
  NameCollision,
  UnorderedNameReference,
  DanglingDnsName,
  CrossRegionImport,
  UnknownImport,
  EcsPartialSecretArn,
  LambdaReservedConcurrency,
  RegionalQuota,
  SqsQueueName,
  SqsDeadLetterQueueType,
  TargetGroupAlgorithm,
  LambdaEdge,
  LambdaEdgeBundleSize,
  FargateTaskSize,
];
