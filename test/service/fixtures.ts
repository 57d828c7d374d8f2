import { Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Network, ServiceLoadBalancer, ServiceLoadBalancerProps } from '../../src';
import { testStack } from '../util';

/** A public image: no Docker needed at synth. */
export const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable');

export interface Fixture {
  readonly stack: Stack;
  readonly network: Network;
  readonly zone: route53.IHostedZone;
  readonly certificate: acm.ICertificate;
}

/** A stack with a network, an imported hosted zone and an imported certificate. */
export function fixture(): Fixture {
  const stack = testStack();
  const network = new Network(stack, 'Network');
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
  return { stack, network, zone, certificate };
}

/** An ALB (or other type via overrides) in the fixture. */
export function loadBalancer(f: Fixture, overrides: Partial<ServiceLoadBalancerProps> = {}): ServiceLoadBalancer {
  return new ServiceLoadBalancer(f.stack, 'Lb', { vpc: f.network.vpc, certificate: f.certificate, ...overrides });
}
