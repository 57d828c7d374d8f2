import { Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { complianceProfile } from '../compliance/profile';
import { Validator } from '../private/validation';
import { logWebAcl } from '../private/waf-logging';

/** Rate-limit evaluation windows WAF supports (seconds). */
const WINDOWS = [60, 120, 300, 600];

/**
 * A stricter rate limit for some paths (e.g. `/api/login`).
 */
export interface PathRateLimit {
  /** Path prefix, e.g. '/api/login'. */
  readonly pathPrefix: string;
  /** Requests per client IP per window, 10–2,000,000,000. */
  readonly limit: number;
}

/**
 * Properties of an `EdgeWebAcl`.
 */
export interface EdgeWebAclProps {
  /**
   * Requests per client IP per window before WAF answers 429, 10–2,000,000,000.
   *
   * @default 2000
   */
  readonly rateLimit?: number;

  /**
   * The rate window: 60, 120, 300 or 600 seconds. Also the `Retry-After` of the 429.
   *
   * @default Duration.minutes(5)
   */
  readonly rateWindow?: Duration;

  /**
   * Stricter per-path limits, up to 10.
   *
   * @default - none
   */
  readonly pathRateLimits?: PathRateLimit[];

  /**
   * Use the AWS managed rule groups (common, known bad inputs, IP reputation). The common rule
   * set blocks, among others, request bodies over 8 KB (`SizeRestrictions_BODY`), requests without
   * a User-Agent, and bodies that embed URLs with IPv4 hosts (`GenericRFI_BODY`: a URL shortener
   * cannot shorten `http://203.0.113.5/…` through it). Turn it off and add your own rules where an
   * API needs those.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
   * @default true
   */
  readonly managedRules?: boolean;

  /**
   * Log the web ACL's requests to CloudWatch Logs: a log group `aws-waf-logs-<unique name>` in
   * us-east-1, kept one year, encrypted with the stack's logs key when
   * `ComplianceDefaults.encryptLogGroups` is on, with the authorization and cookie headers redacted.
   *
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
   * @default false, or true under a regulatory compliance pack (`ComplianceDefaults.wafLogging`)
   */
  readonly logging?: boolean;
}

/**
 * A CLOUDFRONT-scope WAF web ACL (create it in us-east-1): AWS managed rule groups (common
 * rule set, known bad inputs, Amazon IP reputation) and rate-based rules per client IP that
 * answer **429 with a `Retry-After` header**, with optional stricter per-path limits. CloudWatch
 * metrics for every rule.
 */
export class EdgeWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The web ACL ARN, for `CdnDistribution`'s `webAclArn`. */
  public readonly webAclArn: string;

  /** The web ACL's name (the `WebACL` dimension of its metrics). */
  public readonly webAclName: string;

  /** The log group of the web ACL's requests, when `logging` is on. */
  public readonly logGroup?: logs.LogGroup;

  private readonly metricPrefix: string;

  constructor(scope: Construct, id: string, props: EdgeWebAclProps = {}) {
    super(scope, id);
    const v = new Validator(this, 'EdgeWebAcl');
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      v.fail(`a CLOUDFRONT-scope web ACL must be created in us-east-1, got region ${region}`);
    }
    const limit = props.rateLimit ?? 2000;
    const window = props.rateWindow ?? Duration.minutes(5);
    v.range('rateLimit', limit, 10, 2_000_000_000);
    if (!window.isUnresolved()) v.oneOf('rateWindow (seconds)', window.toSeconds(), WINDOWS);
    const paths = props.pathRateLimits ?? [];
    v.range('pathRateLimits.length', paths.length, 0, 10);
    for (const p of paths) {
      v.pattern('pathRateLimits.pathPrefix', p.pathPrefix, /^\/[\x21-\x7e]{0,199}$/, "a path prefix starting with '/'");
      v.range(`pathRateLimits['${p.pathPrefix}'].limit`, p.limit, 10, 2_000_000_000);
    }

    this.metricPrefix = this.node.addr.slice(0, 8);
    const windowSec = window.toSeconds();
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${this.metricPrefix}-${name}`,
    });
    const block429: wafv2.CfnWebACL.RuleActionProperty = {
      block: { customResponse: { responseCode: 429, customResponseBodyKey: 'TooManyRequests', responseHeaders: [{ name: 'Retry-After', value: String(windowSec) }] } },
    };
    const rules: wafv2.CfnWebACL.RuleProperty[] = [];
    let priority = 0;
    paths.forEach((p, i) => {
      rules.push({
        name: `RateLimitPath${i}`,
        priority: priority++,
        action: block429,
        visibilityConfig: visibility(`rate-path-${i}`),
        statement: {
          rateBasedStatement: {
            limit: p.limit,
            aggregateKeyType: 'IP',
            evaluationWindowSec: windowSec,
            scopeDownStatement: {
              byteMatchStatement: {
                fieldToMatch: { uriPath: {} },
                positionalConstraint: 'STARTS_WITH',
                searchString: p.pathPrefix,
                textTransformations: [{ priority: 0, type: 'NONE' }],
              },
            },
          },
        },
      });
    });
    rules.push({
      name: 'RateLimitPerIp',
      priority: priority++,
      action: block429,
      visibilityConfig: visibility('rate-ip'),
      statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP', evaluationWindowSec: windowSec } },
    });
    if (props.managedRules ?? true) {
      for (const name of ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']) {
        rules.push({
          name,
          priority: priority++,
          overrideAction: { none: {} },
          visibilityConfig: visibility(name),
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
        });
      }
    }
    this.webAclName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      name: this.webAclName,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('all'),
      customResponseBodies: {
        TooManyRequests: { contentType: 'TEXT_PLAIN', content: 'Too many requests: slow down and retry after the time in Retry-After.' },
      },
      rules,
    });
    this.webAclArn = this.webAcl.attrArn;
    if (props.logging ?? complianceProfile(this).wafLogging) {
      this.logGroup = logWebAcl(this, this.webAcl).logGroup;
    }
  }

  /** Requests blocked by a rule (or by all rules with 'ALL'), sum per 5 minutes. */
  public metricBlockedRequests(rule: string = 'ALL', props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('BlockedRequests', rule, props);
  }

  /** Requests allowed, sum per 5 minutes. */
  public metricAllowedRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('AllowedRequests', 'ALL', props);
  }

  private metric(metricName: string, rule: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName,
      dimensionsMap: { WebACL: this.webAclName, Rule: rule },
      statistic: 'Sum',
      region: 'us-east-1',
      ...props,
    });
  }
}
