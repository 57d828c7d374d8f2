import * as crypto from 'crypto';
import * as path from 'path';
import { CustomResource, Duration, Lazy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3Assets from 'aws-cdk-lib/aws-s3-assets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CdnDistribution } from './cdn-distribution';
import { isValidPath } from './invalidation-paths';
import { acknowledge } from '../compliance/acknowledge';
import { complianceProfile, HANDLER_MEMORY_MB, logGroupDefaults, XRAY_STAR_REASON } from '../compliance/profile';
import { WorkQueue } from '../messaging/work-queue';
import { acknowledgeFunction, NO_RESERVED_CONCURRENCY, SYNCHRONOUS_ONLY } from '../private/function-compliance';
import { handlerProvider } from '../private/handler-provider';
import { Validator } from '../private/validation';

const ASSETS_DIR = path.join(__dirname, '..', '..', 'assets', 'edge');
/** Runtime of the invalidation handlers. */
export const INVALIDATION_RUNTIME = lambda.Runtime.NODEJS_24_X;
/** Concurrent purge invocations at most (the SQS event source's maxConcurrency). */
const PURGE_MAX_CONCURRENCY = 2;
/** Context key holding the release ID (e.g. the git commit) that triggers the deploy-time invalidation. */
export const DEPLOYMENT_ID_CONTEXT = 'cdk-scaleout:deployment-id';

/** Why the invalidation handlers are not in a VPC. */
const INVALIDATION_OUTSIDE_VPC = 'Calls only the CloudFront API (CreateInvalidation on its distribution) and reaches nothing inside a VPC.';

/**
 * An invalidation handler from its prebuilt bundle: its own log group (3 months; a year under
 * `longLogRetention`), a role that may write only there (no AWS-managed policy) and invalidate
 * only this distribution, 128 MB, and active tracing under `lambdaTracing`.
 */
function invalidationFunction(
  scope: Construct, bundle: string, distribution: CdnDistribution, props: Pick<lambda.FunctionProps, 'timeout' | 'description' | 'environment'>,
): lambda.Function {
  const logGroup = new logs.LogGroup(scope, 'HandlerLogs', logGroupDefaults(scope, logs.RetentionDays.THREE_MONTHS));
  const role = new iam.Role(scope, 'HandlerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
  const tracing = complianceProfile(scope).lambdaTracing;
  const fn = new lambda.Function(scope, 'Handler', {
    runtime: INVALIDATION_RUNTIME,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(path.join(ASSETS_DIR, bundle)),
    memorySize: HANDLER_MEMORY_MB,
    tracing: tracing ? lambda.Tracing.ACTIVE : undefined,
    logGroup,
    role,
    ...props,
  });
  fn.addToRolePolicy(invalidationPolicy(distribution));
  if (tracing) acknowledge(role, { 'AwsSolutions-IAM5[Resource::*]': XRAY_STAR_REASON });
  return fn;
}

function invalidationPolicy(distribution: CdnDistribution): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: ['cloudfront:CreateInvalidation'],
    resources: [Stack.of(distribution).formatArn({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: distribution.distributionId })],
  });
}

/**
 * What changes on a release of the stage that holds `scope`: the hashes of its assets (container
 * images, Lambda code, files) and the names of its registry images, with the paths purged.
 * Computed at synth, once every construct of the stage exists.
 */
export function releaseFingerprint(scope: Construct, paths: string[]): string {
  const root = Stage.of(scope) ?? scope.node.root;
  const parts: string[] = [`paths:${paths.join(',')}`];
  for (const c of root.node.findAll()) {
    if (c instanceof ecrAssets.DockerImageAsset || c instanceof s3Assets.Asset) parts.push(`asset:${c.assetHash}`);
    else if (c instanceof ecs.ContainerDefinition && !Token.isUnresolved(c.imageName)) parts.push(`image:${c.imageName}`);
  }
  return crypto.createHash('sha256').update(parts.sort().join('\n')).digest('hex').slice(0, 32);
}

/**
 * Properties of a `DeployInvalidation`.
 */
export interface DeployInvalidationProps {
  /** The distribution. */
  readonly distribution: CdnDistribution;

  /**
   * Non-hashed paths to purge on each deployment, e.g. ['/index.html', '/'] (1–3000, at most 15 wildcards).
   *
   * @default ['/*']
   */
  readonly paths?: string[];

  /**
   * The release being deployed; a new value triggers a new invalidation. Pass the commit, e.g.
   * `cdk deploy -c cdk-scaleout:deployment-id=$(git rev-parse HEAD)`.
   *
   * @default - the `cdk-scaleout:deployment-id` context value, else a fingerprint of the release:
   * the hashes of every asset of the stage (container images, Lambda code, files) and the names
   * of its registry images, with the paths. It changes whenever any of them does.
   */
  readonly deploymentId?: string;
}

