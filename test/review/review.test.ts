import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { WebServiceStack } from '../../examples/web-service/web-service-stack';
import { ChangeReview, Compliance, DataRetentionCheck } from '../../src';
import { runReview } from '../../src/review/run-review';
import { CDK_JSON_CONTEXT, TEST_ACCOUNT } from '../util';

/** Synthesizes the web-service example (compliance on) into a fresh cloud assembly. */
function synthExample(change?: (stack: Stack) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { ...CDK_JSON_CONTEXT, '@aws-cdk/core:failSynthOnValidationErrors': false } });
  Compliance.enable(app);
  const stack = new WebServiceStack(app, 'WebService', { env: { account: TEST_ACCOUNT, region: 'eu-west-1' }, hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com', originVerifySecretName: 'WebService/OriginVerify' });
  change?.(stack);
  app.synth();
  return outdir;
}

/** Copies an assembly's template into a template folder, edited by `edit`. */
function templateFolder(assembly: string, edit: (t: any) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-tpl-'));
  const template = JSON.parse(fs.readFileSync(path.join(assembly, 'WebService.template.json'), 'utf-8'));
  edit(template);
  fs.writeFileSync(path.join(dir, 'WebService.template.json'), JSON.stringify(template));
  return dir;
}

function run(base: string, head: string, extra: string[] = []) {
  let out = '';
  let err = '';
  const result = runReview(['review', '--base', base, '--head', head, '--fail-on', 'risk', ...extra], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { ...result, out, err };
}

describe('cdk-scaleout review', () => {
  const base = synthExample();
  const baseFolder = templateFolder(base, () => undefined);
  const logicalIds = (type: string) => {
    const t = JSON.parse(fs.readFileSync(path.join(base, 'WebService.template.json'), 'utf-8'));
    return Object.entries<any>(t.Resources).filter(([, r]) => r.Type === type).map(([id]) => id);
  };

  test('GIVEN a harmless change WHEN reviewed THEN modified resources are listed, no risk, exit 0, Mermaid present', () => {
    const [api] = logicalIds('AWS::ECS::TaskDefinition').filter((id) => id.startsWith('ApiTask'));
    const head = templateFolder(base, (t) => {
      t.Resources[api].Properties.ContainerDefinitions[0].Environment.push({ Name: 'FEATURE_FLAG', Value: 'on' });
    });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(0);
    expect(r.outcome!.risks).toEqual([]);
    expect(r.outcome!.stacks[0]).toMatchObject({ stack: 'WebService', status: 'changed' });
    expect(r.outcome!.stacks[0].modified.map((m) => m.resourceType)).toContain('AWS::ECS::TaskDefinition');
    expect(r.out).toContain('No risk found.');
    expect(r.out).toMatch(/```mermaid\nflowchart LR[\s\S]*Load balancer[\s\S]*ECS Api[\s\S]*Aurora[\s\S]*```/);
  });

  test('GIVEN a change that replaces the Aurora cluster WHEN reviewed THEN a data-loss risk comes first and exit is 1', () => {
    const [cluster] = logicalIds('AWS::RDS::DBCluster');
    const head = templateFolder(base, (t) => { t.Resources[cluster].Properties.DatabaseName = 'renamed'; });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.risks[0]).toEqual(expect.objectContaining({ kind: 'data-loss', logicalId: cluster, resourceType: 'AWS::RDS::DBCluster', message: expect.stringMatching(/will be replaced.*DatabaseName/) }));
    // The instances follow their cluster.
    expect(r.outcome!.risks.slice(1).map((x) => [x.resourceType, x.message])).toEqual([
      ['AWS::RDS::DBInstance', expect.stringMatching(/will be replaced.*DBClusterIdentifier/)],
      ['AWS::RDS::DBInstance', expect.stringMatching(/will be replaced.*DBClusterIdentifier/)],
    ]);
    expect(r.out.indexOf('### ⚠️ Risks')).toBeLessThan(r.out.indexOf('### Stacks'));
    expect(r.out).toMatch(/Highest risk: data-loss/);
  });

  test('GIVEN a change that removes a queue WHEN reviewed THEN its removal is a data-loss risk', () => {
    const queue = logicalIds('AWS::SQS::Queue').find((id) => id.startsWith('ClicksQueue'))!;
    const head = templateFolder(base, (t) => {
      t.Resources[queue].DeletionPolicy = 'Delete';
      delete t.Resources[queue];
    });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.risks).toContainEqual(expect.objectContaining({ kind: 'data-loss', logicalId: queue, message: expect.stringMatching(/removed from the stack \(DeletionPolicy Retain: kept, orphaned\)/) }));
  });

  test('GIVEN a change that opens a security group to the world WHEN reviewed THEN a security risk names the port', () => {
    const sg = logicalIds('AWS::EC2::SecurityGroup').find((id) => id.startsWith('WebService'))!;
    const head = templateFolder(base, (t) => {
      t.Resources.OpenSsh = { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { Ref: sg }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' } };
    });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.risks).toEqual([expect.objectContaining({ kind: 'security', logicalId: 'OpenSsh', message: 'ingress opened to 0.0.0.0/0 on tcp 22-22' })]);
  });

  test('GIVEN a change that adds a nag finding WHEN reviewed THEN the compliance delta shows it as a risk', () => {
    const head = synthExample((stack) => { new s3.Bucket(stack, 'Uploads', { enforceSSL: true, removalPolicy: RemovalPolicy.RETAIN }); });
    const r = run(base, head);
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.stacks[0]).toMatchObject({ stack: 'WebService', region: 'eu-west-1', status: 'changed' }); // read from the assembly
    expect(r.outcome!.newFindings).toEqual([{ plugin: 'AwsSolutions', rule: 'AwsSolutions-S1', constructPath: 'WebService/Uploads/Resource' }]);
    expect(r.out).toContain('- new: AwsSolutions-S1 at WebService/Uploads/Resource (AwsSolutions)');
  });

  test('GIVEN an acknowledged replacement WHEN reviewed THEN it passes with the reason shown', () => {
    const [cluster] = logicalIds('AWS::RDS::DBCluster');
    const head = templateFolder(base, (t) => { t.Resources[cluster].Properties.DatabaseName = 'renamed'; });
    const body = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pr-')), 'body.md');
    const risky = run(baseFolder, head).outcome!.risks.map((x) => x.logicalId);
    fs.writeFileSync(body, `Renames the database.\n\n${risky.map((id) => `review-ack: WebService/${id} planned rebuild from snapshot`).join('\n')}\n`);
    const r = run(baseFolder, head, ['--pr-body', body]);
    expect(r.exitCode).toBe(0);
    expect(r.out).toContain('✅ acknowledged: planned rebuild from snapshot');
    const ackFile = path.join(path.dirname(body), 'acks.json');
    fs.writeFileSync(ackFile, JSON.stringify({ acknowledgements: [{ stack: 'WebService', logicalId: '*', reason: 'rebuild' }] }));
    expect(ChangeReview.run({ base: baseFolder, head, failOn: 'risk', acknowledgementsFile: ackFile })).toMatchObject({ exitCode: 0, unacknowledgedRisks: 0 });
  });

  test('GIVEN stacks on one side only WHEN reviewed THEN they are reported as removed and added', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'review-empty-'));
    fs.writeFileSync(path.join(empty, 'Other.template.json'), JSON.stringify({ Resources: {} }));
    const r = run(empty, baseFolder, ['--format', 'json']);
    const json = JSON.parse(r.out);
    expect(json.stacks.map((s: { stack: string; status: string }) => [s.stack, s.status])).toEqual([['Other', 'removed'], ['WebService', 'added']]);
    // New stateful resources lose nothing; a new internet-facing listener widens the boundary.
    expect(json.risks.filter((x: { kind: string }) => x.kind === 'data-loss')).toEqual([]);
    expect(json.risks).toContainEqual(expect.objectContaining({ kind: 'security', message: 'ingress opened to 0.0.0.0/0 on tcp 443-443' }));
  });

  test('GIVEN a head whose template breaks a deploy limit WHEN reviewed THEN a deploy risk and the Deploy rehearsal section name it; an acknowledgement passes it', () => {
    const head = templateFolder(base, (t) => {
      t.Resources.Jobs = { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs.v2' } };
    });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.risks).toContainEqual(expect.objectContaining({ kind: 'deploy', stack: 'WebService', logicalId: 'Jobs', resourceType: 'AWS::SQS::Queue', message: expect.stringMatching(/^Rehearsal-SqsQueueName: QueueName 'jobs.v2' may contain only/) }));
    expect(r.out).toMatch(/### Deploy rehearsal \(head\)\n\n\| rule \|[^\n]*\n[^\n]*\n\| Rehearsal-SqsQueueName \| WebService \| Jobs \| Properties.QueueName \| jobs.v2 \|/);
    expect(r.out).toMatch(/1 deploy\)/);
    const body = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pr-')), 'body.md');
    fs.writeFileSync(body, 'review-ack: WebService/Jobs renamed before merge\n');
    expect(run(baseFolder, head, ['--pr-body', body]).exitCode).toBe(0);
  });

  test('GIVEN a head without deploy findings WHEN reviewed THEN the Deploy rehearsal section says so', () => {
    expect(run(baseFolder, baseFolder).out).toContain('### Deploy rehearsal (head)\n\n- no finding');
  });

  describe('bad input', () => {
    test.each([
      ['a missing directory', ['--base', '/nonexistent/x', '--head', '/tmp'], /\/nonexistent\/x does not exist/],
      ['a directory that is neither', ['--base', os.tmpdir().replace(/\/$/, '') + '/..', '--head', '/tmp'], /is neither a cloud assembly \(no manifest.json\) nor a folder of \*.template.json files/],
      ['no --head', ['--base', '/tmp'], /--base and --head are required/],
      ['an unknown format', ['--base', '/tmp', '--head', '/tmp', '--format', 'html'], /--format must be markdown or json, got 'html'/],
      ['an unknown option', ['--base', '/tmp', '--head', '/tmp', '--colour', 'on'], /unknown option\(s\) --colour/],
    ])('GIVEN %s WHEN run THEN exits 2 with a clear message and writes nothing', (_name, args, message) => {
      let out = '';
      let err = '';
      const r = runReview(args as string[], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
      expect(r.exitCode).toBe(2);
      expect(err).toMatch(message);
      expect(out).toBe('');
    });

    test('GIVEN malformed JSON WHEN run THEN exits 2 naming the file and leaves no output file', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-bad-'));
      fs.writeFileSync(path.join(dir, 'Broken.template.json'), '{ "Resources": ');
      const output = path.join(dir, 'report.md');
      const r = run(baseFolder, dir, ['--output', output]);
      expect(r.exitCode).toBe(2);
      expect(r.err).toMatch(/Broken.template.json is not valid JSON/);
      expect(fs.existsSync(output)).toBe(false);
    });
  });
});

