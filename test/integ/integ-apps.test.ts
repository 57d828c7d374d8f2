/**
 * The integration-test apps (test/integ/integ.*.ts) in `npm test`, without AWS credentials:
 * each is synthesized once, as the CDK CLI runs it, then
 *   - its templates and test cases must equal the committed snapshot (`integ.<name>.ts.snapshot/`,
 *     integ-runner's layout; see integ-snapshot.ts for why integ-runner itself cannot run yet),
 *   - and what it deploys and asserts is checked: which stacks, destroyable, the `/health` calls
 *     (ALB, CloudFront) and the queue round trip.
 * The synth skips aws-cdk-lib's CloudFormation schema validation (about 3 s of CPU per app);
 * `npx projen integ:update` synthesizes with it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { integApps, snapshotDifferences, snapshotFiles, synthIntegApp, UPDATE_COMMAND } from './integ-snapshot';

type Template = { Resources: Record<string, any> };

/** Each app's output directory, synthesized on first use and removed after the file's tests. */
const outdirs = new Map<string, string>();
function assembly(app: string): string {
  if (!outdirs.has(app)) outdirs.set(app, synthIntegApp(app, { validation: false }));
  return outdirs.get(app)!;
}
afterAll(() => {
  for (const dir of outdirs.values()) fs.rmSync(dir, { recursive: true, force: true });
});

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf-8'));

/** The stage's stack templates in the nested assembly `assembly-<stage>`, by display name (`IntegRung4/edge`). */
function stageTemplates(outdir: string, stage: string): Record<string, Template> {
  const dir = path.join(outdir, `assembly-${stage}`);
  const manifest = readJson(path.join(dir, 'manifest.json'));
  const stacks = Object.entries<any>(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  return Object.fromEntries(stacks.map(([id, a]) => [a.displayName, readJson(path.join(dir, `${id}.template.json`))]));
}

/** `cdk destroy` removes all but the buckets (teardown.ts): nothing else retained, no deletion protection. */
function expectDestroyable(template: Template): void {
  const kept = Object.values(template.Resources).filter((r) => r.DeletionPolicy && r.DeletionPolicy !== 'Delete').map((r) => r.Type);
  expect([...new Set(kept)]).toEqual(['AWS::S3::Bucket']);
  const clusters = Object.values(template.Resources).filter((r) => r.Type === 'AWS::RDS::DBCluster');
  expect(clusters.map((c) => c.Properties.DeletionProtection)).toEqual(clusters.map(() => false));
}

/** The assertion stack's custom resources of one kind (`HttpCall`, `SdkCallSQS…`), in template order. */
function assertionCalls(outdir: string, testCase: string, kind: string): any[] {
  const integ = readJson(path.join(outdir, 'integ.json'));
  const template = readJson(path.join(outdir, `${integ.testCases[testCase].assertionStackName}.template.json`));
  return Object.values(template.Resources).filter((r: any) => r.Type.startsWith(`Custom::DeployAssert@${kind}`));
}

/** The assertion stack's environment (its SQS calls reach that region). */
function assertionEnvironment(outdir: string, testCase: string): string {
  const integ = readJson(path.join(outdir, 'integ.json'));
  return readJson(path.join(outdir, 'manifest.json')).artifacts[integ.testCases[testCase].assertionStack].environment;
}

/** The expected result of a polled `/health` call: 200 and the service's body, plus `extra`. */
const HEALTHY = { status: 200, body: { status: 'ok' } };

describe('integ snapshots', () => {
  test('GIVEN test/integ THEN every integ app has a committed snapshot and every snapshot an app', () => {
    const snapshots = fs.readdirSync(__dirname).filter((f) => f.endsWith('.ts.snapshot')).map((f) => f.replace(/\.snapshot$/, ''));
    expect(integApps()).toEqual(expect.arrayContaining(['integ.rung1.ts', 'integ.rung3.ts', 'integ.rung4.ts']));
    expect(snapshots.sort()).toEqual(integApps());
  });

  test.each(integApps())('GIVEN %s WHEN it is synthesized THEN its templates and test cases equal its committed snapshot', (app) => {
    const problems = snapshotDifferences(app, snapshotFiles(assembly(app)));
    if (problems.length > 0) {
      throw new Error(`${app} no longer synthesizes its snapshot test/integ/${app}.snapshot/:\n\n${problems.join('\n\n')}\n\n`
        + `If the change is intended, rewrite the snapshot with \`${UPDATE_COMMAND}\` (or \`${UPDATE_COMMAND} ${app}\`), review its diff and commit it.`);
    }
  });
});

describe('integ.rung1', () => {
  test('GIVEN the rung-1 integ app WHEN synthesized THEN it deploys the one-region stage, destroyable, and polls /health through the ALB for 200', () => {
    const outdir = assembly('integ.rung1.ts');
    const integ = readJson(path.join(outdir, 'integ.json'));
    expect(integ.testCases).toEqual({
      'Rung1/DefaultTest': expect.objectContaining({
        stacks: ['IntegRung1/eu-central-1'],
        regions: ['eu-central-1'],
        assertionStack: 'Rung1Assertions',
        stackUpdateWorkflow: false,
      }),
    });
    // The stage's stack: one region, an ALB, the Fargate services and Aurora.
    const templates = stageTemplates(outdir, 'IntegRung1');
    expect(Object.keys(templates)).toEqual(['IntegRung1/eu-central-1']);
    const template = templates['IntegRung1/eu-central-1'];
    expectDestroyable(template);
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining([
      'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ECS::Service', 'AWS::RDS::DBCluster', 'AWS::Route53::RecordSet',
    ]));
    expect(types).not.toContain('AWS::CloudFront::Distribution');
    // The assertion: GET https://app.<domain>/health, polled until it answers 200.
    const calls = assertionCalls(outdir, 'Rung1/DefaultTest', 'HttpCall');
    expect(calls.map((c) => [c.Properties.parameters.url, JSON.parse(c.Properties.expected)])).toEqual([
      ['https://app.integ-rung1.example.com/health', { $ObjectLike: HEALTHY }],
    ]);
    expect(calls[0].Properties.stateMachineArn).toBeDefined(); // polled (waitForAssertions)
  });
});

