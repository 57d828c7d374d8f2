import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Network } from '../../src';
import { expectNoNagFindings, testStack } from '../util';

describe('Network', () => {
  test('GIVEN no props WHEN created THEN spans 2 AZs with public, app and isolated data subnets and one NAT gateway', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new Network(stack, 'Network');
    // THEN
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::Subnet', 6);
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    t.hasResourceProperties('AWS::EC2::Subnet', {
      AvailabilityZone: 'eu-west-1a',
      Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-name', Value: 'Data' }, { Key: 'aws-cdk:subnet-type', Value: 'Isolated' }]),
    });
    t.hasResourceProperties('AWS::EC2::Subnet', {
      AvailabilityZone: 'eu-west-1b',
      Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-name', Value: 'App' }, { Key: 'aws-cdk:subnet-type', Value: 'Private' }]),
    });
  });

  test('GIVEN defaults WHEN created THEN logs all traffic to a retained log group and adds an S3 gateway endpoint', () => {
    const stack = testStack();
    new Network(stack, 'Network');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    t.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 90 } });
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.s3'])]) }),
    });
  });

  test('GIVEN maxAzs 3 and natGateways 3 WHEN created THEN builds 9 subnets and 3 NAT gateways', () => {
    const stack = testStack();
    new Network(stack, 'Network', { maxAzs: 3, natGateways: 3, flowLogRemovalPolicy: RemovalPolicy.DESTROY });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::Subnet', 9);
    t.resourceCountIs('AWS::EC2::NatGateway', 3);
    t.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  test('GIVEN explicit availability zones WHEN created THEN uses them', () => {
    const stack = testStack();
    new Network(stack, 'Network', { availabilityZones: ['eu-west-1b', 'eu-west-1c'] });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'eu-west-1c' });
  });

  test('GIVEN a network WHEN checked with AwsSolutions THEN there are no unacknowledged findings', () => {
    const stack = testStack();
    new Network(stack, 'Network');
    expectNoNagFindings(stack);
  });

  describe('rejects bad input', () => {
    test.each([
      [{ maxAzs: 1 }, /Network 'Test\/Network': maxAzs must be an integer between 2 and 3, got 1/],
      [{ maxAzs: 4 }, /maxAzs must be an integer between 2 and 3, got 4/],
      [{ availabilityZones: ['eu-west-1a'] }, /availabilityZones.length must be an integer between 2 and 3, got 1/],
      [{ natGateways: 0 }, /natGateways must be an integer between 1 and 2, got 0/],
      [{ maxAzs: 3, natGateways: 4 }, /natGateways must be an integer between 1 and 3, got 4/],
      [{ cidr: '10.0.0.0/8' }, /cidr must be an IPv4 CIDR block from \/16 to \/24, got '10.0.0.0\/8'/],
    ])('GIVEN %j WHEN created THEN throws', (props, message) => {
      expect(() => new Network(testStack(), 'Network', props)).toThrow(message);
    });
  });
});
