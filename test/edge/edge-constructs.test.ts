import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3Assets from 'aws-cdk-lib/aws-s3-assets';
import {
  AbTestEdgeFunction, AbTestEdgeFunctionProps, Compliance, DeployInvalidation, EdgeWebAcl, EdgeWebAclProps, GeoContentEdgeFunction,
  JwtAuthEdgeFunction, PurgeOnChange, ViewerRequestFunction, ViewerRequestFunctionProps,
} from '../../src';
import { expectNoNagFindings, nagFindings, profileApp, TEST_ACCOUNT, testApp, testStack } from '../util';
import { cdn, edgeStack } from './fixtures';

const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEexample\n-----END PUBLIC KEY-----';

/** The deployed code of the first Lambda function whose asset holds `marker`. */
function deployedCode(stack: Stack, marker: string): string {
  const outdir = (stack.node.root as App).outdir;
  for (const dir of fs.readdirSync(outdir).filter((d) => d.startsWith('asset.'))) {
    const file = path.join(outdir, dir, 'index.js');
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf-8').includes(marker)) return fs.readFileSync(file, 'utf-8');
  }
  throw new Error(`no asset holds ${marker}`);
}

describe('EdgeWebAcl', () => {
  test('GIVEN a rate limit WHEN created THEN blocks above it per IP with 429 and Retry-After', () => {
    const { stack } = edgeStack();
    new EdgeWebAcl(stack, 'Strict', { rateLimit: 500, rateWindow: Duration.minutes(2), pathRateLimits: [{ pathPrefix: '/api/login', limit: 20 }] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'RateLimitPath0',
          Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'TooManyRequests', ResponseHeaders: [{ Name: 'Retry-After', Value: '120' }] } } },
          Statement: { RateBasedStatement: Match.objectLike({ Limit: 20, AggregateKeyType: 'IP', EvaluationWindowSec: 120, ScopeDownStatement: Match.objectLike({ ByteMatchStatement: Match.objectLike({ SearchString: '/api/login', PositionalConstraint: 'STARTS_WITH' }) }) }) },
        }),
        Match.objectLike({ Name: 'RateLimitPerIp', Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP', EvaluationWindowSec: 120 } } }),
        Match.objectLike({ Name: 'AWSManagedRulesAmazonIpReputationList', OverrideAction: { None: {} } }),
        Match.objectLike({ Name: 'AWSManagedRulesCommonRuleSet', OverrideAction: { None: {} } }),
        Match.objectLike({ Name: 'AWSManagedRulesKnownBadInputsRuleSet' }),
      ]),
    });
  });

  test('GIVEN a web ACL WHEN its metrics are read THEN they use the WebACL name without a Region dimension', () => {
    const { waf } = edgeStack();
    expect(waf.metricBlockedRequests().dimensions).toEqual({ WebACL: waf.webAclName, Rule: 'ALL' });
  });

  test.each<[string, EdgeWebAclProps, RegExp]>([
    ['a limit of 9', { rateLimit: 9 }, /EdgeWebAcl 'Edge\/W': rateLimit must be an integer between 10 and 2000000000, got 9/],
    ['a 90 s window', { rateWindow: Duration.seconds(90) }, /rateWindow \(seconds\) must be one of 60, 120, 300, 600, got 90/],
    ['a path limit of 5', { pathRateLimits: [{ pathPrefix: '/login', limit: 5 }] }, /pathRateLimits\['\/login'\].limit must be an integer between 10 and 2000000000, got 5/],
    ['a relative path', { pathRateLimits: [{ pathPrefix: 'login', limit: 50 }] }, /pathRateLimits.pathPrefix must be a path prefix starting with '\/', got 'login'/],
    ['11 path limits', { pathRateLimits: Array.from({ length: 11 }, (_, i) => ({ pathPrefix: `/p${i}`, limit: 100 })) }, /pathRateLimits.length must be an integer between 0 and 10, got 11/],
  ])('GIVEN %s WHEN created THEN throws', (_name, props, message) => {
    expect(() => new EdgeWebAcl(edgeStack().stack, 'W', props)).toThrow(message);
  });

  test('GIVEN a stack outside us-east-1 WHEN created THEN throws', () => {
    expect(() => new EdgeWebAcl(testStack(), 'W')).toThrow(/a CLOUDFRONT-scope web ACL must be created in us-east-1, got region eu-west-1/);
  });
});

