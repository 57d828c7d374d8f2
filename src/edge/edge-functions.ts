import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { acknowledgeFunction, NO_RESERVED_CONCURRENCY, SYNCHRONOUS_ONLY } from '../private/function-compliance';
import { Validator } from '../private/validation';

/**
 * Runtime of the Lambda@Edge handlers: Node.js 22, the newest Node.js runtime that AWS's list of
 * Lambda@Edge runtimes names (Node.js 24, Lambda's newest, is not on it). The handlers are async,
 * so they also run on Node.js 24 once Lambda@Edge lists it.
 * @see https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html#lambda-at-edge-restrictions-runtime
 */
export const EDGE_RUNTIME = lambda.Runtime.NODEJS_22_X;
/** The page of AWS's Lambda@Edge restrictions, cited in the acknowledgements. */
const EDGE_RESTRICTIONS = 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html';
/** The bundled handlers, relative to this file (src/edge → assets/edge). */
const ASSETS_DIR = path.join(__dirname, '..', '..', 'assets', 'edge');
const CONFIG_PLACEHOLDER = '__CDK_SCALEOUT_CONFIG__';
/** Lambda@Edge code size limits (uncompressed here, a conservative bound of the zipped limits). */
const MAX_VIEWER_CODE_BYTES = 1024 * 1024;
const MAX_ORIGIN_CODE_BYTES = 50 * 1024 * 1024;

/**
 * An A/B test variant.
 */
export interface AbTestVariant {
  /** Cookie value naming the variant, 1–32 of `[A-Za-z0-9_-]`. */
  readonly name: string;
  /** Relative weight, 0–1000. */
  readonly weight: number;
  /**
   * Path prefix the variant is served from, e.g. '/experiments/b'.
   *
   * @default '' (the control: paths unchanged)
   */
  readonly pathPrefix?: string;
}

/**
 * Properties of an `AbTestEdgeFunction`.
 */
export interface AbTestEdgeFunctionProps {
  /** The variants, 2–10. */
  readonly variants: AbTestVariant[];

  /**
   * Name of the sticky bucket cookie.
   *
   * @default 'ab-bucket'
   */
  readonly cookieName?: string;

  /**
   * How long a visitor keeps a variant.
   *
   * @default Duration.days(30)
   */
  readonly cookieMaxAge?: Duration;
}

/**
 * Properties of a `JwtAuthEdgeFunction`.
 */
export interface JwtAuthEdgeFunctionProps {
  /** PEM-encoded public key (SPKI) that verifies token signatures. */
  readonly publicKeyPem: string;

  /**
   * Signature algorithm: 'RS256' or 'ES256'.
   *
   * @default 'RS256'
   */
  readonly algorithm?: string;

  /**
   * Required issuer (`iss`).
   *
   * @default - not checked
   */
  readonly issuer?: string;

  /**
   * Required audience (`aud`).
   *
   * @default - not checked
   */
  readonly audience?: string;

  /**
   * Cookie holding the token when there is no `Authorization: Bearer` header.
   *
   * @default - the header only
   */
  readonly cookieName?: string;

  /**
   * Allowed clock skew, 0–300 seconds.
   *
   * @default Duration.seconds(30)
   */
  readonly leeway?: Duration;
}

/**
 * A per-country rule of a `GeoContentEdgeFunction`.
 */
export interface GeoContentRule {
  /**
   * Path prefix to serve from, e.g. '/de'.
   *
   * @default - path unchanged
   */
  readonly pathPrefix?: string;

  /**
   * Headers added to the origin request.
   *
   * @default - none
   */
  readonly headers?: { [name: string]: string };
}

/**
 * Properties of a `GeoContentEdgeFunction`.
 */
export interface GeoContentEdgeFunctionProps {
  /** ISO 3166-1 alpha-2 country code (e.g. 'DE', 'GB') → rule. */
  readonly countries: { [country: string]: GeoContentRule };

