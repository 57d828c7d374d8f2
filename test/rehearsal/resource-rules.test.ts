import * as fs from 'fs';
import * as path from 'path';
import { ACCOUNT, findings, join, res, where } from './fixtures';

describe('Rehearsal-EcsPartialSecretArn', () => {
  const ruleId = 'Rehearsal-EcsPartialSecretArn';
  const task = (valueFrom: unknown, extra: Record<string, unknown> = {}) => res('AWS::ECS::TaskDefinition', {
    ContainerDefinitions: [{ Name: 'app', Secrets: [{ Name: 'PW', ValueFrom: valueFrom }], ...extra }],
  });

  test('GIVEN a ValueFrom joined from literals and pseudo parameters ending in secret:<name>:<key>:: WHEN rehearsed THEN the partial ARN is reported', () => {
    const arn = join('arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:db/master:password::');
    const f = findings({ stacks: [{ id: 'S', resources: { T: task(arn) } }] }, { ruleId });
    expect(f.map((x) => [x.logicalId, x.property, x.value])).toEqual([
      ['T', 'Properties.ContainerDefinitions.0.Secrets.0.ValueFrom', `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db/master:password::`],
    ]);
    expect(f[0].message).toMatch(/'db\/master' by a partial ARN/);
  });

  test('GIVEN repository credentials by a partial ARN WHEN rehearsed THEN they are reported too', () => {
    const f = findings({ stacks: [{ id: 'S', resources: { T: task({ Ref: 'Local' }, { RepositoryCredentials: { CredentialsParameter: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:registry` } }), Local: res('AWS::SecretsManager::Secret') } }] }, { ruleId });
    expect(where(f)).toEqual(['T@S Properties.ContainerDefinitions.0.RepositoryCredentials.CredentialsParameter']);
  });

  test('GIVEN complete ARNs: a Ref or Join on a secret of the template, a suffixed literal, an SSM parameter WHEN rehearsed THEN nothing is reported', () => {
    const resources = {
      Local: res('AWS::SecretsManager::Secret', {}),
      A: task({ Ref: 'Local' }),
      B: task(join({ Ref: 'Local' }, ':password::')),
      C: task(`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db/master-AbC123:password::`),
      D: task(`arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/app/key`),
    };
    expect(findings({ stacks: [{ id: 'S', resources }] }, { ruleId })).toEqual([]);
  });
});

describe('Rehearsal-LambdaReservedConcurrency', () => {
  const ruleId = 'Rehearsal-LambdaReservedConcurrency';
  const fn = (n?: number) => res('AWS::Lambda::Function', n === undefined ? {} : { ReservedConcurrentExecutions: n });

  test('GIVEN a reservation and no declared quota WHEN rehearsed THEN it is reported (new accounts have 10)', () => {
    const f = findings({ stacks: [{ id: 'S', resources: { F: fn(5), G: fn(), Z: fn(0) } }] }, { ruleId });
    expect(where(f)).toEqual(['F@S Properties.ReservedConcurrentExecutions']);
    expect(f[0].message).toMatch(/new accounts have 10/);
  });

  test('GIVEN a declared quota WHEN the reservations of one account and region leave less than 100 THEN each is reported; within the quota THEN nothing', () => {
    const assembly = { stacks: [{ id: 'A', resources: { F: fn(500) } }, { id: 'B', resources: { F: fn(450) } }, { id: 'C', region: 'us-east-1', resources: { F: fn(800) } }] };
    expect(where(findings(assembly, { ruleId, quota: 1000 }))).toEqual(['F@A Properties.ReservedConcurrentExecutions', 'F@B Properties.ReservedConcurrentExecutions']);
    expect(findings(assembly, { ruleId, quota: 1050 })).toEqual([]);
  });
});

describe('Rehearsal-SqsQueueName and Rehearsal-SqsDeadLetterQueueType', () => {
  test('GIVEN queue names too long, with a dot, or with a .fifo mismatch WHEN rehearsed THEN each is reported', () => {
    const f = findings({
      stacks: [{
        id: 'S',
        resources: {
          Long: res('AWS::SQS::Queue', { QueueName: 'q'.repeat(76) + '.fifo', FifoQueue: true }),
          Dot: res('AWS::SQS::Queue', { QueueName: 'orders.v2' }),
          NoSuffix: res('AWS::SQS::Queue', { QueueName: 'orders', FifoQueue: true }),
          NotFifo: res('AWS::SQS::Queue', { QueueName: 'orders.fifo' }),
          Fine: res('AWS::SQS::Queue', { QueueName: 'q'.repeat(75) + '.fifo', FifoQueue: 'true' }),
        },
      }],
    }, { ruleId: 'Rehearsal-SqsQueueName' });
    expect(f.map((x) => `${x.logicalId}: ${x.message}`).sort()).toEqual([
      "Dot: QueueName 'orders.v2' may contain only letters, digits, hyphens and underscores",
      `Long: QueueName '${'q'.repeat(76)}.fifo' has 81 characters (at most 80, .fifo included)`,
      "NoSuffix: QueueName 'orders' must end with .fifo for a FIFO queue",
      "NotFifo: QueueName 'orders.fifo' ends with .fifo but FifoQueue is not true",
    ]);
  });

  test('GIVEN a FIFO queue whose DLQ in the template is standard WHEN rehearsed THEN it is reported; a FIFO DLQ is not', () => {
    const dlqOf = (id: string) => ({ deadLetterTargetArn: { 'Fn::GetAtt': [id, 'Arn'] }, maxReceiveCount: 3 });
    const f = findings({
      stacks: [{
        id: 'S',
        resources: {
          Std: res('AWS::SQS::Queue'),
          Fifo: res('AWS::SQS::Queue', { FifoQueue: true }),
          Bad: res('AWS::SQS::Queue', { FifoQueue: true, RedrivePolicy: dlqOf('Std') }),
          Good: res('AWS::SQS::Queue', { FifoQueue: true, RedrivePolicy: dlqOf('Fifo') }),
          External: res('AWS::SQS::Queue', { FifoQueue: true, RedrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:1:x' } }),
        },
      }],
    }, { ruleId: 'Rehearsal-SqsDeadLetterQueueType' });
    expect(where(f)).toEqual(['Bad@S Properties.RedrivePolicy.deadLetterTargetArn']);
  });
});

describe('Rehearsal-TargetGroupAlgorithm', () => {
  const tg = (attrs: Record<string, string>) => res('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetGroupAttributes: Object.entries(attrs).map(([Key, Value]) => ({ Key, Value })) });

  test('GIVEN weighted_random with stickiness, and slow start with least_outstanding_requests WHEN rehearsed THEN both are reported', () => {
    const f = findings({
      stacks: [{
        id: 'S',
        resources: {
          Sticky: tg({ 'load_balancing.algorithm.type': 'weighted_random', 'stickiness.enabled': 'true' }),
          Slow: tg({ 'load_balancing.algorithm.type': 'least_outstanding_requests', 'slow_start.duration_seconds': '30' }),
          Fine: tg({ 'slow_start.duration_seconds': '30', 'stickiness.enabled': 'true' }),
          Off: tg({ 'load_balancing.algorithm.type': 'weighted_random', 'slow_start.duration_seconds': '0', 'stickiness.enabled': 'false' }),
        },
      }],
    }, { ruleId: 'Rehearsal-TargetGroupAlgorithm' });
    expect(where(f)).toEqual(['Slow@S Properties.TargetGroupAttributes.0.Value', 'Sticky@S Properties.TargetGroupAttributes.1.Value']);
  });
});

describe('Rehearsal-FargateTaskSize', () => {
  const task = (Cpu: unknown, Memory: unknown, compat = ['FARGATE']) => res('AWS::ECS::TaskDefinition', { RequiresCompatibilities: compat, Cpu, Memory });

  test('GIVEN Fargate task sizes outside the table WHEN rehearsed THEN they are reported; valid pairs and EC2 tasks are not', () => {
    const f = findings({
      stacks: [{
        id: 'S',
        resources: {
          BadMem: task('256', '4096'), BadCpu: task('300', '1024'), Ok: task('1024', '2048'), Units: task('1 vCPU', '2 GB'), Ec2: task('300', '1', ['EC2']),
        },
      }],
    }, { ruleId: 'Rehearsal-FargateTaskSize' });
    expect(f.map((x) => `${x.logicalId} ${x.property}: ${x.message}`).sort()).toEqual([
      'BadCpu Properties.Cpu: Cpu 300 is not a Fargate task size (256, 512, 1024, 2048, 4096, 8192, 16384)',
      'BadMem Properties.Memory: Memory 4096 is not allowed with Cpu 256 on Fargate (allowed: 512, 1024, 2048)',
    ]);
  });
});

describe('Rehearsal-LambdaEdge and Rehearsal-LambdaEdgeBundleSize', () => {
  const associations = (assocs: Array<[string, string]>) => assocs.map(([EventType, id]) => ({ EventType, LambdaFunctionARN: id === 'Reader' ? { 'Fn::GetAtt': [id, 'Parameter.Value'] } : { Ref: id } }));
  const distribution = (assocs: Array<[string, string]>) => res('AWS::CloudFront::Distribution', {
    DistributionConfig: {
      DefaultCacheBehavior: { LambdaFunctionAssociations: associations(assocs.slice(0, 1)) },
      CacheBehaviors: [{ LambdaFunctionAssociations: associations(assocs.slice(1)) }],
    },
  });
  const version = (fn: string) => res('AWS::Lambda::Version', { FunctionName: { Ref: fn } });

  test('GIVEN an edge function with environment, layers, arm64, a long timeout and big memory on a viewer event WHEN rehearsed THEN each restriction is reported', () => {
    const f = findings({
      stacks: [{
        id: 'Edge',
        region: 'us-east-1',
        resources: {
          Fn: res('AWS::Lambda::Function', {
            Runtime: 'nodejs24.x',
            Environment: { Variables: { A: '1' } },
            Layers: ['arn:layer'],
            Architectures: ['arm64'],
            Timeout: 10,
            MemorySize: 256,
            EphemeralStorage: { Size: 1024 },
            DeadLetterConfig: { TargetArn: 'x' },
            VpcConfig: { SubnetIds: ['s'] },
          }),
          V: version('Fn'),
          D: distribution([['viewer-request', 'V']]),
        },
      }],
    }, { ruleId: 'Rehearsal-LambdaEdge' });
    expect(where(f)).toEqual([
      'Fn@Edge Properties.Architectures', 'Fn@Edge Properties.DeadLetterConfig', 'Fn@Edge Properties.Environment.Variables',
      'Fn@Edge Properties.EphemeralStorage.Size', 'Fn@Edge Properties.Layers', 'Fn@Edge Properties.MemorySize', 'Fn@Edge Properties.Runtime',
      'Fn@Edge Properties.Timeout', 'Fn@Edge Properties.VpcConfig',
    ]);
    expect(f.find((x) => x.property === 'Properties.Runtime')!.message).toMatch(/^viewer-request function Fn: runtime nodejs24.x is not one Lambda@Edge supports \(nodejs18.x, .*nodejs22.x/);
    expect(f.find((x) => x.property === 'Properties.Timeout')!.message).toBe('viewer-request function Fn: timeout 10 s exceeds 5 s for viewer events');
  });

  test('GIVEN an edge function outside us-east-1, or an association to an unversioned function WHEN rehearsed THEN both are reported', () => {
    const f = findings({
      stacks: [{
        id: 'Eu',
        resources: {
          Fn: res('AWS::Lambda::Function', {}),
          V: version('Fn'),
          // An EdgeFunction made outside us-east-1 reads its version ARN through a custom resource: not followed.
          Reader: res('Custom::CrossRegionStringParameterReader', {}),
          D: distribution([['origin-request', 'V'], ['viewer-response', 'Fn'], ['origin-response', 'Reader']]),
        },
      }],
    }, { ruleId: 'Rehearsal-LambdaEdge' });
    expect(f.map((x) => x.message)).toEqual([
      'origin-request function Fn: is in eu-west-1; Lambda@Edge functions must be in us-east-1',
      'viewer-response association points at AWS::Lambda::Function Fn: Lambda@Edge needs a numbered version',
    ]);
  });

  test('GIVEN origin-event limits (30 s, 10,240 MB) respected and defaults on a viewer event WHEN rehearsed THEN nothing is reported', () => {
    expect(findings({
      stacks: [{
        id: 'Edge',
        region: 'us-east-1',
        resources: {
          O: res('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Timeout: 30, MemorySize: 10240, Architectures: ['x86_64'], EphemeralStorage: { Size: 512 } }),
          OV: version('O'),
          W: res('AWS::Lambda::Function', {}),
          WV: version('W'),
          D: distribution([['origin-response', 'OV'], ['viewer-request', 'WV']]),
        },
      }],
    })).toEqual([]);
  });

  test('GIVEN a viewer-event bundle over 1 MB among the assembly\'s assets WHEN rehearsed THEN its size is reported as an upper bound; under 50 MB on an origin event THEN not', () => {
    const f = findings({
      stacks: [{
        id: 'Edge',
        region: 'us-east-1',
        assets: { 'big.zip': 'asset.big' },
        resources: {
          Fn: res('AWS::Lambda::Function', { Code: { S3Bucket: 'b', S3Key: 'big.zip' } }),
          V: version('Fn'),
          Fo: res('AWS::Lambda::Function', { Code: { S3Bucket: 'b', S3Key: 'big.zip' } }),
          Vo: version('Fo'),
          D: distribution([['viewer-request', 'V'], ['origin-request', 'Vo']]),
        },
      }],
    }, {
      ruleId: 'Rehearsal-LambdaEdgeBundleSize',
      prepare: (dir) => {
        fs.mkdirSync(path.join(dir, 'asset.big'));
        fs.writeFileSync(path.join(dir, 'asset.big', 'index.js'), Buffer.alloc(1024 * 1024 + 1));
      },
    });
    expect(f.map((x) => [x.logicalId, x.property, x.value])).toEqual([['Fn', 'Properties.Code.S3Key', 'big.zip']]);
    expect(f[0].message).toMatch(/1048577 bytes \(total of the asset folder, an upper bound of the zip\), over the 1 MB Lambda@Edge limit for viewer events/);
  });
});