describe('Lambda@Edge functions', () => {
  test('GIVEN an A/B test WHEN synthesized THEN the variants are baked into the deployed code, no environment, x86_64, 128 MB, 5 s', () => {
    const { stack } = edgeStack();
    const ab = new AbTestEdgeFunction(stack, 'Ab', { variants: [{ name: 'control', weight: 90 }, { name: 'new-checkout', weight: 10, pathPrefix: '/exp/checkout' }] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::Function', {
      // The newest Node.js runtime on AWS's list of Lambda@Edge runtimes.
      Runtime: 'nodejs22.x',
      MemorySize: 128,
      Timeout: 5,
      Architectures: ['x86_64'],
      Environment: Match.absent(),
      VpcConfig: Match.absent(),
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('AbRole'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } }),
          Match.objectLike({ Principal: { Service: 'edgelambda.amazonaws.com' } }),
        ],
      },
    });
    t.resourceCountIs('AWS::Lambda::Version', 1);
    const code = deployedCode(stack, 'new-checkout');
    expect(code).not.toContain('__CDK_SCALEOUT_CONFIG__');
    expect(code).toContain('\\"pathPrefix\\":\\"/exp/checkout\\"');
    expect(Buffer.byteLength(code)).toBeLessThan(10 * 1024);
    expect(ab.eventType).toBe('viewer-request');
    expectNoNagFindings(stack);
  });

  test('GIVEN the baked A/B bundle WHEN run THEN it behaves with the baked configuration', async () => {
    const { stack } = edgeStack();
    new AbTestEdgeFunction(stack, 'Ab', { variants: [{ name: 'x', weight: 0 }, { name: 'y', weight: 1, pathPrefix: '/y' }], cookieName: 'exp' });
    Template.fromStack(stack);
    const code = deployedCode(stack, '\\"exp\\"');
    const mod = { exports: {} as { handler: (e: unknown) => Promise<{ status: string; headers: Record<string, Array<{ value: string }>> }> } };
    vm.runInNewContext(code, { module: mod, exports: mod.exports, require, Buffer });
    const out = await mod.exports.handler({ Records: [{ cf: { request: { uri: '/', querystring: '', method: 'GET', headers: {} } } }] });
    expect(out.status).toBe('302');
    expect(out.headers['set-cookie'][0].value).toMatch(/^exp=y;/);
  });

  test('GIVEN geo content WHEN created THEN it runs on origin request with a 10 s timeout', () => {
    const { stack } = edgeStack();
    const geo = new GeoContentEdgeFunction(stack, 'Geo', { countries: { GB: { pathPrefix: '/uk' } } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Timeout: 10, MemorySize: 128 });
    expect(geo.eventType).toBe('origin-request');
  });

  test('GIVEN JWT auth WHEN created THEN the key is baked in, not in an environment variable', () => {
    const { stack } = edgeStack();
    new JwtAuthEdgeFunction(stack, 'Auth', { publicKeyPem: PEM, algorithm: 'ES256', issuer: 'https://id.example.com' });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Environment: Match.absent() });
    expect(deployedCode(stack, 'id.example.com')).toContain('ES256');
  });

  test.each<[string, (s: Stack) => unknown, RegExp]>([
    ['another region', () => new AbTestEdgeFunction(testStack(), 'Ab', { variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] }), /AbTestEdgeFunction 'Test\/Ab': Lambda@Edge functions must be created in us-east-1.*got region eu-west-1/],
    ['one variant', (s) => new AbTestEdgeFunction(s, 'Ab', { variants: [{ name: 'a', weight: 1 }] } as AbTestEdgeFunctionProps), /variants.length must be an integer between 2 and 10, got 1/],
    ['duplicate variants', (s) => new AbTestEdgeFunction(s, 'Ab', { variants: [{ name: 'a', weight: 1 }, { name: 'a', weight: 1 }] }), /variants.name must be unique, got 'a' twice/],
    ['zero weights', (s) => new AbTestEdgeFunction(s, 'Ab', { variants: [{ name: 'a', weight: 0 }, { name: 'b', weight: 0 }] }), /variants must have a positive total weight, got 0/],
    ['a trailing slash prefix', (s) => new AbTestEdgeFunction(s, 'Ab', { variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1, pathPrefix: '/b/' }] }), /variants.b.pathPrefix must be a path like '\/experiments\/b' without a trailing '\/', got '\/b\/'/],
    ['a configuration above 1 MB on viewer request', (s) => new AbTestEdgeFunction(s, 'Ab', { variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1, pathPrefix: '/' + 'x'.repeat(1_100_000) }] }), /the code must be at most 1048576 bytes for viewer-request \(Lambda@Edge limit\), got \d+ bytes/],
    ['a weight of 1001', (s) => new AbTestEdgeFunction(s, 'Ab', { variants: [{ name: 'a', weight: 1001 }, { name: 'b', weight: 1 }] }), /variants.a.weight must be an integer between 0 and 1000, got 1001/],
    ['a bad cookie name', (s) => new AbTestEdgeFunction(s, 'Ab', { variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }], cookieName: 'ab bucket' }), /cookieName must be 1–64 of \[A-Za-z0-9_-\], got 'ab bucket'/],
    ['a cookie lifetime of 30 s', (s) => new AbTestEdgeFunction(s, 'Ab', { variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }], cookieMaxAge: Duration.seconds(30) }), /cookieMaxAge must be a whole number of seconds between 1 minute and 400 days, got 30 seconds/],
    ['no countries', (s) => new GeoContentEdgeFunction(s, 'Geo', { countries: {} }), /countries must name at least one country, got none/],
    ['a bad JWT cookie name', (s) => new JwtAuthEdgeFunction(s, 'Auth', { publicKeyPem: PEM, cookieName: 'a;b' }), /cookieName must be 1–64 of \[A-Za-z0-9_-\], got 'a;b'/],
    ['UK', (s) => new GeoContentEdgeFunction(s, 'Geo', { countries: { UK: { pathPrefix: '/uk' } } }), /countries must use ISO 3166-1 codes: 'GB' for the United Kingdom, got 'UK'/],
    ['a lowercase country', (s) => new GeoContentEdgeFunction(s, 'Geo', { countries: { de: {} } }), /countries must be ISO 3166-1 alpha-2 codes like DE or GB, got 'de'/],
    ['a Host header', (s) => new GeoContentEdgeFunction(s, 'Geo', { countries: { DE: { headers: { Host: 'x' } } } }), /headers must not set 'Host': Lambda@Edge may not add or change it/],
    ['HS256', (s) => new JwtAuthEdgeFunction(s, 'Auth', { publicKeyPem: PEM, algorithm: 'HS256' }), /algorithm must be one of RS256, ES256, got HS256/],
    ['a private key', (s) => new JwtAuthEdgeFunction(s, 'Auth', { publicKeyPem: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' }), /publicKeyPem must be a PEM public key/],
    ['a leeway of 10 minutes', (s) => new JwtAuthEdgeFunction(s, 'Auth', { publicKeyPem: PEM, leeway: Duration.minutes(10) }), /leeway must be a whole number of seconds between 0 seconds and 5 minutes, got 10 minutes/],
  ])('GIVEN %s WHEN created THEN throws', (_name, create, message) => {
    expect(() => create(edgeStack().stack)).toThrow(message);
  });
});