  /**
   * Rule for other countries.
   *
   * @default - requests unchanged
   */
  readonly defaultRule?: GeoContentRule;
}

/**
 * A Lambda@Edge function ready to associate with a behaviour: its version and event type.
 */
export interface IEdgeLambda {
  /** The published version CloudFront runs. */
  readonly version: lambda.IVersion;
  /** The event it handles. */
  readonly eventType: cloudfront.LambdaEdgeEventType;
}

/** Internal: what `createBakedEdgeFunction` returns. */
interface BakedFunction {
  readonly fn: lambda.Function;
  readonly version: lambda.IVersion;
}

/**
 * Internal: a Lambda@Edge function (us-east-1 only, x86_64, no environment, no VPC) from a
 * prebuilt bundle with its configuration baked in, with a role that may only write its logs.
 */
function createBakedEdgeFunction(
  scope: Construct, v: Validator, kind: string, bundle: string, eventType: cloudfront.LambdaEdgeEventType, config: object,
): BakedFunction {
  const isViewer = isViewerEvent(eventType);
  const codeDir = bakeBundle(v, bundle, config);
  const codeSize = fs.statSync(path.join(codeDir, 'index.js')).size;
  const maxCode = isViewer ? MAX_VIEWER_CODE_BYTES : MAX_ORIGIN_CODE_BYTES;
  if (codeSize > maxCode) {
    v.fail(`the code must be at most ${maxCode} bytes for ${eventType} (Lambda@Edge limit), got ${codeSize} bytes with the baked configuration`);
  }
  return createEdgeFunction(scope, v, {
    code: lambda.Code.fromAsset(codeDir),
    eventType,
    description: `${kind} (${eventType}), configuration baked in at synth`,
  });
}

function isViewerEvent(eventType: cloudfront.LambdaEdgeEventType): boolean {
  return eventType === cloudfront.LambdaEdgeEventType.VIEWER_REQUEST || eventType === cloudfront.LambdaEdgeEventType.VIEWER_RESPONSE;
}

/**
 * Internal: a Lambda@Edge function and its published version, in us-east-1, x86_64, no
 * environment, no VPC, with a role that may only write its logs (in every edge Region).
 */
function createEdgeFunction(scope: Construct, v: Validator, props: {
  code: lambda.Code;
  eventType: cloudfront.LambdaEdgeEventType;
  description: string;
  handler?: string;
  runtime?: lambda.Runtime;
  memorySize?: number;
  timeout?: Duration;
}): BakedFunction {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region) || stack.region !== 'us-east-1') {
    v.fail(`Lambda@Edge functions must be created in us-east-1 (put them in the edge stack), got region ${Token.isUnresolved(stack.region) ? 'unresolved (set env.region)' : stack.region}`);
  }
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.CompositePrincipal(new iam.ServicePrincipal('lambda.amazonaws.com'), new iam.ServicePrincipal('edgelambda.amazonaws.com')),
    description: `${scope.node.path} Lambda@Edge`,
  });
  // Lambda@Edge logs in the Region of each edge location, to /aws/lambda/us-east-1.<name>.
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [`arn:${Aws.PARTITION}:logs:*:${Aws.ACCOUNT_ID}:log-group:/aws/lambda/us-east-1.*`],
  }));
  acknowledge(role, {
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:/aws/lambda/us-east-1.*]':
      'Lambda@Edge logs to a log group in the Region of each edge location that runs it, named /aws/lambda/us-east-1.<function>; those Regions and the generated name are unknown at synth.',
  });
  const isViewer = isViewerEvent(props.eventType);
  const runtime = props.runtime ?? EDGE_RUNTIME;
  const fn = new lambda.Function(scope, 'Function', {
    runtime,
    architecture: lambda.Architecture.X86_64,
    handler: props.handler ?? 'index.handler',
    code: props.code,
    memorySize: props.memorySize ?? 128,
    timeout: props.timeout ?? (isViewer ? Duration.seconds(5) : Duration.seconds(10)),
    role,
    description: props.description,
  });
  acknowledgeFunction(fn, {
    concurrency: `${NO_RESERVED_CONCURRENCY} CloudFront runs Lambda@Edge in the Regions near its viewers, where it shares each Region's concurrency with the account's other functions.`,
    dlq: `${SYNCHRONOUS_ONLY}: by CloudFront, per request, which answers the viewer itself when the function fails.`,
    vpc: `Lambda@Edge functions cannot access resources inside a VPC (Restrictions on Lambda@Edge, ${EDGE_RESTRICTIONS}).`,
    tracing: `Lambda@Edge does not support AWS X-Ray tracing (Restrictions on Lambda@Edge, ${EDGE_RESTRICTIONS}).`,
  });
  if (runtime === EDGE_RUNTIME) {
    const latest = `Node.js 22 is the newest Node.js runtime on AWS's list of Lambda@Edge runtimes (Restrictions on Lambda@Edge, ${EDGE_RESTRICTIONS}); `
      + 'Node.js 24, Lambda\'s newest, is not on it, and a runtime Lambda@Edge does not support fails the CloudFront association at deploy.';
    acknowledge(fn, { 'AwsSolutions-L1': latest, 'Serverless-LambdaLatestVersion': latest });
  }
  return { fn, version: fn.currentVersion };
}