/**
 * Purges the distribution's non-hashed paths on deployment: a custom resource whose handler
 * calls CloudFront `CreateInvalidation` (idempotent caller reference, throttling retried, errors
 * fail the deployment, no-op on delete). It runs whenever `deploymentId` changes.
 */
export class DeployInvalidation extends Construct {
  /** The custom resource. */
  public readonly resource: CustomResource;
  /** The handler function. */
  public readonly handler: lambda.Function;

  constructor(scope: Construct, id: string, props: DeployInvalidationProps) {
    super(scope, id);
    const v = new Validator(this, 'DeployInvalidation');
    const paths = props.paths ?? ['/*'];
    v.range('paths.length', paths.length, 1, 3000);
    for (const p of paths) if (!isValidPath(p)) v.fail(`paths must start with '/' with '*' only at the end, got '${p}'`);
    v.range('paths (wildcards)', paths.filter((p) => p.includes('*')).length, 0, 15);
    const deploymentId: string = props.deploymentId ?? this.node.tryGetContext(DEPLOYMENT_ID_CONTEXT)
      ?? Lazy.string({ produce: () => releaseFingerprint(this, paths) });

    this.handler = invalidationFunction(this, 'invalidate.lambda', props.distribution, {
      timeout: Duration.minutes(5),
      description: 'cdk-scaleout: invalidate CloudFront paths on deployment',
    });
    acknowledgeFunction(this.handler, {
      concurrency: `${NO_RESERVED_CONCURRENCY} It runs once per deployment, for the custom resource.`,
      dlq: `${SYNCHRONOUS_ONLY}: by the custom-resource provider framework, which answers CloudFormation with its error (the deployment fails and shows it).`,
      vpc: INVALIDATION_OUTSIDE_VPC,
    });
    const provider = handlerProvider(this, this.handler, 'invalidation handler');
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::CloudFrontInvalidation',
      properties: { DistributionId: props.distribution.distributionId, Paths: paths, DeploymentId: deploymentId },
    });
  }
}

/**
 * Properties of a `PurgeOnChange`.
 */
export interface PurgeOnChangeProps {
  /** The distribution. */
  readonly distribution: CdnDistribution;

  /**
   * The queue of purge messages (`{"paths": [...]}`), in the edge stack's region. Publish to it
   * (or to a `FanOutTopic` it subscribes to) when data changes.
   *
   * @default - a new work queue (5-minute visibility timeout)
   */
  readonly queue?: WorkQueue;

  /**
   * Topic the alarms of the queue it creates notify (alarm and OK).
   *
   * @default - no notification: the alarms only show in CloudWatch; ignored with `queue`
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Messages per invocation, 1–10,000 (paths of a batch share invalidations).
   *
   * @default 100
   */
  readonly batchSize?: number;

  /**
   * How long to gather a batch, 0–300 seconds.
   *
   * @default Duration.seconds(30)
   */
  readonly maxBatchingWindow?: Duration;
}

/**
 * "Purge on data change": a function consuming a work queue of `{"paths": [...]}` messages that
 * invalidates those paths, deduplicated and batched within CloudFront's limits (3,000 paths,
 * 15 wildcards per invalidation), retrying throttling; failed messages go back to the queue
 * (partial batch failures) and, after `maxReceiveCount`, to its DLQ (alarmed).
 */
export class PurgeOnChange extends Construct {
  /** The queue of purge messages. */
  public readonly queue: WorkQueue;
  /** The purge function. */
  public readonly handler: lambda.Function;

  constructor(scope: Construct, id: string, props: PurgeOnChangeProps) {
    super(scope, id);
    const timeout = Duration.seconds(45);
    this.queue = props.queue ?? new WorkQueue(this, 'Queue', { visibilityTimeout: Duration.minutes(5), alarms: { topic: props.alarmTopic } });
    this.handler = invalidationFunction(this, 'purge.lambda', props.distribution, {
      timeout,
      description: 'cdk-scaleout: invalidate CloudFront paths named in queue messages',
      environment: { DISTRIBUTION_ID: props.distribution.distributionId },
      // No reserved concurrency: an account's concurrency quota can be as low as 10, with 10
      // kept unreserved, so any reservation fails there. The event source's maxConcurrency (2)
      // bounds the purgers instead.
    });
    this.queue.addLambdaConsumer(this.handler, {
      batchSize: props.batchSize ?? 100,
      maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(30),
      maxConcurrency: PURGE_MAX_CONCURRENCY,
    });
    acknowledgeFunction(this.handler, {
      concurrency: `${NO_RESERVED_CONCURRENCY} The SQS event source's maxConcurrency (${PURGE_MAX_CONCURRENCY}) bounds the purgers instead.`,
      dlq: `${SYNCHRONOUS_ONLY}: by its SQS event source mapping. A failed message returns to the queue and, after maxReceiveCount receives, `
        + `moves to the queue's dead-letter queue (${this.queue.deadLetterQueue.node.path}).`,
      vpc: INVALIDATION_OUTSIDE_VPC,
    });
  }
}
