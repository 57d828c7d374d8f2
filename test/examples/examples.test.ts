import { Match, Template } from 'aws-cdk-lib/assertions';
import { WebServiceStack } from '../../examples/web-service/web-service-stack';
import { expectNoNagFindings, testApp, TEST_ACCOUNT } from '../util';

describe('example: web-service', () => {
  const app = testApp({ cfnValidation: true });
  const stack = new WebServiceStack(app, 'WebService', {
    env: { account: TEST_ACCOUNT, region: 'eu-west-1' },
    hostedZoneId: 'Z0123456789EXAMPLE',
    zoneName: 'example.com',
  });
  const template = Template.fromStack(stack);

  test('GIVEN the example WHEN synthesized THEN it matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('GIVEN the example WHEN checked with AwsSolutions THEN there are no unacknowledged findings', () => {
    expectNoNagFindings(stack);
  });

  test('GIVEN the example WHEN synthesized THEN routes /api/* and /ws/* to three services in one cluster', () => {
    template.resourceCountIs('AWS::ECS::Service', 4); // web, api, ws + the click worker
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 2);
    template.resourceCountIs('AWS::ECS::Cluster', 1);
  });

  test('GIVEN the example WHEN synthesized THEN keeps state out of the tasks in a retained database and cache', () => {
    template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', Properties: Match.objectLike({ DeletionProtection: true }) });
    template.hasResource('AWS::ElastiCache::ReplicationGroup', { DeletionPolicy: 'Snapshot' });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'rds:cluster:ReadReplicaCount', MaxCapacity: 4 });
  });

  test('GIVEN the example WHEN synthesized THEN drains clicks with a backlog-scaled worker and fans orders out to two queues', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        CustomizedMetricSpecification: { Metrics: Match.arrayWith([Match.objectLike({ Expression: 'visible / tasks' })]) },
      }),
    });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.resourceCountIs('AWS::SQS::Queue', 6);
  });

  test('GIVEN the example WHEN synthesized THEN stays within the template budgets (400 resources, 800 KB)', () => {
    const json = template.toJSON();
    expect(Object.keys(json.Resources).length).toBeLessThan(400);
    expect(JSON.stringify(json).length).toBeLessThan(800 * 1024);
  });
});