/**
 * Properties of a `CustomEdgeFunction`.
 */
export interface CustomEdgeFunctionProps {
  /** The code (e.g. `lambda.Code.fromAsset(dir)` of a bundle; at most 1 MB for viewer events, 50 MB for origin events). */
  readonly code: lambda.Code;

  /** The event it handles. */
  readonly eventType: cloudfront.LambdaEdgeEventType;

  /**
   * The handler.
   *
   * @default 'index.handler'
   */
  readonly handler?: string;

  /**
   * The runtime (Lambda@Edge supports Node.js and Python runtimes only).
   *
   * @default EDGE_RUNTIME (Node.js 22)
   */
  readonly runtime?: lambda.Runtime;

  /**
   * Memory: 128 MB for viewer events, 128–10240 MB for origin events.
   *
   * @default 128
   */
  readonly memorySize?: number;

  /**
   * Timeout: at most 5 seconds for viewer events, 30 seconds for origin events.
   *
   * @default - 5 seconds for viewer events, 10 seconds for origin events
   */
  readonly timeout?: Duration;

  /**
   * Description.
   *
   * @default - the event type
   */
  readonly description?: string;
}

/**
 * Lambda@Edge from your own code, with the same guard rails as the library's handlers:
 * us-east-1, x86_64, no environment variables, no VPC, a role that may only write its logs,
 * and the memory / timeout / runtime limits of its event type. Create it in us-east-1.
 */
export class CustomEdgeFunction extends Construct implements IEdgeLambda {
  /** The published version CloudFront runs. */
  public readonly version: lambda.IVersion;
  /** The event it handles. */
  public readonly eventType: cloudfront.LambdaEdgeEventType;
  /** The function. */
  public readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: CustomEdgeFunctionProps) {
    super(scope, id);
    const v = new Validator(this, 'CustomEdgeFunction');
    v.enumValue('eventType', props.eventType, cloudfront.LambdaEdgeEventType, 'LambdaEdgeEventType');
    const viewer = isViewerEvent(props.eventType);
    if (viewer) v.range(`memorySize (${props.eventType})`, props.memorySize, 128, 128, { unit: 'MB' });
    else v.range(`memorySize (${props.eventType})`, props.memorySize, 128, 10240, { unit: 'MB' });
    v.seconds(`timeout (${props.eventType})`, props.timeout, 1, viewer ? 5 : 30);
    if (props.runtime && !/^(nodejs|python)/.test(props.runtime.name)) {
      v.fail(`runtime must be a Node.js or Python runtime (Lambda@Edge supports no others), got ${props.runtime.name}`);
    }
    const created = createEdgeFunction(this, v, {
      code: props.code,
      eventType: props.eventType,
      handler: props.handler,
      runtime: props.runtime,
      memorySize: props.memorySize,
      timeout: props.timeout,
      description: props.description ?? `cdk-scaleout CustomEdgeFunction (${props.eventType})`,
    });
    this.function = created.fn;
    this.version = created.version;
    this.eventType = props.eventType;
  }
}

