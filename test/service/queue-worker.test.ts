import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Network, QueueWorker, QueueWorkerProps, WorkQueue, WorkQueueEncryption } from '../../src';
import { expectNoNagFindings, testStack } from '../util';
import { IMAGE } from './fixtures';

function worker(props: Partial<QueueWorkerProps> = {}, queueVisibility = Duration.minutes(2)) {
  const stack = testStack();
  const network = new Network(stack, 'Network');
  const queue = new WorkQueue(stack, 'Clicks', { visibilityTimeout: queueVisibility, encryption: WorkQueueEncryption.KMS });
  const w = new QueueWorker(stack, 'Worker', { vpc: network.vpc, queue, image: IMAGE, maxProcessingTime: Duration.seconds(60), ...props });
  return { stack, queue, w };
}

describe('QueueWorker', () => {
  test('GIVEN a worker WHEN created THEN scales on backlog per task with metric math, not on CPU', () => {
    const { stack } = worker({ backlogPerTask: 25 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 25,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
        CustomizedMetricSpecification: {
          Metrics: [
            Match.objectLike({ Id: 'visible', ReturnData: false, MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' }) }) }),
            Match.objectLike({ Id: 'inflight', ReturnData: false, MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesNotVisible' }) }) }),
            Match.objectLike({ Id: 'tasks', ReturnData: false, MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount' }) }) }),
            // In-flight messages count: scale-in must not stop a task that is still processing.
            Match.objectLike({ Id: 'backlogPerTask', Expression: '(visible + inflight) / tasks', ReturnData: true }),
          ],
        },
      },
    });
    t.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } }),
    }, 0);
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 10 });
  });

  test('GIVEN minTasks 0 WHEN created THEN a step policy scales out from zero on the first message', () => {
    const { stack } = worker({ minTasks: 0 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0 });
    t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: Match.objectLike({ AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] }),
    });
  });

  test('GIVEN minTasks 0 and a busy queue WHEN tasks run THEN the scale-from-zero step does nothing (its metric is 0 unless no task runs)', () => {
    // Before: the step alarm watched the raw backlog and added a task every minute while any
    // message waited, whatever the backlog per task, up to maxTasks.
    const { stack } = worker({ minTasks: 0 });
    const alarm = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
      .find((a) => (a.Properties.Metrics ?? []).some((m: { Expression?: string }) => m.Expression?.includes('tasks')));
    expect(alarm?.Properties).toMatchObject({ ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1 });
    type AlarmMetric = { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Namespace: string } } };
    const metrics = alarm!.Properties.Metrics as AlarmMetric[];
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('IF(FILL(tasks, 0) < 1, visible, 0)');
    expect(metrics.find((m) => m.Id === 'tasks')?.MetricStat?.Metric).toMatchObject({ Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount' });
    expect(metrics.find((m) => m.Id === 'visible')?.MetricStat?.Metric).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' });
  });

  test('GIVEN a CPU target WHEN created THEN a CPU policy is added as asked', () => {
    const { stack } = worker({ cpuTargetPercent: 70 });
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 70 }),
    });
  });

  test('GIVEN a worker WHEN created THEN its task role may consume the queue and decrypt, and send nothing', () => {
    const { stack } = worker();
    const t = Template.fromStack(stack);
    const policies = Object.values(t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('WorkerServiceTaskTaskRole') }] } }));
    expect(policies).toHaveLength(1);
    const actions = policies[0].Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'kms:Decrypt']));
    expect(actions).not.toContain('sqs:SendMessage');
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: [{ Name: 'QUEUE_URL', Value: { Ref: Match.stringLikeRegexp('ClicksQueue') } }], StopTimeout: 60 })],
    });
  });

  test('GIVEN a worker WHEN checked with AwsSolutions THEN there are no unacknowledged findings', () => {
    expectNoNagFindings(worker({ minTasks: 0 }).stack);
  });

  describe('rejects bad input', () => {
    test('GIVEN a visibility timeout shorter than the processing time WHEN created THEN throws', () => {
      expect(() => worker({ maxProcessingTime: Duration.minutes(5) }))
        .toThrow(/WorkQueue 'Test\/Clicks': visibilityTimeout must be at least the processing time of 'Test\/Worker' \(5 minutes\), got 2 minutes/);
    });
    test.each<[string, Partial<QueueWorkerProps>, RegExp]>([
      ['minTasks -1', { minTasks: -1 }, /QueueWorker 'Test\/Worker': minTasks must be an integer between 0 and 5000, got -1/],
      ['maxTasks 0', { minTasks: 0, maxTasks: 0 }, /maxTasks must be an integer between 1 and 5000, got 0/],
      ['backlogPerTask 0', { backlogPerTask: 0 }, /backlogPerTask must be an integer between 1 and 1000000, got 0/],
      ['processing 0 s', { maxProcessingTime: Duration.seconds(0) }, /maxProcessingTime must be a whole number of seconds between 1 second and 12 hours, got 0 seconds/],
    ])('GIVEN %s WHEN created THEN throws', (_name, props, message) => {
      expect(() => worker(props)).toThrow(message);
    });
  });
});
