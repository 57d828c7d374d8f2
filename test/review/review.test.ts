import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, RemovalPolicy, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import MarkdownIt from 'markdown-it';
import { WebServiceStack } from '../../examples/web-service/web-service-stack';
import { ChangeReview, Compliance, DataRetentionCheck, EdgeWebAcl, ServiceLoadBalancer, StatelessService } from '../../src';
import { cell, leafChanges, MAX_REPORT_CHARS, truncateReport } from '../../src/review/review-engine';
import { runReview } from '../../src/review/run-review';
import { CDK_JSON_CONTEXT, reportingApp, TEST_ACCOUNT } from '../util';

/** Synthesizes the web-service example (compliance on) into a fresh cloud assembly. */
function synthExample(change?: (stack: Stack) => void): string {
  const app = reportingApp();
  Compliance.enable(app);
  const stack = new WebServiceStack(app, 'WebService', { env: { account: TEST_ACCOUNT, region: 'eu-west-1' }, hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com', originVerifySecretName: 'WebService/OriginVerify' });
  change?.(stack);
  app.synth();
  return app.outdir;
}

/** Synthesizes a small app: one stack `Small` built by `build`. */
function synthSmall(build: (stack: Stack) => void, region = 'eu-west-1'): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-small-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: { ...CDK_JSON_CONTEXT } });
  build(new Stack(app, 'Small', { env: { account: TEST_ACCOUNT, region } }));
  app.synth();
  return outdir;
}

/** Copies an assembly's template into a template folder, edited by `edit`. */
function templateFolder(assembly: string, edit: (t: any) => void, stack = 'WebService'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-tpl-'));
  const template = JSON.parse(fs.readFileSync(path.join(assembly, `${stack}.template.json`), 'utf-8'));
  edit(template);
  fs.writeFileSync(path.join(dir, `${stack}.template.json`), JSON.stringify(template));
  return dir;
}

function run(base: string, head: string, extra: string[] = []) {
  let out = '';
  let err = '';
  const result = runReview(['review', '--base', base, '--head', head, '--fail-on', 'risk', ...extra], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { ...result, out, err };
}

function prBody(text: string): string {
  const body = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pr-')), 'body.md');
  fs.writeFileSync(body, text);
  return body;
}

/**
 * Valid GFM tables: markdown-it (GFM tables) renders every table-looking block as a `<table>` and
 * leaves no `|` line as a paragraph; and, stricter than GFM (which pads or cuts rows silently),
 * every row has the header's number of cells, counting only unescaped `|`.
 */
function expectValidTables(markdown: string): number {
  const tables = expectTableShapes(markdown);
  const html = new MarkdownIt().render(markdown);
  expect((html.match(/<table>/g) ?? []).length).toBe(tables);
  expect(html).not.toMatch(/<p>\|/);
  return tables;
}

function expectTableShapes(markdown: string): number {
  const lines = markdown.split('\n');
  const cells = (line: string) => line.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length - 2;
  let tables = 0;
  let fence = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('```')) fence = !fence;
    if (fence || !lines[i].startsWith('|') || (i > 0 && lines[i - 1].startsWith('|'))) continue;
    const width = cells(lines[i]);
    expect(lines[i + 1]).toMatch(new RegExp(`^(\\|---){${width}}\\|$`));
    tables++;
    for (let j = i + 2; j < lines.length && lines[j].startsWith('|'); j++) {
      if (cells(lines[j]) !== width) throw new Error(`table row ${j + 1} has ${cells(lines[j])} cells, header ${width}: ${lines[j]}`);
      expect(lines[j]).toMatch(/\|$/);
    }
  }
  return tables;
}

