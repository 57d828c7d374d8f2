import { ArnFormat, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { logGroupDefaults } from '../compliance/profile';

/** The prefix AWS WAF requires of a log group it logs to. */
export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

/** Default retention of web ACL log groups: one year. */
export const DEFAULT_WAF_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/** Headers the web ACL logs always redact: credentials and sessions. */
const REDACTED_HEADERS = ['authorization', 'cookie'];

/** Options of `logWebAcl`. */
export interface WebAclLoggingOptions {
  /** More headers to redact (e.g. the origin-verify header). */
  readonly redactHeaders?: string[];
  /** @default DEFAULT_WAF_LOG_RETENTION */
  readonly retention?: logs.RetentionDays;
}

/** What `logWebAcl` creates. */
export interface WebAclLogging {
  readonly logGroup: logs.LogGroup;
  readonly configuration: wafv2.CfnLoggingConfiguration;
}

/**
 * Internal: logs `webAcl`'s requests to a new CloudWatch Logs group under `scope` (`Logs`), named
 * `aws-waf-logs-<unique path name>` (the name AWS WAF requires; the path holds the stage, stack and
 * construct, so it is unique per account and region), retained except when its stack's creation rolls back, with the log-group defaults of the
 * compliance profile (KMS key when `encryptLogGroups` is on), and the authorization, cookie and
 * `redactHeaders` headers redacted.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
 */
export function logWebAcl(scope: Construct, webAcl: wafv2.CfnWebACL, options: WebAclLoggingOptions = {}): WebAclLogging {
  const logGroupName = `${WAF_LOG_GROUP_PREFIX}${Names.uniqueResourceName(scope, { maxLength: 512 - WAF_LOG_GROUP_PREFIX.length, separator: '-' })}`;
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    ...logGroupDefaults(scope, DEFAULT_WAF_LOG_RETENTION, options.retention),
    logGroupName,
    // Kept on deletion, but removed when the stack's creation rolls back: the group has a fixed name,
    // and a retained one would make the retried create fail (AlreadyExists).
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
  const headers = [...new Set([...REDACTED_HEADERS, ...(options.redactHeaders ?? []).map((h) => h.toLowerCase())])];
  const configuration = new wafv2.CfnLoggingConfiguration(scope, 'Logging', {
    resourceArn: webAcl.attrArn,
    // AWS WAF takes the log group's ARN without the ':*' suffix of its Arn attribute.
    logDestinationConfigs: [Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    redactedFields: headers.map((name) => ({ singleHeader: { Name: name } })),
  });
  configuration.node.addDependency(logGroup);
  return { logGroup, configuration };
}
