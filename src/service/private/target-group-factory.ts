import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { Validator } from '../../private/validation';
import { LoadBalancerType } from '../service-load-balancer';
import {
  DEFAULT_DEREGISTRATION_DELAY, DEFAULT_HEALTH_CHECK_INTERVAL, DEFAULT_HEALTH_CHECK_PATH, DEFAULT_HEALTH_CHECK_TIMEOUT,
  LoadBalancingAlgorithm, StickinessType, TargetGroupTuning,
} from '../target-group';

/** Internal: validation and creation of tuned target groups. */

export function validateTargetGroupTuning(v: Validator, lbType: LoadBalancerType, t: TargetGroupTuning): void {
  const isAlb = lbType === LoadBalancerType.APPLICATION;
  const algorithm = t.algorithm ?? LoadBalancingAlgorithm.ROUND_ROBIN;
  const hc = t.healthCheck ?? {};
  v.enumValue('targetGroup.algorithm', t.algorithm, LoadBalancingAlgorithm, 'LoadBalancingAlgorithm');
  v.enumValue('targetGroup.stickiness.type', t.stickiness?.type, StickinessType, 'StickinessType');

  if (!isAlb && t.algorithm !== undefined && t.algorithm !== LoadBalancingAlgorithm.ROUND_ROBIN) {
    v.fail(`targetGroup.algorithm ${t.algorithm} needs an Application Load Balancer; a Network Load Balancer hashes flows`);
  }
  if (t.anomalyMitigation && algorithm !== LoadBalancingAlgorithm.WEIGHTED_RANDOM) {
    v.fail(`targetGroup.anomalyMitigation requires algorithm weighted_random, got ${algorithm}`);
  }
  if (t.slowStart) {
    if (!isAlb) v.fail(`targetGroup.slowStart is not supported by Network Load Balancers, got ${t.slowStart.toHumanString()}`);
    v.seconds('targetGroup.slowStart', t.slowStart, 30, 900);
    if (algorithm !== LoadBalancingAlgorithm.ROUND_ROBIN) {
      v.fail(`targetGroup.slowStart cannot be combined with algorithm ${algorithm}; use round_robin or remove slowStart`);
    }
  }
  v.seconds('targetGroup.deregistrationDelay', t.deregistrationDelay, 0, 3600);

  v.seconds('targetGroup.healthCheck.interval', hc.interval, 5, 300);
  v.seconds('targetGroup.healthCheck.timeout', hc.timeout, 2, 120);
  const interval = (hc.interval ?? DEFAULT_HEALTH_CHECK_INTERVAL);
  const timeout = (hc.timeout ?? DEFAULT_HEALTH_CHECK_TIMEOUT);
  if (!interval.isUnresolved() && !timeout.isUnresolved() && timeout.toSeconds() >= interval.toSeconds()) {
    v.fail(`targetGroup.healthCheck.timeout must be shorter than interval (${interval.toSeconds()} seconds), got ${timeout.toSeconds()} seconds`);
  }
  v.range('targetGroup.healthCheck.healthyThreshold', hc.healthyThreshold, 2, 10);
  v.range('targetGroup.healthCheck.unhealthyThreshold', hc.unhealthyThreshold, 2, 10);
  v.pattern('targetGroup.healthCheck.path', hc.path, /^\/[\x21-\x7e]{0,1023}$/, "a path starting with '/' of at most 1024 printable characters");
  if (hc.healthyHttpCodes !== undefined) {
    v.pattern('targetGroup.healthCheck.healthyHttpCodes', hc.healthyHttpCodes, /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, "codes like '200', '200-299' or '200,204'");
    for (const code of hc.healthyHttpCodes.split(/[,-]/).map(Number)) {
      if (code < 200 || code > 499) v.fail(`targetGroup.healthCheck.healthyHttpCodes must be within 200–499, got '${hc.healthyHttpCodes}'`);
    }
  }

  const s = t.stickiness;
  if (s) {
    if (s.type === StickinessType.SOURCE_IP && isAlb) {
      v.fail('targetGroup.stickiness.type source_ip needs a Network Load Balancer; an ALB uses lb_cookie or app_cookie');
    }
    if (s.type !== StickinessType.SOURCE_IP && !isAlb) {
      v.fail(`targetGroup.stickiness.type ${s.type} needs an Application Load Balancer; an NLB supports source_ip`);
    }
    if (s.type === StickinessType.SOURCE_IP && (s.duration || s.cookieName)) {
      v.fail('targetGroup.stickiness duration and cookieName apply to cookie stickiness, got them with source_ip');
    }
    v.seconds('targetGroup.stickiness.duration', s.duration, 1, 7 * 86400);
    if (s.type === StickinessType.APP_COOKIE) {
      if (!s.cookieName) v.fail('targetGroup.stickiness.cookieName is required with type app_cookie');
      v.pattern('targetGroup.stickiness.cookieName', s.cookieName, /^(?!AWSALB|AWSALBAPP|AWSALBTG)[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,255}$/,
        'a cookie name that does not start with AWSALB, AWSALBAPP or AWSALBTG');
    }
    if (s.type === StickinessType.LB_COOKIE && s.cookieName) {
      v.fail('targetGroup.stickiness.cookieName applies to app_cookie only, got it with lb_cookie');
    }
  }
  if (isAlb && t.preserveClientIp !== undefined) {
    v.fail(`targetGroup.preserveClientIp applies to Network Load Balancers only (an ALB passes X-Forwarded-For), got ${t.preserveClientIp} with an ALB`);
  }
}

