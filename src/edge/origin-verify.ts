import * as path from 'path';
import { CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { complianceProfile, HANDLER_MEMORY_MB, logGroupDefaults, XRAY_STAR_REASON } from '../compliance/profile';
import { acknowledgeFunction, NO_RESERVED_CONCURRENCY, SYNCHRONOUS_ONLY } from '../private/function-compliance';
import { handlerProvider } from '../private/handler-provider';
import { Validator } from '../private/validation';

const ASSETS_DIR = path.join(__dirname, '..', '..', 'assets', 'edge');
/** Default name of the header CloudFront adds and the load balancers require. */
export const DEFAULT_ORIGIN_VERIFY_HEADER = 'X-Origin-Verify';
/** Default rotation interval of the origin-verify secret. */
export const DEFAULT_ORIGIN_VERIFY_ROTATION = Duration.days(30);
/** Paths a load balancer serves without the header by default (Route 53 health checkers cannot send custom headers). */
export const DEFAULT_OPEN_PATHS = ['/health'];
/** Runtime of the rotation handler. */
export const ORIGIN_VERIFY_RUNTIME = lambda.Runtime.NODEJS_24_X;
/** Tag that changes with `revision`, so that CloudFormation re-resolves the dynamic references. */
export const ORIGIN_VERIFY_REVISION_TAG = 'cdk-scaleout:origin-verify-revision';

/** Secrets Manager secret names: 1–512 of A-Z a-z 0-9 / _ + = . @ -. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * What a load balancer needs to require the origin-verify header (`ServiceLoadBalancerProps.originVerify`).
 */
export interface LoadBalancerOriginVerify {
  /** The header's name, e.g. `X-Origin-Verify` (1–40 RFC 7230 token characters). */
  readonly headerName: string;

  /**
   * The accepted values, 1–4: normally the three dynamic references of `OriginVerifySecret`. They
   * count towards the 5 condition values of every rule. Literal values must be 32–128 letters
   * and digits (the ALB treats `*` and `?` as wildcards).
   */
  readonly values: string[];

  /**
   * Paths served without the header, forwarded to the default route's target groups (Route 53
   * health checkers cannot send custom headers). At most 5; `[]` for none.
   *
   * @default ['/health']
   */
  readonly openPaths?: string[];

  /**
   * Change this after each rotation (e.g. the rotation date or the release): CloudFormation
   * resolves a dynamic reference again only when the resource that holds it changes, so it tags
   * every rule with it.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html
   * @default - no tag: the rules pick up a rotated value only when they change for another reason
   */
  readonly revision?: string;
}

/**
 * What a distribution needs to send the origin-verify header (`CdnDistributionProps.originVerify`).
 */
export interface DistributionOriginVerify {
  /** The header's name, e.g. `X-Origin-Verify`. */
  readonly headerName: string;

  /** The value CloudFront sends: normally the dynamic reference to the secret's `current` key. */
  readonly value: string;

  /**
   * Change this after each rotation, like `LoadBalancerOriginVerify.revision`; the distribution is
   * tagged with it.
   *
   * @default - no tag: the distribution picks up a rotated value only when it changes for another reason
   */
  readonly revision?: string;
}

/**
 * Options of the references to an origin-verify secret.
 */
export interface OriginVerifyReferenceOptions {
  /**
   * The header's name.
   *
   * @default 'X-Origin-Verify'
   */
  readonly headerName?: string;

  /**
   * See `LoadBalancerOriginVerify.revision`.
   *
   * @default - none
   */
  readonly revision?: string;
}

/**
 * Options of the load-balancer side of an origin-verify secret.
 */
export interface LoadBalancerOriginVerifyOptions extends OriginVerifyReferenceOptions {
  /**
   * Paths served without the header.
   *
   * @default ['/health']
   */
  readonly openPaths?: string[];
}

/**
 * Properties of an `OriginVerifySecret`.
 */
export interface OriginVerifySecretProps {
  /**
   * The secret's name, the same in every region (replicas keep it): the other stacks refer to it
   * by this name, not by a cross-stack reference. Include the stage, e.g. `UrlShortener/OriginVerify` (not ending in a hyphen and 6 characters, which Secrets Manager reads as an ARN suffix).
   */
  readonly secretName: string;

  /**
   * Regions to replicate the secret to: every other region whose stacks resolve it (the other
   * regional stacks, and us-east-1 for the edge stack unless the secret is created there).
   *
   * @default - none
   */
  readonly replicaRegions?: string[];

  /**
   * How often the value rotates, 1–365 days, or `Duration.days(0)` for rotation on demand only
   * (`aws secretsmanager rotate-secret --secret-id <name>`: the rotation function is attached, no
   * schedule). A rotation reaches CloudFront and the load balancers on their next deployment
   * with a new `revision`, and the load balancers tolerate one rotation ahead of CloudFront: two
   * rotations without a release in between make them reject CloudFront's header while the
   * next release rolls out. On demand, right before a release, never has that window.
   *
   * @default Duration.days(30)
   */
  readonly rotationInterval?: Duration;

  /**
   * What happens to the secret when the stack deletes it. Other stacks resolve it by name on
   * every update, so it is kept by default — except when the stack's creation rolls back: the
   * secret has a fixed name, and a retained one would fail the retried create.
   *
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The secret behind the origin-verify header: CloudFront adds the header to every request to
 * the regional and shared HTTP origins, and the load balancers answer 403 to requests without
 * it, so that neither `<region>.origin.<zone>` nor the load balancer's own name can be used to
 * get around CloudFront and its WAF.
 *
 * The secret's JSON holds three generations, `previous`, `current` and `next` (letters and
 * digits, 64 characters), set by an initialization custom resource (CloudFormation can generate
 * one key only) and shifted by the rotation function (previous ← current ← next ← new).
 * Templates hold only CloudFormation dynamic references, e.g.
 * `{{resolve:secretsmanager:<name>:SecretString:current}}`: CloudFront sends `current`, the load
 * balancers accept all three. A load balancer resolved one rotation before or after CloudFront
 * therefore still accepts its header, in either deploy order.
 *
 * Caveat: CloudFormation resolves a dynamic reference when it creates or updates the resource
 * that holds it, not when the secret changes. A rotation takes effect on the next deployment in
 * which the rules and the distribution change: pass a new `revision` (they are tagged with it),
 * deploy the regional stacks, then the edge stack, at least once between two rotations.
 *
 * Create it in one regional stack (e.g. the primary region's) and replicate it to every other
 * region that resolves it; refer to it elsewhere by name with the static `forLoadBalancer()` /
 * `forDistribution()`.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html
 */
export class OriginVerifySecret extends Construct {
  /**
   * The dynamic reference to one key of the secret, e.g. `{{resolve:secretsmanager:<name>:SecretString:current}}`.
   */
  public static dynamicReference(secretName: string, key: string): string {
    return `{{resolve:secretsmanager:${secretName}:SecretString:${key}}}`;
  }

  /** The load-balancer side, by secret name: accepts `previous`, `current` and `next`. */
  public static forLoadBalancer(secretName: string, options: LoadBalancerOriginVerifyOptions = {}): LoadBalancerOriginVerify {
    return {
      headerName: options.headerName ?? DEFAULT_ORIGIN_VERIFY_HEADER,
      values: ['previous', 'current', 'next'].map((k) => OriginVerifySecret.dynamicReference(secretName, k)),
      openPaths: options.openPaths,
      revision: options.revision,
    };
  }

  /** The CloudFront side, by secret name: sends `current`. */
  public static forDistribution(secretName: string, options: OriginVerifyReferenceOptions = {}): DistributionOriginVerify {
    return {
      headerName: options.headerName ?? DEFAULT_ORIGIN_VERIFY_HEADER,
      value: OriginVerifySecret.dynamicReference(secretName, 'current'),
      revision: options.revision,
    };
  }

  /** The secret. */
  public readonly secret: secretsmanager.Secret;
  /** The secret's name (the same in every replica region). */
  public readonly secretName: string;
  /** The rotation and initialization function. */
  public readonly handler: lambda.Function;
  /** The initialization custom resource: depend on it to resolve the secret in this stack. */
  public readonly initialization: CustomResource;

  constructor(scope: Construct, id: string, props: OriginVerifySecretProps) {
    super(scope, id);
    const v = new Validator(this, 'OriginVerifySecret');
    v.pattern('secretName', props.secretName, SECRET_NAME, '1–512 characters of A-Z a-z 0-9 / _ + = . @ -');
    if (!Token.isUnresolved(props.secretName) && /-[A-Za-z0-9]{6}$/.test(props.secretName)) {
      v.fail(`secretName must not end with a hyphen and 6 characters (Secrets Manager would take it for an ARN suffix), got '${props.secretName}'`);
    }
    const region = Stack.of(this).region;
    const replicas = props.replicaRegions ?? [];
    const seen = new Set<string>();
    for (const r of replicas) {
      v.pattern('replicaRegions', r, REGION, 'region codes like eu-west-1');
      if (!Token.isUnresolved(region) && r === region) v.fail(`replicaRegions must not include the secret's own region, got ${r}`);
      if (seen.has(r)) v.fail(`replicaRegions must name each region once, got ${r} twice`);
      seen.add(r);
    }
    const interval = props.rotationInterval ?? DEFAULT_ORIGIN_VERIFY_ROTATION;
    if (!interval.isUnresolved()) {
      const days = interval.toHours() / 24;
      if (days !== 0 && (days < 1 || days > 365 || !Number.isInteger(days))) {
        v.fail(`rotationInterval must be 0 (on demand) or a whole number of days between 1 and 365, got ${interval.toHumanString()}`);
      }
    }
    this.secretName = props.secretName;

    this.secret = new secretsmanager.Secret(this, 'Resource', {
      secretName: props.secretName,
      description: 'cdk-scaleout origin-verify header values (previous, current, next); CloudFront sends current',
      // Letters and digits only: ALB header conditions treat * and ? as wildcards.
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'current', excludePunctuation: true, includeSpace: false, passwordLength: 64 },
      replicaRegions: replicas.map((r) => ({ region: r })),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    if (!interval.isUnresolved() && interval.toHours() === 0) {
      const onDemand = 'Rotated on demand right before a release (the rotation function is attached: aws secretsmanager rotate-secret): a schedule could rotate twice between two releases, and the load balancers tolerate one rotation ahead of CloudFront only.';
      acknowledge(this.secret, {
        'AwsSolutions-SMG4': onDemand,
        'HIPAA.Security-SecretsManagerRotationEnabled': onDemand,
        'NIST.800.53.R5-SecretsManagerRotationEnabled': onDemand,
      });
    }
    if (replicas.length > 0) {
      const awsManagedKey = `Encrypted with the AWS managed key aws/secretsmanager of each Region: the secret is replicated (to ${[replicas.slice(0, -1).join(', '), replicas[replicas.length - 1]].filter(Boolean).join(' and ')}), `
        + 'and CloudFormation dynamic references resolve it in the stacks of those Regions; a customer managed key would need a key of its own '
        + 'in every replica Region, which this one stack cannot create (no cross-region references). The value is a header shared with CloudFront, not customer data.';
      acknowledge(this.secret, {
        'HIPAA.Security-SecretsManagerUsingKMSKey': awsManagedKey,
        'NIST.800.53.R5-SecretsManagerUsingKMSKey': awsManagedKey,
        'PCI.DSS.321-SecretsManagerUsingKMSKey': awsManagedKey,
      });
    }

    const logGroup = new logs.LogGroup(this, 'HandlerLogs', logGroupDefaults(this, logs.RetentionDays.THREE_MONTHS));
    const role = new iam.Role(this, 'HandlerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const tracing = complianceProfile(this).lambdaTracing;
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    this.handler = new lambda.Function(this, 'Handler', {
      runtime: ORIGIN_VERIFY_RUNTIME,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(ASSETS_DIR, 'origin-verify-rotation.lambda')),
      description: 'cdk-scaleout: initialize and rotate the origin-verify secret',
      timeout: Duration.seconds(30),
      memorySize: HANDLER_MEMORY_MB,
      tracing: tracing ? lambda.Tracing.ACTIVE : undefined,
      logGroup,
      role,
    });
    acknowledgeFunction(this.handler, {
      concurrency: `${NO_RESERVED_CONCURRENCY} It runs for the four steps of each rotation and once for the initialization custom resource.`,
      dlq: `${SYNCHRONOUS_ONLY}: by Secrets Manager for rotation (a failed rotation is retried by Secrets Manager and logged in CloudTrail) `
        + 'and by the custom-resource provider framework for initialization (a failure fails the deployment).',
      vpc: 'Calls only the Secrets Manager API (this secret, GetRandomPassword) and reaches nothing inside a VPC.',
    });
    const rotation = this.secret.addRotationSchedule('Rotation', {
      rotationLambda: this.handler,
      automaticallyAfter: interval,
      // Rotating at deploy time would only move the value ahead of the templates.
      rotateImmediatelyOnUpdate: false,
    });
    // Only Secrets Manager rotating a secret of this account may invoke the function (Control
    // Tower CT.LAMBDA.PR.2: a service principal's permission names the source).
    for (const c of this.handler.node.children) {
      if (c instanceof lambda.CfnPermission && c.principal === 'secretsmanager.amazonaws.com' && !c.sourceAccount && !c.sourceArn) {
        c.sourceAccount = Stack.of(this).account;
      }
    }
    // The custom resource initializes the secret (and nothing else): the rotation grants cover it.
    const provider = handlerProvider(this, this.handler, 'origin-verify handler');
    this.initialization = new CustomResource(this, 'Initialize', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::OriginVerifyInitialize',
      properties: { SecretId: this.secret.secretArn },
    });
    // Initialize first: creating the schedule makes Secrets Manager test the rotation function,
    // which must find the three generations. (The handler's grants are in its role's policy,
    // which the function, and so the initialization, already waits for.)
    rotation.node.addDependency(this.initialization);

    acknowledge(role, {
      'AwsSolutions-IAM5[Resource::*]': 'secretsmanager:GetRandomPassword has no resource; aws-cdk-lib grants it with the rotation schedule.'
        + (tracing ? ` ${XRAY_STAR_REASON}` : ''),
    });
  }

  /** The load-balancer side of this secret. */
  public loadBalancerOptions(options: LoadBalancerOriginVerifyOptions = {}): LoadBalancerOriginVerify {
    return OriginVerifySecret.forLoadBalancer(this.secretName, options);
  }

  /** The CloudFront side of this secret. */
  public distributionOptions(options: OriginVerifyReferenceOptions = {}): DistributionOriginVerify {
    return OriginVerifySecret.forDistribution(this.secretName, options);
  }
}
