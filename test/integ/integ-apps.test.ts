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
    const stage = path.join(outdir, 'assembly-IntegRung1');
    const manifest = readJson(path.join(stage, 'manifest.json'));
    const stackId = Object.keys(manifest.artifacts).find((id) => manifest.artifacts[id].type === 'aws:cloudformation:stack')!;
    expect(manifest.artifacts[stackId].environment).toBe('aws://111111111111/eu-central-1');
    const types = Object.values(readJson(path.join(stage, `${stackId}.template.json`)).Resources).map((r: any) => r.Type);
    expect(types).toEqual(expect.arrayContaining([
      'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ECS::Service', 'AWS::RDS::DBCluster', 'AWS::Route53::RecordSet',
    ]));
    // The assertion: GET https://app.<domain>/health, polled until it answers 200.
    const assert = readJson(path.join(outdir, `${integ.testCases['Rung1/DefaultTest'].assertionStackName}.template.json`));
    const calls = Object.values(assert.Resources).filter((r: any) => r.Type.startsWith('Custom::DeployAssert@HttpCall')) as any[];
    expect(calls.map((c) => [c.Properties.parameters.url, JSON.parse(c.Properties.expected)])).toEqual([
      ['https://app.integ-rung1.example.com/health', { $ObjectLike: { status: 200 } }],
    ]);
    expect(Object.values(assert.Resources).some((r: any) => r.Type === 'AWS::StepFunctions::StateMachine')).toBe(true);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