/**
 * Lambda@Edge, viewer request: A/B testing with a sticky bucket cookie. A first-time visitor
 * is assigned a variant by weight (a 302 to the same URL sets the cookie); returning visitors
 * are routed to their variant's path prefix before the cache lookup. Create it in us-east-1.
 */
export class AbTestEdgeFunction extends Construct implements IEdgeLambda {
  /** The published version CloudFront runs. */
  public readonly version: lambda.IVersion;
  /** The event it handles. */
  public readonly eventType = cloudfront.LambdaEdgeEventType.VIEWER_REQUEST;
  /** The function. */
  public readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: AbTestEdgeFunctionProps) {
    super(scope, id);
    const v = new Validator(this, 'AbTestEdgeFunction');
    v.range('variants.length', props.variants.length, 2, 10);
    const names = new Set<string>();
    for (const variant of props.variants) {
      v.pattern('variants.name', variant.name, /^[A-Za-z0-9_-]{1,32}$/, '1–32 of [A-Za-z0-9_-]');
      if (names.has(variant.name)) v.fail(`variants.name must be unique, got '${variant.name}' twice`);
      names.add(variant.name);
      v.range(`variants.${variant.name}.weight`, variant.weight, 0, 1000);
      if (variant.pathPrefix) v.pattern(`variants.${variant.name}.pathPrefix`, variant.pathPrefix, /^\/[A-Za-z0-9_\-./~]*[^/]$/, "a path like '/experiments/b' without a trailing '/'");
    }
    if (props.variants.every((x) => x.weight === 0)) v.fail('variants must have a positive total weight, got 0');
    v.pattern('cookieName', props.cookieName, /^[A-Za-z0-9_-]{1,64}$/, '1–64 of [A-Za-z0-9_-]');
    v.seconds('cookieMaxAge', props.cookieMaxAge, 60, 400 * 86400);
    const baked = createBakedEdgeFunction(this, v, 'AbTestEdgeFunction', 'ab-test.edge-lambda', this.eventType, {
      cookieName: props.cookieName ?? 'ab-bucket',
      cookieMaxAgeSeconds: (props.cookieMaxAge ?? Duration.days(30)).toSeconds(),
      variants: props.variants.map((x) => ({ name: x.name, weight: x.weight, pathPrefix: x.pathPrefix ?? '' })),
    });
    this.function = baked.fn;
    this.version = baked.version;
  }
}

/**
 * Lambda@Edge, viewer request: verifies a JWT's signature (RS256/ES256) against a public key
 * baked into the code, and its expiry, not-before, issuer and audience; answers 401 without
 * reaching the origin otherwise. Create it in us-east-1.
 */
export class JwtAuthEdgeFunction extends Construct implements IEdgeLambda {
  /** The published version CloudFront runs. */
  public readonly version: lambda.IVersion;
  /** The event it handles. */
  public readonly eventType = cloudfront.LambdaEdgeEventType.VIEWER_REQUEST;
  /** The function. */
  public readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: JwtAuthEdgeFunctionProps) {
    super(scope, id);
    const v = new Validator(this, 'JwtAuthEdgeFunction');
    const algorithm = props.algorithm ?? 'RS256';
    v.oneOf('algorithm', algorithm, ['RS256', 'ES256']);
    v.pattern('publicKeyPem', props.publicKeyPem.trim(), /^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----$/, 'a PEM public key (-----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----)');
    v.seconds('leeway', props.leeway, 0, 300);
    v.pattern('cookieName', props.cookieName, /^[A-Za-z0-9_-]{1,64}$/, '1–64 of [A-Za-z0-9_-]');
    const baked = createBakedEdgeFunction(this, v, 'JwtAuthEdgeFunction', 'jwt-auth.edge-lambda', this.eventType, {
      publicKeyPem: props.publicKeyPem.trim(),
      algorithm,
      issuer: props.issuer,
      audience: props.audience,
      cookieName: props.cookieName,
      leewaySeconds: (props.leeway ?? Duration.seconds(30)).toSeconds(),
    });
    this.function = baked.fn;
    this.version = baked.version;
  }
}

