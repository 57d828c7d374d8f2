import { Match, Template } from 'aws-cdk-lib/assertions';
import { EdgeStack } from '../../examples/web-service/edge-stack';
import { WebServiceStack } from '../../examples/web-service/web-service-stack';
import { expectNoNagFindings, testApp, TEST_ACCOUNT } from '../util';

describe('example: web-service', () => {
  const app = testApp();
  const stack = new WebServiceStack(app, 'WebService', {
    env: { account: TEST_ACCOUNT, region: 'eu-west-1' },
    hostedZoneId: 'Z0123456789EXAMPLE',
    zoneName: 'example.com',
    originVerifySecretName: 'WebService/OriginVerify',
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
    // /api/*, /ws/*, the default route (all three need CloudFront's header) and /health (open).
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 4);
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
        CustomizedMetricSpecification: { Metrics: Match.arrayWith([Match.objectLike({ Expression: '(visible + inflight) / tasks' })]) },
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

describe('example: web-service edge stack', () => {
  const app = testApp();
  const stack = new EdgeStack(app, 'Edge', {
    env: { account: TEST_ACCOUNT, region: 'us-east-1' },
    hostedZoneId: 'Z0123456789EXAMPLE',
    zoneName: 'example.com',
    originVerifySecretName: 'WebService/OriginVerify',
    regions: ['eu-west-1'],
  });
  const template = Template.fromStack(stack);

  test('GIVEN the edge stack WHEN synthesized THEN it matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('GIVEN the edge stack WHEN checked with AwsSolutions THEN there are no unacknowledged findings', () => {
    expectNoNagFindings(stack);
  });

  test('GIVEN the whole app WHEN synthesized THEN no stack holds a cross-region export or reference', () => {
    const types = Object.values(template.toJSON().Resources).map((r) => (r as { Type: string }).Type);
    expect(types.filter((t) => t.startsWith('Custom::CrossRegion'))).toEqual([]);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/Fn::ImportValue/);
  });

  test('GIVEN the edge stack WHEN synthesized THEN the distribution has its WAF, edge functions and invalidation', () => {
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::Lambda::Version', 3);
    template.resourceCountIs('Custom::CloudFrontInvalidation', 1);
    template.resourceCountIs('AWS::CloudFront::Function', 1);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'www.example.com.', Type: 'AAAA' });
  });

  test('GIVEN the edge stack WHEN synthesized THEN stays within the template budgets (400 resources, 800 KB)', () => {
    const json = template.toJSON();
    expect(Object.keys(json.Resources).length).toBeLessThan(400);
    expect(JSON.stringify(json).length).toBeLessThan(800 * 1024);
  });
});