export interface CreateTargetGroupOptions {
  readonly vpc: ec2.IVpc;
  readonly port: number;
  readonly lbType: LoadBalancerType;
  readonly tuning: TargetGroupTuning;
}

/** Creates the tuned target group (IP targets, for Fargate). Validate first. */
export function createTargetGroup(
  scope: Construct, id: string, o: CreateTargetGroupOptions,
): elbv2.ApplicationTargetGroup | elbv2.NetworkTargetGroup {
  const t = o.tuning;
  const hc = t.healthCheck ?? {};
  const healthCheck: elbv2.HealthCheck = {
    enabled: true,
    path: hc.path ?? DEFAULT_HEALTH_CHECK_PATH,
    interval: hc.interval ?? DEFAULT_HEALTH_CHECK_INTERVAL,
    timeout: hc.timeout ?? DEFAULT_HEALTH_CHECK_TIMEOUT,
    healthyThresholdCount: hc.healthyThreshold ?? 2,
    unhealthyThresholdCount: hc.unhealthyThreshold ?? 3,
    healthyHttpCodes: hc.healthyHttpCodes ?? '200-399',
  };
  const deregistrationDelay = t.deregistrationDelay ?? DEFAULT_DEREGISTRATION_DELAY;

  if (o.lbType === LoadBalancerType.APPLICATION) {
    const algorithm = t.algorithm ?? LoadBalancingAlgorithm.ROUND_ROBIN;
    const s = t.stickiness;
    const tg = new elbv2.ApplicationTargetGroup(scope, id, {
      vpc: o.vpc,
      port: o.port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      healthCheck: { ...healthCheck, protocol: elbv2.Protocol.HTTP },
      deregistrationDelay,
      slowStart: t.slowStart,
      loadBalancingAlgorithmType: algorithm as unknown as elbv2.TargetGroupLoadBalancingAlgorithmType,
      enableAnomalyMitigation: algorithm === LoadBalancingAlgorithm.WEIGHTED_RANDOM ? (t.anomalyMitigation ?? true) : undefined,
      stickinessCookieDuration: s ? (s.duration ?? Duration.days(1)) : undefined,
      stickinessCookieName: s?.type === StickinessType.APP_COOKIE ? s.cookieName : undefined,
    });
    return tg;
  }

  const tg = new elbv2.NetworkTargetGroup(scope, id, {
    vpc: o.vpc,
    port: o.port,
    protocol: elbv2.Protocol.TCP,
    targetType: elbv2.TargetType.IP,
    healthCheck: { ...healthCheck, protocol: elbv2.Protocol.HTTP, healthyHttpCodes: hc.healthyHttpCodes ?? '200-399' },
    deregistrationDelay,
    preserveClientIp: t.preserveClientIp ?? true,
  });
  if (t.stickiness?.type === StickinessType.SOURCE_IP) {
    tg.setAttribute('stickiness.enabled', 'true');
    tg.setAttribute('stickiness.type', 'source_ip');
  }
  return tg;
}