describe('DataRetentionCheck', () => {
  test('GIVEN a bucket destroyed on deletion WHEN synthesized THEN synth reports an error; an opt-out with a reason silences it', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'S');
    Aspects.of(app).add(new DataRetentionCheck());
    new s3.Bucket(stack, 'Kept', { removalPolicy: RemovalPolicy.RETAIN });
    new s3.Bucket(stack, 'Doomed', { removalPolicy: RemovalPolicy.DESTROY });
    const scratch = new s3.Bucket(stack, 'Scratch', { removalPolicy: RemovalPolicy.DESTROY });
    DataRetentionCheck.allowDeletion(scratch, 'scratch data, rebuilt nightly');
    const assembly = app.synth();
    const errors = assembly.getStackByName('S').messages.filter((m) => m.level === 'error');
    expect(errors.map((e) => [e.id, String(e.entry.data)])).toEqual([
      ['/S/Doomed/Resource', expect.stringMatching(/DataRetentionCheck: AWS::S3::Bucket would be destroyed \(DeletionPolicy Delete, UpdateReplacePolicy Delete\)/)],
    ]);
  });

  test('GIVEN an empty reason WHEN opting out THEN throws', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => DataRetentionCheck.allowDeletion(new s3.Bucket(stack, 'B'), ' ')).toThrow(/reason must not be empty for 'S\/B'/);
  });
});
