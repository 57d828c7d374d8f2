import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  LoadBalancerType, LoadBalancingAlgorithm, StatelessService, StatelessServiceProps, StickinessType,
} from '../../src';
import { expectNoNagFindings } from '../util';
import { Fixture, fixture, IMAGE, loadBalancer } from './fixtures';

function tgAttrs(t: Template): Record<string, string> {
  const tg = Object.values(t.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))[0];
  return Object.fromEntries((tg.Properties.TargetGroupAttributes ?? []).map((a: { Key: string; Value: string }) => [a.Key, a.Value]));
}

function service(f: Fixture, props: Partial<StatelessServiceProps> = {}, lbType = LoadBalancerType.APPLICATION): StatelessService {
  const lb = loadBalancer(f, { type: lbType });
  return new StatelessService(f.stack, 'Api', { vpc: f.network.vpc, image: IMAGE, loadBalancer: lb, ...props });
}

describe('StatelessService', () => {
  test('GIVEN defaults WHEN created THEN runs 2 tasks in the private app subnets without public IPs, rolling back failed deployments', () => {
    const f = fixture();
    service(f);
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 2,
      LaunchType: 'FARGATE',
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      },
      HealthCheckGracePeriodSeconds: 60,
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED', Subnets: Match.arrayWith([{ Ref: Match.stringLikeRegexp('NetworkVpcAppSubnet1') }]) }) },
    });
    t.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }] });
  });

  test('GIVEN defaults WHEN created THEN the container is read-only with a writable /tmp, logs to a retained group and stops 30 s after draining', () => {
    const f = fixture();
    service(f);
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '512',
      Memory: '1024',
      ContainerDefinitions: [Match.objectLike({
        ReadonlyRootFilesystem: true,
        StopTimeout: 30,
        PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
        MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'scratch0', ReadOnly: false }],
        LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
      })],
      Volumes: [{ Name: 'scratch0' }],
    });
    t.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 90 } });
    expect(tgAttrs(t)).toMatchObject({ 'deregistration_delay.timeout_seconds': '30', 'stickiness.enabled': 'false' });
  });

  test('GIVEN defaults WHEN created THEN the target group health-checks /health on the container port', () => {
    const f = fixture();
    service(f);
    Template.fromStack(f.stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      Port: 8080,
      Protocol: 'HTTP',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 15,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200-399' },
    });
  });

  test('GIVEN least outstanding requests WHEN created THEN the target group uses it', () => {
    const f = fixture();
    service(f, { targetGroup: { algorithm: LoadBalancingAlgorithm.LEAST_OUTSTANDING_REQUESTS } });
    expect(tgAttrs(Template.fromStack(f.stack))).toMatchObject({ 'load_balancing.algorithm.type': 'least_outstanding_requests' });
  });

  test('GIVEN weighted random WHEN created THEN anomaly mitigation is on', () => {
    const f = fixture();
    service(f, { targetGroup: { algorithm: LoadBalancingAlgorithm.WEIGHTED_RANDOM } });
    expect(tgAttrs(Template.fromStack(f.stack))).toMatchObject({
      'load_balancing.algorithm.type': 'weighted_random',
      'load_balancing.algorithm.anomaly_mitigation': 'on',
    });
  });

  test('GIVEN slow start and app-cookie stickiness WHEN created THEN both are set on the target group', () => {
    const f = fixture();
    service(f, {
      targetGroup: {
        slowStart: Duration.seconds(90),
        stickiness: { type: StickinessType.APP_COOKIE, cookieName: 'SESSION', duration: Duration.hours(2) },
        deregistrationDelay: Duration.seconds(120),
      },
    });
    expect(tgAttrs(Template.fromStack(f.stack))).toMatchObject({
      'slow_start.duration_seconds': '90',
      'stickiness.enabled': 'true',
      'stickiness.type': 'app_cookie',
      'stickiness.app_cookie.cookie_name': 'SESSION',
      'stickiness.app_cookie.duration_seconds': '7200',
      'deregistration_delay.timeout_seconds': '120',
    });
  });

  test('GIVEN a path route WHEN created THEN a listener rule forwards /api/* to the target group', () => {
    const f = fixture();
    service(f, { route: { pathPatterns: ['/api/*'], hostHeaders: ['api.example.com'], priority: 10 } });
    Template.fromStack(f.stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 10,
      Conditions: Match.arrayWith([
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } },
        { Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com'] } },
      ]),
      Actions: [Match.objectLike({ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('ApiTargetGroup') } })],
    });
  });

  test('GIVEN no route WHEN created THEN the service is the default action of the HTTPS listener', () => {
    const f = fixture();
    service(f);
    Template.fromStack(f.stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('ApiTargetGroup') } }],
    });
  });

  test('GIVEN a service behind the ALB WHEN created THEN tasks admit only the ALB security group on the container port', () => {
    const f = fixture();
    service(f);
    Template.fromStack(f.stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 8080,
      ToPort: 8080,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('LbSecurityGroup'), 'GroupId'] },
    });
  });

  test('GIVEN CPU, memory, request and scheduled scaling WHEN created THEN each is a scaling policy or action', () => {
    const f = fixture();
    service(f, {
      scaling: {
        minTasks: 3,
        maxTasks: 30,
        cpuTargetPercent: 50,
        memoryTargetPercent: 70,
        requestsPerTarget: 500,
        scaleInCooldown: Duration.minutes(10),
        schedules: { MorningPeak: { schedule: appscaling.Schedule.cron({ hour: '7', minute: '30' }), minTasks: 10 } },
      },
    });
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 3,
      MaxCapacity: 30,
      ScheduledActions: [Match.objectLike({ ScheduledActionName: 'MorningPeak', Schedule: 'cron(30 7 * * ? *)', ScalableTargetAction: { MinCapacity: 10 } })],
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 50,
        ScaleInCooldown: 600,
        ScaleOutCooldown: 60,
      }),
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' },
        TargetValue: 70,
      }),
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
        TargetValue: 500,
      }),
    });
    t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
  });

  test('GIVEN an alarm topic WHEN created THEN 5xx rate, p99 latency and unhealthy-task alarms notify it', () => {
    const f = fixture();
    const topic = sns.Topic.fromTopicArn(f.stack, 'Topic', 'arn:aws:sns:eu-west-1:111111111111:alarms');
    const svc = service(f, { alarms: { topic, http5xxRatePercent: 2, p99Latency: Duration.millis(800) } });
    const t = Template.fromStack(f.stack);
    expect(svc.alarms).toHaveLength(3);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 2,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: '100 * FILL(errors, 0) / IF(requests > 0, requests, 1)' })]),
      AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:alarms'],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'TargetResponseTime', ExtendedStatistic: 'p99', Threshold: 0.8 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'UnHealthyHostCount', Threshold: 1, OKActions: ['arn:aws:sns:eu-west-1:111111111111:alarms'] });
  });

  test('GIVEN alarms disabled WHEN created THEN no alarms exist', () => {
    const f = fixture();
    service(f, { alarms: { enabled: false } });
    Template.fromStack(f.stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('GIVEN a secret WHEN created THEN it is injected from Secrets Manager, never in the template', () => {
    const f = fixture();
    const secret = new secretsmanager.Secret(f.stack, 'DbSecret');
    service(f, { secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(secret, 'password') }, environment: { LOG_LEVEL: 'info' } });
    Template.fromStack(f.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Environment: [{ Name: 'LOG_LEVEL', Value: 'info' }],
        Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: { 'Fn::Join': Match.anyValue() } }],
      })],
    });
  });

  test('GIVEN an NLB with source-IP stickiness WHEN created THEN the TCP target group preserves client IPs and is sticky', () => {
    const f = fixture();
    const svc = service(f, { targetGroup: { stickiness: { type: StickinessType.SOURCE_IP } } }, LoadBalancerType.NETWORK);
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Protocol: 'TCP', HealthCheckProtocol: 'HTTP', HealthCheckPath: '/health' });
    expect(tgAttrs(t)).toMatchObject({ 'stickiness.enabled': 'true', 'stickiness.type': 'source_ip', 'preserve_client_ip.enabled': 'true' });
    expect(svc.alarms).toHaveLength(1);
    expect(() => svc.metricHttp5xxCount()).toThrow(/metricHttp5xxCount\(\) needs an Application Load Balancer, got network/);
  });

  test('GIVEN a worker without a load balancer WHEN metrics are asked THEN it explains they need one', () => {
    const f = fixture();
    const worker = new StatelessService(f.stack, 'Worker', { vpc: f.network.vpc, image: IMAGE });
    expect(worker.targetGroup).toBeUndefined();
    expect(() => worker.metricUnhealthyHostCount()).toThrow(/metricUnhealthyHostCount\(\) needs a loadBalancer, got none/);
    expect(worker.metricCpuUtilization().metricName).toBe('CPUUtilization');
  });

  test('GIVEN ALB and NLB services WHEN checked with AwsSolutions THEN there are no unacknowledged findings', () => {
    const f = fixture();
    service(f, { environment: { LOG_LEVEL: 'debug' } });
    expectNoNagFindings(f.stack);
    const g = fixture();
    service(g, {}, LoadBalancerType.NETWORK);
    expectNoNagFindings(g.stack);
  });

  describe('rejects bad input', () => {
    const cases: Array<[string, Partial<StatelessServiceProps>, RegExp, LoadBalancerType?]> = [
      ['cpu 300', { cpu: 300 }, /StatelessService 'Test\/Api': cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384, got 300/],
      ['memory not in the table', { cpu: 256, memoryLimitMiB: 4096 }, /memoryLimitMiB with cpu 256 must be one of 512, 1024, 2048, got 4096/],
      ['memory off the step', { cpu: 4096, memoryLimitMiB: 8000 }, /memoryLimitMiB with cpu 4096 must be one of 8192–30720 in steps of 1024, got 8000/],
      ['containerPort 0', { containerPort: 0 }, /containerPort must be an integer between 1 and 65535, got 0/],
      ['a secret-looking environment variable', { environment: { DB_PASSWORD: 'x' } }, /environment.DB_PASSWORD looks like a secret; pass it in secrets/],
      ['stopTimeout 121 s', { stopTimeout: Duration.seconds(121) }, /stopTimeout must be a whole number of seconds between 2 seconds and 2 minutes, got 121 seconds/],
      ['minHealthyPercent 101', { deployment: { minHealthyPercent: 101 } }, /deployment.minHealthyPercent must be an integer between 0 and 100, got 101/],
      ['maxHealthyPercent 99', { deployment: { maxHealthyPercent: 99 } }, /deployment.maxHealthyPercent must be an integer between 100 and 200, got 99/],
      ['minTasks 0', { scaling: { minTasks: 0 } }, /scaling.minTasks must be an integer between 1 and 5000, got 0/],
      ['maxTasks below minTasks', { scaling: { minTasks: 4, maxTasks: 3 } }, /scaling.maxTasks must be an integer between 4 and 5000, got 3/],
      ['cpuTargetPercent 95', { scaling: { cpuTargetPercent: 95 } }, /scaling.cpuTargetPercent must be an integer between 10 and 90, got 95/],
      ['memoryTargetPercent 5', { scaling: { memoryTargetPercent: 5 } }, /scaling.memoryTargetPercent must be an integer between 10 and 90, got 5/],
      ['a CPU target with cpuScaling off', { scaling: { cpuScaling: false, cpuTargetPercent: 50 } }, /scaling.cpuTargetPercent needs cpuScaling, got cpuTargetPercent 50 with cpuScaling false/],
      ['requestsPerTarget 0', { scaling: { requestsPerTarget: 0 } }, /scaling.requestsPerTarget must be an integer between 1 and 1000000, got 0/],
      ['scaleInCooldown 2 h', { scaling: { scaleInCooldown: Duration.hours(2) } }, /scaling.scaleInCooldown must be a whole number of seconds between 0 seconds and 1 hour, got 2 hours/],
      ['scaleOutCooldown 2 h', { scaling: { scaleOutCooldown: Duration.hours(2) } }, /scaling.scaleOutCooldown must be a whole number of seconds between 0 seconds and 1 hour, got 2 hours/],
      ['a schedule with maxTasks 6000', { scaling: { schedules: { Peak: { schedule: appscaling.Schedule.rate(Duration.hours(1)), maxTasks: 6000 } } } }, /scaling.schedules.Peak.maxTasks must be an integer between 0 and 5000, got 6000/],
      ['a schedule with maxTasks below minTasks', { scaling: { schedules: { Peak: { schedule: appscaling.Schedule.rate(Duration.hours(1)), minTasks: 5, maxTasks: 3 } } } }, /scaling.schedules.Peak.maxTasks must be an integer between 5 and 5000, got 3/],
      ['a schedule with minTasks 5001', { scaling: { schedules: { Peak: { schedule: appscaling.Schedule.rate(Duration.hours(1)), minTasks: 5001 } } } }, /scaling.schedules.Peak.minTasks must be an integer between 0 and 5000, got 5001/],
      ['an empty schedule', { scaling: { schedules: { Night: { schedule: appscaling.Schedule.rate(Duration.hours(1)) } } } }, /scaling.schedules.Night must set minTasks or maxTasks, got neither/],
      ['healthCheckGracePeriod too long', { healthCheckGracePeriod: Duration.seconds(2_147_483_648) }, /healthCheckGracePeriod must be a whole number of seconds between 0 seconds and 2147483647 seconds, got 2147483648 seconds/],
      ['http5xxRatePercent 101', { alarms: { http5xxRatePercent: 101 } }, /alarms.http5xxRatePercent must be between 0 and 100, got 101/],
      ['p99Latency 0 ms', { alarms: { p99Latency: Duration.millis(0) } }, /alarms.p99Latency must be between 0.001 and 3600 seconds, got 0 seconds/],
      ['a relative writable path', { writablePaths: ['tmp'] }, /writablePaths must be an absolute path, got 'tmp'/],
      // target-group tuning
      ['an algorithm that is not a LoadBalancingAlgorithm (JavaScript caller)', { targetGroup: { algorithm: 'least_connections' as any } }, /targetGroup.algorithm must be one of LoadBalancingAlgorithm.ROUND_ROBIN .*got "least_connections"/],
      ['a stickiness type that is not a StickinessType (JavaScript caller)', { targetGroup: { stickiness: { type: 'cookie' as any } } }, /targetGroup.stickiness.type must be one of StickinessType.LB_COOKIE .*got "cookie"/],
      ['slowStart 10 s', { targetGroup: { slowStart: Duration.seconds(10) } }, /targetGroup.slowStart must be a whole number of seconds between 30 seconds and 15 minutes, got 10 seconds/],
      ['slowStart with least outstanding requests', { targetGroup: { slowStart: Duration.seconds(60), algorithm: LoadBalancingAlgorithm.LEAST_OUTSTANDING_REQUESTS } }, /targetGroup.slowStart cannot be combined with algorithm least_outstanding_requests/],
      ['slowStart with weighted random', { targetGroup: { slowStart: Duration.seconds(60), algorithm: LoadBalancingAlgorithm.WEIGHTED_RANDOM } }, /targetGroup.slowStart cannot be combined with algorithm weighted_random/],
      ['anomalyMitigation with round robin', { targetGroup: { anomalyMitigation: true } }, /targetGroup.anomalyMitigation requires algorithm weighted_random, got round_robin/],
      ['interval 4 s', { targetGroup: { healthCheck: { interval: Duration.seconds(4) } } }, /targetGroup.healthCheck.interval must be a whole number of seconds between 5 seconds and 5 minutes, got 4 seconds/],
      ['timeout 1 s', { targetGroup: { healthCheck: { timeout: Duration.seconds(1) } } }, /targetGroup.healthCheck.timeout must be a whole number of seconds between 2 seconds and 2 minutes, got 1 second/],
      ['timeout not below interval', { targetGroup: { healthCheck: { interval: Duration.seconds(10), timeout: Duration.seconds(10) } } }, /targetGroup.healthCheck.timeout must be shorter than interval \(10 seconds\), got 10 seconds/],
      ['healthyThreshold 1', { targetGroup: { healthCheck: { healthyThreshold: 1 } } }, /targetGroup.healthCheck.healthyThreshold must be an integer between 2 and 10, got 1/],
      ['unhealthyThreshold 11', { targetGroup: { healthCheck: { unhealthyThreshold: 11 } } }, /targetGroup.healthCheck.unhealthyThreshold must be an integer between 2 and 10, got 11/],
      ['a relative health path', { targetGroup: { healthCheck: { path: 'health' } } }, /targetGroup.healthCheck.path must be a path starting with '\/'.*got 'health'/],
      ['a malformed matcher', { targetGroup: { healthCheck: { healthyHttpCodes: '2xx' } } }, /targetGroup.healthCheck.healthyHttpCodes must be codes like '200', '200-299' or '200,204', got '2xx'/],
      ['a matcher out of range', { targetGroup: { healthCheck: { healthyHttpCodes: '200-599' } } }, /targetGroup.healthCheck.healthyHttpCodes must be within 200–499, got '200-599'/],
      ['deregistrationDelay 3601 s', { targetGroup: { deregistrationDelay: Duration.seconds(3601) } }, /targetGroup.deregistrationDelay must be a whole number of seconds between 0 seconds and 1 hour, got 3601 seconds/],
      ['lb_cookie for 8 days', { targetGroup: { stickiness: { type: StickinessType.LB_COOKIE, duration: Duration.days(8) } } }, /targetGroup.stickiness.duration must be a whole number of seconds between 1 second and 7 days, got 8 days/],
      ['app_cookie without a name', { targetGroup: { stickiness: { type: StickinessType.APP_COOKIE } } }, /targetGroup.stickiness.cookieName is required with type app_cookie/],
      ['app_cookie with a reserved name', { targetGroup: { stickiness: { type: StickinessType.APP_COOKIE, cookieName: 'AWSALBX' } } }, /targetGroup.stickiness.cookieName must be a cookie name that does not start with AWSALB.*got 'AWSALBX'/],
      ['lb_cookie with a cookie name', { targetGroup: { stickiness: { type: StickinessType.LB_COOKIE, cookieName: 'X' } } }, /targetGroup.stickiness.cookieName applies to app_cookie only/],
      ['source_ip on an ALB', { targetGroup: { stickiness: { type: StickinessType.SOURCE_IP } } }, /targetGroup.stickiness.type source_ip needs a Network Load Balancer/],
      ['preserveClientIp on an ALB', { targetGroup: { preserveClientIp: false } }, /targetGroup.preserveClientIp applies to Network Load Balancers only/],
      // NLB
      ['least outstanding requests on an NLB', { targetGroup: { algorithm: LoadBalancingAlgorithm.LEAST_OUTSTANDING_REQUESTS } }, /targetGroup.algorithm least_outstanding_requests needs an Application Load Balancer/, LoadBalancerType.NETWORK],
      ['slowStart on an NLB', { targetGroup: { slowStart: Duration.seconds(60) } }, /targetGroup.slowStart is not supported by Network Load Balancers/, LoadBalancerType.NETWORK],
      ['lb_cookie on an NLB', { targetGroup: { stickiness: { type: StickinessType.LB_COOKIE } } }, /targetGroup.stickiness.type lb_cookie needs an Application Load Balancer/, LoadBalancerType.NETWORK],
      ['requestsPerTarget on an NLB', { scaling: { requestsPerTarget: 100 } }, /scaling.requestsPerTarget needs an Application Load Balancer, got network/, LoadBalancerType.NETWORK],
    ];
    const rows = cases.map(([name, props, message, lbType]) => [name, props, message, lbType ?? LoadBalancerType.APPLICATION] as const);
    test.each(rows)('GIVEN %s WHEN created THEN throws', (_name, props, message, lbType) => {
      const f = fixture();
      expect(() => service(f, props, lbType)).toThrow(message);
    });

    test('GIVEN a secret-looking name WHEN added with addEnvironment THEN throws', () => {
      const f = fixture();
      const svc = service(f);
      expect(() => svc.addEnvironment('API_TOKEN', 'x')).toThrow(/StatelessService 'Test\/Api': environment.API_TOKEN looks like a secret/);
      // An ARN names the secret, it is not its value.
      expect(() => svc.addEnvironment('API_TOKEN_SECRET_ARN', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:x-AbCdEf')).not.toThrow();
    });

    test('GIVEN neither vpc nor cluster WHEN created THEN throws', () => {
      const f = fixture();
      expect(() => new StatelessService(f.stack, 'Api', { image: IMAGE })).toThrow(/vpc or cluster is required, got neither/);
    });

    test('GIVEN a route without a load balancer WHEN created THEN throws', () => {
      const f = fixture();
      expect(() => new StatelessService(f.stack, 'Api', { vpc: f.network.vpc, image: IMAGE, route: { pathPatterns: ['/a'], priority: 1 } }))
        .toThrow(/route and targetGroup need loadBalancer, got no loadBalancer/);
    });

    test('GIVEN a name in both environment and secrets WHEN created THEN throws', () => {
      const f = fixture();
      const secret = new secretsmanager.Secret(f.stack, 'S');
      expect(() => service(f, { environment: { DB_HOST: 'a' }, secrets: { DB_HOST: ecs.Secret.fromSecretsManager(secret) } }))
        .toThrow(/environment.DB_HOST is also in secrets; give it once/);
    });
  });
});