/**
 * Lambda@Edge, origin request: content by country (CloudFront-Viewer-Country): a path prefix
 * and/or headers per country. Use it on a behaviour whose cache key includes the viewer country
 * (`varyByCountry` on the route). Create it in us-east-1.
 */
export class GeoContentEdgeFunction extends Construct implements IEdgeLambda {
  /** The published version CloudFront runs. */
  public readonly version: lambda.IVersion;
  /** The event it handles. */
  public readonly eventType = cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST;
  /** The function. */
  public readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: GeoContentEdgeFunctionProps) {
    super(scope, id);
    const v = new Validator(this, 'GeoContentEdgeFunction');
    const countries = Object.keys(props.countries);
    if (countries.length === 0) v.fail('countries must name at least one country, got none');
    for (const country of countries) {
      v.pattern('countries', country, /^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 codes like DE or GB');
      if (country === 'UK') v.fail("countries must use ISO 3166-1 codes: 'GB' for the United Kingdom, got 'UK'");
    }
    for (const rule of [...Object.values(props.countries), ...(props.defaultRule ? [props.defaultRule] : [])]) {
      if (rule.pathPrefix) v.pattern('pathPrefix', rule.pathPrefix, /^\/[A-Za-z0-9_\-./~]*[^/]$/, "a path like '/de' without a trailing '/'");
      for (const name of Object.keys(rule.headers ?? {})) {
        v.pattern('headers', name, /^[A-Za-z0-9-]{1,64}$/, 'header names of [A-Za-z0-9-]');
        if (/^(host|via|x-amz-cf-.*|x-edge-.*|cloudfront-.*|content-length|transfer-encoding|connection)$/i.test(name)) {
          v.fail(`headers must not set '${name}': Lambda@Edge may not add or change it`);
        }
      }
    }
    const baked = createBakedEdgeFunction(this, v, 'GeoContentEdgeFunction', 'geo-content.edge-lambda', this.eventType, {
      countries: props.countries,
      defaultRule: props.defaultRule,
    });
    this.function = baked.fn;
    this.version = baked.version;
  }
}

/**
 * Copies a prebuilt handler bundle with its configuration baked in and returns its directory.
 * The bundles are built by projen (`npx projen bundle`, run by `npm ci`) and shipped in the npm
 * package: users never run esbuild at synth.
 */
function bakeBundle(v: Validator, bundle: string, config: object): string {
  const source = path.join(ASSETS_DIR, bundle, 'index.js');
  if (!fs.existsSync(source)) {
    v.fail(`the prebuilt bundle ${source} is missing; run 'npx projen bundle' (npm ci does it in this repository)`);
  }
  const code = fs.readFileSync(source, 'utf-8');
  const occurrences = code.split(CONFIG_PLACEHOLDER).length - 1;
  if (occurrences !== 1) v.fail(`the bundle ${source} must hold the configuration placeholder exactly once, found ${occurrences}`);
  // A JSON string inside a double-quoted JS string literal.
  const baked = code.replace(`"${CONFIG_PLACEHOLDER}"`, JSON.stringify(JSON.stringify(config)));
  if (baked === code) v.fail(`the bundle ${source} does not hold the placeholder as a double-quoted string`);
  // One directory per content: deterministic, reused across synths.
  const hash = crypto.createHash('sha256').update(baked).digest('hex').slice(0, 32);
  const dir = path.join(os.tmpdir(), `cdk-scaleout-edge-${hash}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.js'), baked);
  return dir;
}