describe('ViewerRequestFunction', () => {
  function run(props: ViewerRequestFunctionProps, uri: string, querystring: Record<string, { value: string }> = {}) {
    const sandbox: Record<string, unknown> = {};
    const code = `${ViewerRequestFunction.renderCode(props)}\nresult = handler(event);`;
    vm.runInNewContext(code, Object.assign(sandbox, { event: { request: { uri, querystring, headers: {} } } }));
    type Result = { statusCode?: number; headers?: Record<string, { value: string }>; uri?: string; querystring?: Record<string, unknown> };
    return sandbox.result as Result;
  }

  test('GIVEN tracking parameters WHEN normalized THEN they leave the cache key and the rest is sorted', () => {
    const out = run({}, '/p', { z: { value: '1' }, utm_source: { value: 'x' }, a: { value: '2' }, fbclid: { value: 'y' } });
    expect(Object.keys(out.querystring!)).toEqual(['a', 'z']);
  });

  test('GIVEN normalization options WHEN applied THEN paths are lowercased, trimmed and get index.html', () => {
    expect(run({ normalize: { lowercasePath: true, stripTrailingSlash: true } }, '/Docs/Intro/').uri).toBe('/docs/intro');
    expect(run({ normalize: { appendIndexHtml: true } }, '/docs/').uri).toBe('/docs/index.html');
    expect(run({ normalize: { appendIndexHtml: true } }, '/docs').uri).toBe('/docs/index.html');
    expect(run({ normalize: { appendIndexHtml: true } }, '/app.js').uri).toBe('/app.js');
  });

  test('GIVEN a redirect WHEN matched THEN answers 301 with the location', () => {
    const out = run({ redirects: { '/old': '/new' } }, '/old');
    expect(out.statusCode).toBe(301);
    expect(out.headers!.location.value).toBe('/new');
  });

  test('GIVEN a function WHEN created THEN it is cloudfront-js-2.0 and within 10 KB', () => {
    const { stack } = edgeStack();
    const fn = new ViewerRequestFunction(stack, 'Norm');
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::Function', { FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }) });
    expect(fn.codeSize).toBeLessThan(10 * 1024);
  });

  test.each<[string, ViewerRequestFunctionProps, RegExp]>([
    ['too many redirects', { redirects: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`/old/page-${i}`, `/new/page-${i}`])) }, /the function code must be at most 10240 bytes \(CloudFront Functions limit\), got \d+ bytes/],
    ['a relative redirect source', { redirects: { old: '/new' } }, /redirects \(from\) must be paths starting with '\/', got 'old'/],
    ['an uppercase dropped parameter', { normalize: { dropQueryParams: ['UTM_SOURCE'] } }, /normalize.dropQueryParams must be lowercase parameter names, got 'UTM_SOURCE'/],
    ['status 307', { redirectStatus: 307 }, /redirectStatus must be one of 301, 302, got 307/],
    ['an http target', { redirects: { '/a': 'http://x' } }, /redirects\['\/a'\] must be a path starting with '\/' or an https:\/\/ URL, got 'http:\/\/x'/],
  ])('GIVEN %s WHEN created THEN throws', (_name, props, message) => {
    expect(() => new ViewerRequestFunction(edgeStack().stack, 'F', props)).toThrow(message);
  });
});

