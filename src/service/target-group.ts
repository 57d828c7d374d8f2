import { Duration } from 'aws-cdk-lib';

/** Default health-check path. */
export const DEFAULT_HEALTH_CHECK_PATH = '/health';
/** Default health-check interval. */
export const DEFAULT_HEALTH_CHECK_INTERVAL = Duration.seconds(15);
/** Default health-check timeout. */
export const DEFAULT_HEALTH_CHECK_TIMEOUT = Duration.seconds(5);
/** Default deregistration delay: long enough for typical requests to finish, short enough for quick deploys. */
export const DEFAULT_DEREGISTRATION_DELAY = Duration.seconds(30);

/**
 * How an ALB target group picks a target for each request.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#modify-routing-algorithm
 */
export enum LoadBalancingAlgorithm {
  /** Each target in turn. */
  ROUND_ROBIN = 'round_robin',
  /** The target with the fewest in-flight requests: the ALB's "least connections". */
  LEAST_OUTSTANDING_REQUESTS = 'least_outstanding_requests',
  /** A random target; allows automatic target weights (anomaly mitigation). */
  WEIGHTED_RANDOM = 'weighted_random',
}

/**
 * Kinds of sticky session.
 */
export enum StickinessType {
  /** ALB-generated cookie (`AWSALB`), with a duration. */
  LB_COOKIE = 'lb_cookie',
  /** The application's own cookie, named by `cookieName`. */
  APP_COOKIE = 'app_cookie',
  /** NLB: the same client IP goes to the same target (the "IP hash" of load-balancing tables). */
  SOURCE_IP = 'source_ip',
}

/**
 * Sticky sessions. Use them only where a connection must return to one task (WebSockets
 * fall-back transports, legacy sessions): they undo even load spreading.
 */
export interface Stickiness {
  /** The kind of stickiness: cookies on an ALB, source IP on an NLB. */
  readonly type: StickinessType;

  /**
   * Cookie lifetime, 1 second to 7 days (cookie types only).
   *
   * @default Duration.days(1)
   */
  readonly duration?: Duration;

  /**
   * The application cookie's name (APP_COOKIE only; must not start with AWSALB, AWSALBAPP or AWSALBTG).
   *
   * @default - none; required with APP_COOKIE
   */
  readonly cookieName?: string;
}

/**
 * Target health checks.
 */
export interface HealthCheckOptions {
  /**
   * HTTP path the load balancer requests, starting with '/'.
   *
   * @default '/health'
   */
  readonly path?: string;

  /**
   * Time between checks, 5–300 seconds.
   *
   * @default Duration.seconds(15)
   */
  readonly interval?: Duration;

  /**
   * Time without a response that counts as a failure, 2–120 seconds and shorter than `interval`.
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;

  /**
   * Consecutive successes before a target counts as healthy, 2–10.
   *
   * @default 2
   */
  readonly healthyThreshold?: number;

  /**
   * Consecutive failures before a target counts as unhealthy, 2–10.
   *
   * @default 3
   */
  readonly unhealthyThreshold?: number;

  /**
   * HTTP codes that mean healthy: e.g. '200', '200-299' or '200,204' (200–499).
   *
   * @default '200-399'
   */
  readonly healthyHttpCodes?: string;
}

/**
 * Target-group tuning: how the load balancer spreads load over a service's tasks.
 */
export interface TargetGroupTuning {
  /**
   * The routing algorithm (ALB only; an NLB hashes flows).
   *
   * @default LoadBalancingAlgorithm.ROUND_ROBIN
   */
  readonly algorithm?: LoadBalancingAlgorithm;

  /**
   * Automatic target weights that steer traffic away from anomalous targets (WEIGHTED_RANDOM only).
   *
   * @default - true with WEIGHTED_RANDOM, otherwise not applicable
   */
  readonly anomalyMitigation?: boolean;

  /**
   * Ramp traffic to a new task over this period, 30–900 seconds, so cold tasks are not
   * hammered. AWS rejects it with LEAST_OUTSTANDING_REQUESTS and WEIGHTED_RANDOM, and on NLBs.
   *
   * @default - no slow start
   */
  readonly slowStart?: Duration;

  /**
   * Health checks.
   *
   * @default - '/health' every 15 s, 5 s timeout, 2 healthy / 3 unhealthy, '200-399'
   */
  readonly healthCheck?: HealthCheckOptions;

  /**
   * How long a deregistering task keeps its in-flight requests, 0–3600 seconds.
   * The service's stop timeout starts after it.
   *
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * Sticky sessions, only when asked.
   *
   * @default - none
   */
  readonly stickiness?: Stickiness;

  /**
   * NLB: pass the client's IP address to the task.
   *
   * @default true
   */
  readonly preserveClientIp?: boolean;
}