describe('cdk-scaleout review: PR scenarios on the web-service example', () => {
  const base = synthExample();
  const baseFolder = templateFolder(base, () => undefined);
  const baseTemplate = JSON.parse(fs.readFileSync(path.join(base, 'WebService.template.json'), 'utf-8'));
  const logicalIds = (type: string) => Object.entries<any>(baseTemplate.Resources).filter(([, r]) => r.Type === type).map(([id]) => id);
  const [cluster] = logicalIds('AWS::RDS::DBCluster');
  const [api] = logicalIds('AWS::ECS::TaskDefinition').filter((id) => id.startsWith('ApiTask'));
  const webSg = logicalIds('AWS::EC2::SecurityGroup').find((id) => id.startsWith('WebService'))!;
  const apiTaskPolicy = logicalIds('AWS::IAM::Policy').find((id) => id.startsWith('ApiTaskTaskRoleDefaultPolicy'))!;
  // A new ordinary service (synthesized once, used by two scenarios).
  const withNewService = synthExample((stack) => {
    const web = stack.node.findChild('Web') as StatelessService;
    new StatelessService(stack, 'Admin', {
      cluster: web.cluster,
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
      loadBalancer: stack.node.findChild('Lb') as ServiceLoadBalancer,
      route: { pathPatterns: ['/admin/*'], priority: 30 },
    });
  });

  test('no change: "No changes", exit 0', () => {
    const r = run(base, base);
    expect(r.exitCode).toBe(0);
    expect(r.outcome!.noChanges).toBe(true);
    expect(r.out).toMatch(/^## cdk-scaleout review\n\nNo changes\. /);
    expect(r.out.length).toBeLessThan(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-lib-'));
    const lib = ChangeReview.run({ base, head: base, failOn: 'risk', outputFile: path.join(dir, 'full.md'), commentFile: path.join(dir, 'comment.md') });
    expect(lib).toMatchObject({ exitCode: 0, report: '', unacknowledgedRisks: 0 });
    expect(fs.readFileSync(path.join(dir, 'comment.md'), 'utf-8')).toBe(fs.readFileSync(path.join(dir, 'full.md'), 'utf-8'));
  });

  test('benign env change: modified, no risk, exit 0, the value old → new, Mermaid marks the changed service', () => {
    const head = templateFolder(base, (t) => {
      t.Resources[api].Properties.ContainerDefinitions[0].Environment.push({ Name: 'FEATURE_FLAG', Value: 'on' });
    });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(0);
    expect(r.outcome!.risks).toEqual([]);
    expect(r.outcome!.stacks[0]).toMatchObject({ stack: 'WebService', status: 'changed' });
    expect(r.outcome!.stacks[0].modified.find((m) => m.logicalId === api)!.details).toEqual(['ContainerDefinitions[App].Environment[FEATURE_FLAG]: added {"Name":"FEATURE_FLAG","Value":"on"}']);
    expect(r.out).toContain('No risk found.');
    expect(r.out).toMatch(/```mermaid\nflowchart LR[\s\S]*Load balancer[\s\S]*ECS ApiService\w+ changed"\]\n    class n\d+ changed[\s\S]*Aurora[\s\S]*classDef changed[^\n]*\n```/);
  });

  test.each([
    ['scaling (max tasks)', (t: any) => { t.Resources.ApiServiceTaskCountTarget7F73DCFB.Properties.MaxCapacity = 40; }, 'MaxCapacity: 20 → 40'],
    ['an alarm threshold', (t: any) => { t.Resources.DbCpuAlarm33FD3FD0.Properties.Threshold = 90; }, 'Threshold: 80 → 90'],
    ['a cache node type', (t: any) => { const c = Object.values<any>(t.Resources).find((x) => x.Type === 'AWS::ElastiCache::ReplicationGroup'); c.Properties.CacheNodeType = 'cache.r7g.large'; }, 'CacheNodeType: cache.t4g.medium → cache.r7g.large'],
    ['a queue retention (TTL)', (t: any) => { t.Resources.ClicksQueueEC57A6EC.Properties.MessageRetentionPeriod = 86400; }, 'MessageRetentionPeriod: 345600 → 86400'],
  ])('benign %s: exit 0, the changed value shown old → new', (_name, edit, detail) => {
    const r = run(baseFolder, templateFolder(base, edit));
    expect(r.exitCode).toBe(0);
    expect(r.outcome!.risks).toEqual([]);
    expect(r.outcome!.stacks[0].modified.flatMap((m) => m.details ?? [])).toContain(detail);
    expect(r.out).toContain(`| ${detail.replace(/\|/g, '\\|')} |`);
  });

  test('a higher task maximum: the report shows the monthly cost delta of the PR, per stack', () => {
    const r = run(baseFolder, templateFolder(base, (t: any) => { t.Resources.ApiServiceTaskCountTarget7F73DCFB.Properties.MaxCapacity = 40; }));
    const cost = r.outcome!.cost!;
    expect(cost.headLow).toBeCloseTo(cost.baseLow, 0); // the minimum does not move
    expect(cost.headHigh).toBeGreaterThan(cost.baseHigh); // 20 more tasks at most
    expect(cost.stacks.map((s) => s.stack)).toEqual(['WebService']);
    expect(r.out).toMatch(/### Monthly cost \(estimate\)\n\nBase \$[\d,]+–\$[\d,]+ → head \$[\d,]+–\$[\d,]+ a month \(\+\$0 at minimum capacity, \+\$[\d,]+ at maximum\)/);
    expect(r.out).toMatch(/\| WebService \| \$[\d,]+–\$[\d,]+ \| \$[\d,]+–\$[\d,]+ \| \+\$0 \| \+\$[\d,]+ \|/);
  });

  test('a new ordinary service: passes --fail-on risk; its roles, rules and wiring are information', () => {
    const r = run(base, withNewService);
    expect(r.outcome!.risks.filter((x) => !x.acknowledged)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.outcome!.stacks[0].added.map((a) => a.resourceType)).toEqual(expect.arrayContaining(['AWS::ECS::Service', 'AWS::IAM::Role', 'AWS::EC2::SecurityGroup']));
    expect(r.outcome!.information.length).toBeGreaterThan(0);
    expect(r.out).toMatch(/ECS AdminService\w+ new/);
  });

  test('data loss: a replaced Aurora cluster comes first, exit 1', () => {
    const head = templateFolder(base, (t) => { t.Resources[cluster].Properties.DatabaseName = 'renamed'; });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.risks[0]).toEqual(expect.objectContaining({ kind: 'data-loss', severity: 'high', logicalId: cluster, resourceType: 'AWS::RDS::DBCluster', message: expect.stringMatching(/will be replaced.*DatabaseName/) }));
    expect(r.outcome!.risks.slice(1).map((x) => [x.resourceType, x.message])).toEqual([
      ['AWS::RDS::DBInstance', expect.stringMatching(/will be replaced.*DBClusterIdentifier/)],
      ['AWS::RDS::DBInstance', expect.stringMatching(/will be replaced.*DBClusterIdentifier/)],
    ]);
    expect(r.out.indexOf('### ⚠️ Risks: high')).toBeLessThan(r.out.indexOf('### Stacks'));
    expect(r.out).toMatch(/Highest risk: data-loss/);
    expect(r.out).toMatch(/`~` ApiTask\w+ \(AWS::ECS::TaskDefinition\) — WILL_REPLACE \(no value of its own changes: it references a resource that does\)/);
  });

  test('data loss: a removed queue with DeletionPolicy RetainExceptOnCreate is kept, orphaned, exit 1', () => {
    const queue = logicalIds('AWS::SQS::Queue').find((id) => id.startsWith('ClicksQueue'))!;
    const r = run(baseFolder, templateFolder(base, (t) => { delete t.Resources[queue]; }));
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.risks).toContainEqual(expect.objectContaining({ kind: 'data-loss', logicalId: queue, message: 'removed: kept, orphaned (DeletionPolicy RetainExceptOnCreate)' }));
  });

  test('data loss: a removed cluster with DeletionPolicy Snapshot is deleted after a final snapshot, not kept', () => {
    expect(baseTemplate.Resources[cluster].DeletionPolicy).toBe('Snapshot');
    const r = run(baseFolder, templateFolder(base, (t) => { delete t.Resources[cluster]; }));
    expect(r.exitCode).toBe(1);
    const risk = r.outcome!.risks.find((x) => x.logicalId === cluster)!;
    expect(risk.message).toBe('removed: deleted after a final snapshot (DeletionPolicy Snapshot): the data survives only in that snapshot');
    expect(risk.message).not.toMatch(/kept/);
  });

  test('security: 5432 from 10.0.0.0/8 (not the world) is a medium risk, exit 1', () => {
    const dbSg = baseTemplate.Resources[cluster].Properties.VpcSecurityGroupIds[0]['Fn::GetAtt'][0];
    const head = templateFolder(base, (t) => {
      t.Resources.DbFromCorp = { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': [dbSg, 'GroupId'] }, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIp: '10.0.0.0/8' } };
    });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.risks).toEqual([expect.objectContaining({ kind: 'security', severity: 'medium', logicalId: 'DbFromCorp', message: `ingress opened to 10.0.0.0/8 on tcp 5432-5432 (group ${dbSg})` })]);
  });

  test('security: a world-open port is high; an egress rule on an existing group is medium', () => {
    const head = templateFolder(base, (t) => {
      t.Resources.OpenSsh = { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { Ref: webSg }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' } };
      t.Resources.ToPartner = { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: { Ref: webSg }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '203.0.113.0/24' } };
    });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.risks.map((x) => [x.severity, x.logicalId, x.message])).toEqual([
      ['high', 'OpenSsh', `ingress opened to 0.0.0.0/0 on tcp 22-22 (group ${webSg})`],
      ['medium', 'ToPartner', `egress opened to 203.0.113.0/24 on tcp 443-443 (group ${webSg})`],
    ]);
    // Rows grouped by severity.
    expect(r.out.indexOf('### ⚠️ Risks: high (1)')).toBeLessThan(r.out.indexOf('### ⚠️ Risks: medium (1)'));
  });

  test.each([
    ["action '*' on an existing role", { Effect: 'Allow', Action: '*', Resource: '*' }, 'high', /widens: action '\*'; resource '\*'/],
    ['iam:PassRole on an existing role', { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111111111111:role/x' }, 'high', /widens: iam:PassRole/],
    ["resource '*' on an existing role", { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, 'medium', /widens: resource '\*'/],
    ['every action of a service on an existing role', { Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:eu-west-1:111111111111:table/t' }, 'medium', /widens: every action of dynamodb:\*/],
  ])('IAM widening: %s, exit 1', (_name, statement, severity, message) => {
    const head = templateFolder(base, (t) => { t.Resources[apiTaskPolicy].Properties.PolicyDocument.Statement.push(statement); });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.risks).toEqual([expect.objectContaining({ kind: 'security', severity, logicalId: apiTaskPolicy, message: expect.stringMatching(message) })]);
  });

  test('IAM widening: a cross-account principal in a trust policy and a public queue policy are high', () => {
    const role = logicalIds('AWS::IAM::Role').find((id) => id.startsWith('ApiTaskTaskRole'))!;
    const queuePolicy = logicalIds('AWS::SQS::QueuePolicy')[0];
    const head = templateFolder(base, (t) => {
      t.Resources[role].Properties.AssumeRolePolicyDocument.Statement.push({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::999999999999:root' } });
      t.Resources[queuePolicy].Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: 'sqs:SendMessage', Principal: '*', Resource: '*' });
    });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.risks.map((x) => [x.severity, x.logicalId, x.message])).toEqual(expect.arrayContaining([
      ['high', role, expect.stringMatching(/^trust added: .*cross-account principal 999999999999/)],
      ['high', queuePolicy, expect.stringMatching(/public principal '\*' without a condition/)],
    ]));
  });

  test('IAM information: a Deny statement and an ordinary grant to an existing role widen nothing, exit 0', () => {
    const head = templateFolder(base, (t) => {
      t.Resources[apiTaskPolicy].Properties.PolicyDocument.Statement.push(
        { Effect: 'Deny', Action: 's3:*', Resource: '*' },
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['InventoryQueue9CB6A1E3', 'Arn'] } },
        { Effect: 'Allow', Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'], Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] }, // bucket.grantRead
      );
    });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(0);
    expect(r.outcome!.risks).toEqual([]);
    expect(r.outcome!.information.map((x) => x.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Deny statement added: s3:\*/), expect.stringMatching(/^permission added: sqs:SendMessage/),
    ]));
    expect(r.out).toContain('<details><summary>Information (');
  });

  test('compliance: a new nag finding is a risk; a new acknowledgement is listed with its reason', () => {
    const head = synthExample((stack) => {
      new s3.Bucket(stack, 'Uploads', { enforceSSL: true, removalPolicy: RemovalPolicy.RETAIN });
      const logs = new s3.Bucket(stack, 'Logs', { enforceSSL: true, removalPolicy: RemovalPolicy.RETAIN });
      Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'the access-log target of Uploads' });
    });
    const r = run(base, head);
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.stacks[0]).toMatchObject({ stack: 'WebService', region: 'eu-west-1', status: 'changed' });
    expect(r.outcome!.newFindings).toEqual([{ plugin: 'AwsSolutions', rule: 'AwsSolutions-S1', constructPath: 'WebService/Uploads/Resource' }]);
    expect(r.outcome!.newComplianceAcknowledgements).toEqual([{ stack: 'WebService', constructPath: 'WebService/Logs', rule: 'AwsSolutions-S1', reason: 'the access-log target of Uploads' }]);
    expect(r.out).toContain('- new: AwsSolutions-S1 at WebService/Uploads/Resource (AwsSolutions)');
    expect(r.out).toContain('| AwsSolutions-S1 | WebService/Logs | the access-log target of Uploads |');
  });

  test('compliance with --packs: the packs run on both sides\' templates; new findings and new acknowledgements (with reasons) are reported', () => {
    const head = synthExample((stack) => {
      new s3.Bucket(stack, 'Uploads', { enforceSSL: true, removalPolicy: RemovalPolicy.RETAIN });
      const logs = new s3.Bucket(stack, 'Logs', { enforceSSL: true, removalPolicy: RemovalPolicy.RETAIN });
      Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'the access-log target of Uploads' });
    });
    const r = run(base, head, ['--packs', 'AwsSolutions']);
    expect(r.err).toBe('');
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.packsRun).toBe(true);
    expect(r.outcome!.newFindings).toEqual([{ plugin: 'AwsSolutions', rule: 'AwsSolutions-S1', constructPath: 'WebService/Uploads/Resource' }]);
    expect(r.outcome!.resolvedFindings).toEqual([]);
    expect(r.outcome!.newComplianceAcknowledgements).toEqual([{ stack: 'WebService', constructPath: 'WebService/Logs/Resource', rule: 'AwsSolutions-S1', reason: 'the access-log target of Uploads' }]);
    expect(r.outcome!.risks).toContainEqual(expect.objectContaining({ kind: 'compliance', logicalId: 'WebService/Uploads/Resource', message: 'new finding AwsSolutions-S1' }));
    expect(r.out).toContain('_The packs ran on both sides\' templates');
    expect(run(base, base, ['--packs', 'Nope']).err).toMatch(/--packs: 'Nope' is not a cdk-nag pack the review can re-run/);
  });

  test('acknowledgements match exactly: `WebService/*` silences nothing; the exact ids pass with the reason shown', () => {
    const head = templateFolder(base, (t) => { t.Resources[cluster].Properties.DatabaseName = 'renamed'; });
    const risky = run(baseFolder, head).outcome!.risks.map((x) => x.logicalId);
    expect(run(baseFolder, head, ['--pr-body', prBody('review-ack: WebService/* everything')]).exitCode).toBe(1);
    const ackFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'acks-')), 'acks.json');
    fs.writeFileSync(ackFile, JSON.stringify({ acknowledgements: [{ stack: 'WebService', logicalId: '*', reason: 'rebuild' }] }));
    expect(ChangeReview.run({ base: baseFolder, head, failOn: 'risk', acknowledgementsFile: ackFile })).toMatchObject({ exitCode: 1, unacknowledgedRisks: 3 });
    const r = run(baseFolder, head, ['--pr-body', prBody(`Renames the database.\n\n${risky.map((id) => `review-ack: WebService/${id} planned rebuild from snapshot`).join('\n')}\n`)]);
    expect(r.exitCode).toBe(0);
    expect(r.out).toContain('| ✅ acknowledged: planned rebuild from snapshot |');
  });

  test('stacks on one side only: removed and added; a new internet-facing listener widens the boundary', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'review-empty-'));
    fs.writeFileSync(path.join(empty, 'Other.template.json'), JSON.stringify({ Resources: {} }));
    const r = run(empty, baseFolder, ['--format', 'json']);
    const json = JSON.parse(r.out);
    expect(json.stacks.map((s: { stack: string; status: string }) => [s.stack, s.status])).toEqual([['Other', 'removed'], ['WebService', 'added']]);
    expect(json.risks.filter((x: { kind: string }) => x.kind === 'data-loss')).toEqual([]);
    // The account is inferred from the template's ARNs: the stack's own key policies are not cross-account.
    expect(json.risks.filter((x: { message: string }) => /cross-account/.test(x.message))).toEqual([]);
    expect(json.risks).toContainEqual(expect.objectContaining({ kind: 'security', message: expect.stringMatching(/^ingress opened to 0.0.0.0\/0 on tcp 443-443/) }));
  });

  test('deploy: a head that breaks a deploy limit is a deploy risk in its own section; an acknowledgement passes it', () => {
    const head = templateFolder(base, (t) => { t.Resources.Jobs = { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs.v2' } }; });
    const r = run(baseFolder, head);
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.risks).toContainEqual(expect.objectContaining({ kind: 'deploy', stack: 'WebService', logicalId: 'Jobs', resourceType: 'AWS::SQS::Queue', message: expect.stringMatching(/^Rehearsal-SqsQueueName: QueueName 'jobs.v2' may contain only/) }));
    expect(r.out).toMatch(/### Deploy rehearsal \(head\)\n\n\| rule \|[^\n]*\n[^\n]*\n\| Rehearsal-SqsQueueName \| WebService \| Jobs \| Properties.QueueName \| jobs.v2 \|/);
    expect(r.out).toMatch(/1 deploy\)/);
    expect(run(baseFolder, head, ['--pr-body', prBody('review-ack: WebService/Jobs renamed before merge\n')]).exitCode).toBe(0);
  });

  test('Mermaid: the real wiring from security-group rules and references, not every service to every store', () => {
    const r = run(base, withNewService);
    const m = r.outcome!.mermaid;
    const id = (label: RegExp) => new RegExp(`^    (n\\d+)[\\[>(]+"${label.source}`, 'm').exec(m)?.[1];
    const [webSvc, apiSvc, workerSvc, admin] = [/ECS WebService/, /ECS ApiService/, /ECS ClickWorkerService/, /ECS AdminService/].map(id);
    const [aurora, cache, clicks, lb] = [/Aurora/, /Cache/, /SQS ClicksQueue/, /Load balancer/].map(id);
    expect([webSvc, apiSvc, workerSvc, admin, aurora, cache, clicks, lb].every(Boolean)).toBe(true);
    const has = (a?: string, b?: string) => m.includes(`    ${a} -.-> ${b}`) || m.includes(`    ${a} --> ${b}`);
    expect(has(apiSvc, aurora)).toBe(true); // db.connect(api): an ingress rule from the API's group
    expect(has(apiSvc, cache)).toBe(true);
    expect(has(webSvc, cache)).toBe(true);
    expect(has(apiSvc, clicks)).toBe(true); // grantSendMessages
    expect(has(workerSvc, clicks)).toBe(true);
    expect(has(lb, admin)).toBe(true);
    expect(has(id(/SNS OrderPlacedTopic/), id(/SQS InventoryQueue/))).toBe(true);
    expect(has(webSvc, aurora)).toBe(false); // never connected
    expect(has(admin, aurora)).toBe(false);
    expect(m).toMatch(/classDef changed/);
  });

  test('format: newlines and | in cells are escaped, the Markdown tables keep their shape', () => {
    expect(cell('a|b\nc')).toBe('a\\|b<br>c');
    const head = templateFolder(base, (t) => {
      t.Resources[apiTaskPolicy].Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::a|b\nc' });
      t.Resources.DbCpuAlarm33FD3FD0.Properties.AlarmDescription = 'line one\nline | two';
    });
    const r = run(baseFolder, head);
    expect(expectValidTables(r.out)).toBeGreaterThanOrEqual(3);
    expect(r.out).toContain('AlarmDescription: WebService/Db: CPU above 80 % for 5 of 5 minutes → line one<br>line \\| two');
  });

  test('changed values are capped at 25 per resource, the rest counted', () => {
    const head = templateFolder(base, (t) => {
      t.Resources[api].Properties.ContainerDefinitions[0].Environment = Array.from({ length: 30 }, (_, i) => ({ Name: `V${i}`, Value: 'x' }));
    });
    const details = run(baseFolder, head).outcome!.stacks[0].modified.find((m) => m.logicalId === api)!.details!;
    expect(details).toHaveLength(26);
    expect(details[25]).toMatch(/^… \d+ more changed value\(s\)$/);
  });

  test('leafChanges: named rules matched by name, old → new per leaf', () => {
    expect(leafChanges({ Rules: [{ Name: 'A', Priority: 1 }, { Name: 'B' }] }, { Rules: [{ Name: 'A', Priority: 2 }, { Name: 'C' }] }, '')).toEqual([
      'Rules[A].Priority: 1 → 2', 'Rules[B]: removed (was {"Name":"B"})', 'Rules[C]: added {"Name":"C"}',
    ]);
  });

  test('size guard: a stage rename (every stack removed and added) is cut under 60,000 characters, pointing to the full --output file', () => {
    const dir = (prefix: string) => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), `review-stage-${prefix}-`));
      for (const region of ['EuWest1', 'UsEast1', 'ApSoutheast1', 'SaEast1']) fs.copyFileSync(path.join(baseFolder, 'WebService.template.json'), path.join(d, `${prefix}-${region}-WebService.template.json`));
      return d;
    };
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'review-out-'));
    const r = run(dir('Prod'), dir('Production'), ['--output', path.join(out, 'review.md'), '--comment', path.join(out, 'comment.md')]);
    expect(r.exitCode).toBe(1);
    const full = fs.readFileSync(path.join(out, 'review.md'), 'utf-8');
    const comment = fs.readFileSync(path.join(out, 'comment.md'), 'utf-8');
    expect(full.length).toBeGreaterThan(MAX_REPORT_CHARS);
    expect(comment.length).toBeLessThanOrEqual(MAX_REPORT_CHARS);
    expect(comment).toMatch(/> ✂️ Report truncated: [\d,]+ of [\d,]+ characters shown\. The full report is the file `review.md`/);
    expect(comment.startsWith(full.slice(0, 1000))).toBe(true);
    expectValidTables(comment);
    expect((comment.match(/<details>/g) ?? []).length).toBe((comment.match(/<\/details>/g) ?? []).length);
    expect((comment.match(/```/g) ?? []).length % 2).toBe(0);
    expect(r.out).toBe('');
  });

  test('truncateReport closes an open code fence', () => {
    const text = `head\n\`\`\`mermaid\n${'x\n'.repeat(200)}\`\`\`\n`;
    const cut = truncateReport(text, 'see the file', 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect((cut.match(/```/g) ?? []).length).toBe(2);
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

describe('cdk-scaleout review: PR scenarios on small apps', () => {
  test('WAF: a rule removed, managed rules off and a rate limit raised 2,000 → 100,000 are high risks with old → new; a lowered limit is information', () => {
    const base = synthSmall((stack) => { new EdgeWebAcl(stack, 'Waf', { pathRateLimits: [{ pathPrefix: '/api/login', limit: 100 }] }); }, 'us-east-1');
    const template = JSON.parse(fs.readFileSync(path.join(base, 'Small.template.json'), 'utf-8'));
    const [acl] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::WAFv2::WebACL')!;
    const rules = (t: any) => t.Resources[acl].Properties.Rules as any[];
    const managed = rules(template).filter((x) => x.Statement.ManagedRuleGroupStatement).map((x) => x.Name);
    expect(managed.length).toBeGreaterThanOrEqual(2);
    const head = templateFolder(base, (t) => {
      t.Resources[acl].Properties.Rules = rules(t).filter((x) => x.Name !== 'RateLimitPath0');
      rules(t).find((x) => x.Name === 'RateLimitPerIp').Statement.RateBasedStatement.Limit = 100000;
      rules(t).find((x) => x.Name === managed[0]).OverrideAction = { Count: {} };
      t.Resources[acl].Properties.Rules = rules(t).filter((x) => x.Name !== managed[1]);
    }, 'Small');
    const r = run(templateFolder(base, () => undefined, 'Small'), head);
    expect(r.exitCode).toBe(1);
    const group = (name: string) => { const s = rules(template).find((x) => x.Name === name).Statement.ManagedRuleGroupStatement; return `managed rule group ${s.VendorName}/${s.Name} (rule ${name})`; };
    expect(r.outcome!.risks.map((x) => [x.severity, x.logicalId, x.message])).toEqual(expect.arrayContaining([
      ['high', acl, 'rule RateLimitPath0 removed'],
      ['high', acl, 'rule RateLimitPerIp rate limit 2000 → 100000'],
      ['high', acl, `${group(managed[0])} off: action None → Count`],
      ['high', acl, `${group(managed[1])} removed`],
    ]));
    expect(r.out).toContain('Rules[RateLimitPerIp].Statement.RateBasedStatement.Limit: 2000 → 100000');
    const lower = run(templateFolder(base, () => undefined, 'Small'), templateFolder(base, (t) => { rules(t).find((x) => x.Name === 'RateLimitPerIp').Statement.RateBasedStatement.Limit = 1000; }, 'Small'));
    expect(lower.exitCode).toBe(0);
    expect(lower.outcome!.information.map((x) => x.message)).toEqual(['rule RateLimitPerIp rate limit 2000 → 1000']);
  });

  test('renames: a renamed bucket is "replaced by <new id>: a new, empty AWS::S3::Bucket"; the renamed role is information', () => {
    const app = (bucketId: string, roleId: string) => synthSmall((stack) => {
      const bucket = new s3.Bucket(stack, bucketId, { removalPolicy: RemovalPolicy.RETAIN });
      bucket.grantRead(new iam.Role(stack, roleId, { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
    });
    const r = run(app('Uploads', 'Reader'), app('Files', 'FileReader'));
    expect(r.exitCode).toBe(1);
    const removed = r.outcome!.stacks[0].removed.find((x) => x.resourceType === 'AWS::S3::Bucket')!;
    const added = r.outcome!.stacks[0].added.find((x) => x.resourceType === 'AWS::S3::Bucket')!;
    expect(removed.replacedBy).toBe(added.logicalId);
    expect(r.outcome!.risks).toEqual([expect.objectContaining({
      kind: 'data-loss',
      logicalId: removed.logicalId,
      message: `replaced by ${added.logicalId}: a new, empty AWS::S3::Bucket (construct renamed Small/Uploads/Resource → Small/Files/Resource); the old one is kept, orphaned (DeletionPolicy Retain)`,
    })]);
    expect(r.outcome!.information.map((x) => x.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^replaced by FileReader\w+: a new, empty AWS::IAM::Role/),
      expect.stringMatching(/^permission added: s3:GetObject\*.* \(role FileReader\w+, new\)$/),
    ]));
  });
});

describe('cdk-scaleout review: a stage rename', () => {
  test('GIVEN stage Prod renamed Production WHEN reviewed THEN each stateful resource is replaced by its twin in the renamed stack: a new, empty one', () => {
    const synthStage = (stageId: string) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-stage-'));
      const app = new App({ outdir, builtinCloudFormationValidation: false, context: { ...CDK_JSON_CONTEXT } });
      const stage = new Stage(app, stageId, { env: { account: TEST_ACCOUNT, region: 'eu-west-1' } });
      new s3.Bucket(new Stack(stage, 'Data'), 'Uploads', { removalPolicy: RemovalPolicy.RETAIN });
      app.synth();
      return outdir;
    };
    const r = run(synthStage('Prod'), synthStage('Production'));
    expect(r.exitCode).toBe(1);
    expect(r.outcome!.stacks.map((s) => [s.stack, s.status])).toEqual([['Prod-Data', 'removed'], ['Production-Data', 'added']]);
    const [bucket] = r.outcome!.stacks[0].removed.map((x) => x.logicalId);
    expect(r.outcome!.risks).toEqual([expect.objectContaining({
      kind: 'data-loss',
      stack: 'Prod-Data',
      logicalId: bucket,
      message: `replaced by Production-Data/${bucket}: a new, empty AWS::S3::Bucket (construct renamed Prod/Data/Uploads/Resource → Production/Data/Uploads/Resource); the old one is kept, orphaned (DeletionPolicy Retain)`,
    })]);
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

describe('the review workflow (.github/workflows/review.yml, generated by .projenrc.ts)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies -- js-yaml comes with jest
  const wf = require('js-yaml').load(fs.readFileSync(path.join(__dirname, '../../.github/workflows/review.yml'), 'utf-8'));

  test('the PR code only synthesizes, with a read-only token; the base branch reviewer reviews and posts one sticky, size-guarded comment', () => {
    expect(wf.jobs.synth.permissions).toEqual({ contents: 'read' });
    const review = wf.jobs.review;
    expect(review.needs).toBe('synth');
    const checkout = review.steps.filter((s: any) => String(s.uses).startsWith('actions/checkout'));
    expect(checkout).toEqual([{ uses: 'actions/checkout@v4', with: { ref: '${{ github.event.pull_request.base.sha }}' } }]);
    const script = review.steps.find((s: any) => s.name === 'Review').run as string;
    expect(script).toMatch(/src\/review\/cli.ts review --base "\$RUNNER_TEMP\/assemblies\/base" --head "\$RUNNER_TEMP\/assemblies\/head"/);
    expect(script).toMatch(/--output "\$RUNNER_TEMP\/review.md" --comment "\$RUNNER_TEMP\/comment.md"/);
    const comment = review.steps.find((s: any) => s.name === 'Comment');
    expect(comment).toMatchObject({ uses: 'marocchino/sticky-pull-request-comment@v2', with: { header: 'cdk-scaleout-review', path: '${{ runner.temp }}/comment.md' } });
    expect(review.steps.filter((s: any) => String(s.uses).startsWith('marocchino/'))).toHaveLength(1);
  });
});
