/**
 * The integration-test apps (test/integ/integ.*.ts) synthesize without AWS credentials, as the
 * CDK CLI runs them, and declare what an account run deploys and asserts. Not a snapshot: the
 * registry's @aws-cdk/integ-runner (2.197.10) cannot read aws-cdk-lib 2.276's cloud assembly
 * (schema 55 > 53), so its snapshot comparison cannot run yet.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** Runs an integ app as the CLI does (CDK_OUTDIR), with no AWS credentials or profile. */
function synthIntegApp(file: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: outdir, CDK_OUTDIR: outdir, AWS_EC2_METADATA_DISABLED: 'true' };
  const result = spawnSync(process.execPath, ['-r', 'esbuild-register', path.join(__dirname, file)], { cwd: ROOT, env, encoding: 'utf-8' });
  if (result.status !== 0) throw new Error(`${file} failed (exit ${result.status}):\n${result.stderr}`);
  return outdir;
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf-8'));

/** The stage's single stack template in the nested assembly `assembly-<stage>`. */
function stageTemplate(outdir: string, stage: string): { Resources: Record<string, any> } {
  const dir = path.join(outdir, `assembly-${stage}`);
  const manifest = readJson(path.join(dir, 'manifest.json'));
  const stackId = Object.keys(manifest.artifacts).find((id) => manifest.artifacts[id].type === 'aws:cloudformation:stack')!;
  return readJson(path.join(dir, `${stackId}.template.json`));
}

/** `cdk destroy` removes all but the access-log bucket (teardown.ts): nothing else retained, no deletion protection. */
function expectDestroyable(template: { Resources: Record<string, any> }): void {
  const kept = Object.values(template.Resources).filter((r) => r.DeletionPolicy && r.DeletionPolicy !== 'Delete').map((r) => r.Type);
  expect([...new Set(kept)]).toEqual(['AWS::S3::Bucket']);
  const clusters = Object.values(template.Resources).filter((r) => r.Type === 'AWS::RDS::DBCluster');
  expect(clusters.map((c) => c.Properties.DeletionProtection)).toEqual([false]);
}

/** The assertion stack's custom resources of one kind (`HttpCall`, `SdkCallSQS…`), in template order. */
function assertionCalls(outdir: string, testCase: string, kind: string): any[] {
  const integ = readJson(path.join(outdir, 'integ.json'));
  const template = readJson(path.join(outdir, `${integ.testCases[testCase].assertionStackName}.template.json`));
  return Object.values(template.Resources).filter((r: any) => r.Type.startsWith(`Custom::DeployAssert@${kind}`));
}

test('integ.rung1 deploys the rung-1 URL shortener and asserts /health through the ALB', () => {
  const outdir = synthIntegApp('integ.rung1.ts');
  try {
    const integ = readJson(path.join(outdir, 'integ.json'));
    expect(integ.testCases).toEqual({
      'Rung1/DefaultTest': expect.objectContaining({
        stacks: ['IntegRung1/eu-central-1'],
        regions: ['eu-central-1'],
        assertionStack: 'Rung1/DefaultTest/DeployAssert',
      }),
    });
    // The stage's stack: one region, an ALB, the Fargate services and Aurora.
    const template = stageTemplate(outdir, 'IntegRung1');
    expectDestroyable(template);
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining([
      'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ECS::Service', 'AWS::RDS::DBCluster', 'AWS::Route53::RecordSet',
    ]));
    // The assertion: GET https://app.<domain>/health, polled until it answers 200.
    const calls = assertionCalls(outdir, 'Rung1/DefaultTest', 'HttpCall');
    expect(calls.map((c) => [c.Properties.parameters.url, JSON.parse(c.Properties.expected)])).toEqual([
      ['https://app.integ-rung1.example.com/health', { $ObjectLike: { status: 200 } }],
    ]);
    expect(calls[0].Properties.stateMachineArn).toBeDefined(); // polled (waitForAssertions)
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('integ.rung3 asserts /health and that a clicks message is consumed from the Clicks queue', () => {
  const outdir = synthIntegApp('integ.rung3.ts');
  try {
    expect(readJson(path.join(outdir, 'integ.json')).testCases).toEqual({
      'Rung3/DefaultTest': expect.objectContaining({ stacks: ['IntegRung3/us-west-2'], regions: ['us-west-2'] }),
    });
    const template = stageTemplate(outdir, 'IntegRung3');
    expectDestroyable(template);
    const queueNames = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::SQS::Queue').map((r) => r.Properties.QueueName);
    expect(queueNames.sort()).toEqual(['IntegRung3uswest2-ClicksQueue-4B723949', 'IntegRung3uswest2-ClicksQueue-4B723949-dlq']);
    expect(assertionCalls(outdir, 'Rung3/DefaultTest', 'HttpCall').map((c) => c.Properties.parameters.url))
      .toEqual(['https://app.integ-rung3.example.com/health']);
    // The URLs are looked up by the names the stage's stack creates.
    expect(assertionCalls(outdir, 'Rung3/DefaultTest', 'SdkCallSQSgetQueueUrl').map((c) => JSON.parse(c.Properties.parameters.QueueName)).sort())
      .toEqual(queueNames.sort());
    const [send] = assertionCalls(outdir, 'Rung3/DefaultTest', 'SdkCallSQSsendMessage');
    expect(JSON.parse(JSON.parse(send.Properties.parameters.MessageBody))).toMatchObject({ type: 'clicks', counts: { integ3: 1 } });
    const polls = assertionCalls(outdir, 'Rung3/DefaultTest', 'SdkCallSQSgetQueueAttributes');
    expect(polls.map((c) => JSON.parse(c.Properties.expected))).toEqual([
      { $ObjectLike: { Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' } } },
      { $ObjectLike: { Attributes: { ApproximateNumberOfMessages: '0' } } },
    ]);
    // Polled after the send (step function), then the dead-letter queue.
    expect(polls[0].DependsOn).toEqual([expect.stringMatching(/^AwsApiCallSQSsendMessage/)]);
    expect(polls[0].Properties.stateMachineArn).toBeDefined();
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