describe('invalidation', () => {
  test('GIVEN a deploy invalidation WHEN synthesized THEN a custom resource carries the paths and the release ID', () => {
    const { stack, distribution } = cdn();
    new DeployInvalidation(stack, 'Purge', { distribution, paths: ['/index.html', '/'], deploymentId: 'abc123' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('Custom::CloudFrontInvalidation', {
      DistributionId: { Ref: Match.stringLikeRegexp('Cdn') }, Paths: ['/index.html', '/'], DeploymentId: 'abc123',
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'cloudfront:CreateInvalidation',
          Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':distribution/$')])] },
        })]),
      },
    });
    expectNoNagFindings(stack);
  });

  test('GIVEN the deployment-id context WHEN no deploymentId is given THEN the context value triggers the purge', () => {
    const app = testApp();
    app.node.setContext('cdk-scaleout:deployment-id', 'release-42');
    const { stack, distribution } = cdn({}, app);
    new DeployInvalidation(stack, 'Purge', { distribution });
    Template.fromStack(stack).hasResourceProperties('Custom::CloudFrontInvalidation', { DeploymentId: 'release-42', Paths: ['/*'] });
  });

  test('GIVEN no deployment ID WHEN a release changes an asset of the stage THEN the purge runs again, and not otherwise', () => {
    // The default used to be the path list: the purge ran on the first deployment only.
    const deploymentId = (codeDir: string) => {
      const app = testApp();
      const { stack, distribution } = cdn({}, app);
      new DeployInvalidation(stack, 'Purge', { distribution, paths: ['/index.html'] });
      const other = new Stack(app, 'Region', { env: { account: TEST_ACCOUNT, region: 'eu-west-1' } });
      new s3Assets.Asset(other, 'ReleaseCode', { path: codeDir });
      return Template.fromStack(stack).findResources('Custom::CloudFrontInvalidation');
    };
    const [v1, v2] = [fs.mkdtempSync(path.join(os.tmpdir(), 'release-')), fs.mkdtempSync(path.join(os.tmpdir(), 'release-'))];
    fs.writeFileSync(path.join(v1, 'app.js'), 'v1');
    fs.writeFileSync(path.join(v2, 'app.js'), 'v2');
    const id = (dir: string) => Object.values(deploymentId(dir))[0].Properties.DeploymentId as string;
    expect(id(v1)).toMatch(/^[0-9a-f]{32}$/);
    expect(id(v1)).toEqual(id(v1));
    expect(id(v2)).not.toEqual(id(v1));
  });

  test('GIVEN purge on change WHEN created THEN it reserves no concurrency (accounts with a quota of 10 reject any reservation)', () => {
    const { stack, distribution } = cdn();
    new PurgeOnChange(stack, 'Purger', { distribution });
    const t = Template.fromStack(stack);
    for (const fn of Object.values(t.findResources('AWS::Lambda::Function'))) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 2 } });
  });

  test('GIVEN purge on change WHEN created THEN a queue drives the purge function with partial batch failures', () => {
    const { stack, distribution } = cdn();
    const purge = new PurgeOnChange(stack, 'Purger', { distribution });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 100, MaximumBatchingWindowInSeconds: 30 });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { DISTRIBUTION_ID: { Ref: Match.stringLikeRegexp('Cdn') } } }, Runtime: 'nodejs24.x' });
    expect(purge.queue.deadLetterQueue).toBeDefined();
    expectNoNagFindings(stack);
  });

  test.each([
    [[], /paths.length must be an integer between 1 and 3000, got 0/],
    [['index.html'], /paths must start with '\/' with '\*' only at the end, got 'index.html'/],
    [['/a*b'], /paths must start with '\/' with '\*' only at the end, got '\/a\*b'/],
    [Array.from({ length: 16 }, (_, i) => `/w${i}/*`), /paths \(wildcards\) must be an integer between 0 and 15, got 16/],
  ])('GIVEN paths %j WHEN a deploy invalidation is created THEN throws', (paths, message) => {
    const { stack, distribution } = cdn();
    expect(() => new DeployInvalidation(stack, 'Purge', { distribution, paths })).toThrow(message);
  });
});

describe('Lambda findings of the edge functions and handlers', () => {
  test('GIVEN the documented profile WHEN Lambda@Edge, a deploy invalidation and a purge queue are created THEN every cdk-nag pack leaves no Lambda or SQS finding', () => {
    // GIVEN
    const { stack, distribution } = cdn({}, profileApp());
    // WHEN
    new AbTestEdgeFunction(stack, 'Ab', { variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1, pathPrefix: '/b' }] });
    new DeployInvalidation(stack, 'Deploy', { distribution, deploymentId: 'abc' });
    new PurgeOnChange(stack, 'Purge', { distribution });
    // THEN
    const t = Template.fromStack(stack);
    // The edge function (Node.js 22, no X-Ray at the edge) and the regional handlers (Node.js 24).
    t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', TracingConfig: Match.absent(), MemorySize: 128, Architectures: ['x86_64'] });
    for (const f of Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Timeout: Match.anyValue() } }))) {
      expect(f.Properties.MemorySize).toBe(128);
    }
    expect(nagFindings(stack, Compliance.NAG_PACKS).filter((f) => /-(Lambda|SQS)/.test(f))).toEqual([]);
  });
});