describe('integ.rung3', () => {
  test('GIVEN the rung-3 integ app WHEN synthesized THEN it deploys the one-region pool stage, destroyable, with the Clicks queue', () => {
    const outdir = assembly('integ.rung3.ts');
    expect(readJson(path.join(outdir, 'integ.json')).testCases).toEqual({
      'Rung3/DefaultTest': expect.objectContaining({
        stacks: ['IntegRung3/us-west-2'], regions: ['us-west-2'], assertionStack: 'Rung3Assertions', stackUpdateWorkflow: false,
      }),
    });
    // The SQS calls run in the queues' region, whatever region integ-runner runs the test in.
    expect(assertionEnvironment(outdir, 'Rung3/DefaultTest')).toBe('aws://111111111111/us-west-2');
    const template = stageTemplates(outdir, 'IntegRung3')['IntegRung3/us-west-2'];
    expectDestroyable(template);
    const queueNames = Object.values(template.Resources).filter((r) => r.Type === 'AWS::SQS::Queue').map((r) => r.Properties.QueueName);
    expect(queueNames.sort()).toEqual(['IntegRung3uswest2-ClicksQueue-4B723949', 'IntegRung3uswest2-ClicksQueue-4B723949-dlq']);
    // The assertions look the queues up by the names the stage's stack creates.
    expect(assertionCalls(outdir, 'Rung3/DefaultTest', 'SdkCallSQSgetQueueUrl').map((c) => JSON.parse(c.Properties.parameters.QueueName)).sort())
      .toEqual(queueNames.sort());
  });

  test('GIVEN the rung-3 integ app WHEN synthesized THEN it polls /health, creates a link, sends a click for it and polls until the API counts it, the queue drains and the DLQ is empty', () => {
    const outdir = assembly('integ.rung3.ts');
    const [health, create, stats] = assertionCalls(outdir, 'Rung3/DefaultTest', 'HttpCall');
    expect(health.Properties.parameters.url).toBe('https://app.integ-rung3.example.com/health');
    expect(create.Properties.parameters).toEqual({
      url: 'https://app.integ-rung3.example.com/api/links',
      fetchOptions: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'https://example.org/integ', alias: 'integ3' }) },
    });
    expect(JSON.parse(create.Properties.expected)).toEqual({ $ObjectLike: { status: 201, body: { code: 'integ3' } } });
    const [send] = assertionCalls(outdir, 'Rung3/DefaultTest', 'SdkCallSQSsendMessage');
    expect(JSON.parse(JSON.parse(send.Properties.parameters.MessageBody))).toMatchObject({ type: 'clicks', counts: { integ3: 1 } });
    // Consumed: the worker's write to Aurora, read back through the API.
    expect(stats.Properties.parameters.url).toBe('https://app.integ-rung3.example.com/api/stats/integ3');
    expect(JSON.parse(stats.Properties.expected)).toEqual({ $ObjectLike: { status: 200, body: { code: 'integ3', clicks: 1 } } });
    const [drained, deadLetters] = assertionCalls(outdir, 'Rung3/DefaultTest', 'SdkCallSQSgetQueueAttributes');
    expect([drained, deadLetters].map((c) => JSON.parse(c.Properties.expected))).toEqual([
      { $ObjectLike: { Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' } } },
      { $ObjectLike: { Attributes: { ApproximateNumberOfMessages: '0' } } },
    ]);
    // In this order (each after the previous one's polling), every expectation polled.
    const after = (call: any, prefix: string) => expect(call.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${prefix}`))]));
    after(create, 'HttpApiCallappintegrung3examplecomhealth');
    after(send, 'HttpApiCallappintegrung3examplecomapilinks');
    after(stats, 'AwsApiCallSQSsendMessage');
    after(drained, 'HttpApiCallappintegrung3examplecomapistats');
    after(deadLetters, 'AwsApiCallSQSgetQueueAttributes');
    for (const call of [health, create, stats, drained, deadLetters]) expect(call.Properties.stateMachineArn).toBeDefined();
  });
});

describe('integ.rung4', () => {
  test('GIVEN the rung-4 integ app WHEN synthesized THEN its test case deploys the regional stack and the us-east-1 edge stack, both destroyable', () => {
    const outdir = assembly('integ.rung4.ts');
    expect(readJson(path.join(outdir, 'integ.json')).testCases).toEqual({
      'Rung4/DefaultTest': expect.objectContaining({
        stacks: ['IntegRung4/eu-west-1', 'IntegRung4/edge'],
        regions: ['eu-west-1', 'us-east-1'],
        assertionStack: 'Rung4Assertions',
      }),
    });
    const templates = stageTemplates(outdir, 'IntegRung4');
    expect(Object.keys(templates).sort()).toEqual(['IntegRung4/edge', 'IntegRung4/eu-west-1']);
    for (const template of Object.values(templates)) expectDestroyable(template);
    // The distribution serves the domain and reaches the region's origin name with the origin-verify header.
    const [distribution] = Object.values(templates['IntegRung4/edge'].Resources).filter((r) => r.Type === 'AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    expect(config.Aliases).toContain('integ-rung4.example.com');
    const defaultOrigin = config.Origins.find((o: any) => o.Id === config.DefaultCacheBehavior.TargetOriginId);
    expect(defaultOrigin).toMatchObject({
      DomainName: 'eu-west-1.origin.integ-rung4.example.com',
      OriginCustomHeaders: [expect.objectContaining({ HeaderName: 'X-Origin-Verify' })],
    });
    const records = Object.values(templates['IntegRung4/eu-west-1'].Resources).filter((r) => r.Type === 'AWS::Route53::RecordSet').map((r) => r.Properties.Name);
    expect(records).toContain('eu-west-1.origin.integ-rung4.example.com.');
  });

  test('GIVEN the rung-4 integ app WHEN synthesized THEN it polls /health for 200 through the ALB, then through CloudFront (Via: CloudFront)', () => {
    const outdir = assembly('integ.rung4.ts');
    const calls = assertionCalls(outdir, 'Rung4/DefaultTest', 'HttpCall');
    expect(calls.map((c) => [c.Properties.parameters.url, JSON.parse(c.Properties.expected)])).toEqual([
      ['https://eu-west-1.origin.integ-rung4.example.com/health', { $ObjectLike: HEALTHY }],
      ['https://integ-rung4.example.com/health', {
        $ObjectLike: { ...HEALTHY, headers: { via: { $ArrayWith: [{ $StringLike: 'CloudFront' }] } } },
      }],
    ]);
    for (const call of calls) expect(call.Properties.stateMachineArn).toBeDefined(); // polled (waitForAssertions)
    expect(calls[1].DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^HttpApiCalleuwest1origin/)]));
  });
});
