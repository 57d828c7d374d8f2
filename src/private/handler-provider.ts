import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeFunction, CLOUDFORMATION_INVOKED, NO_RESERVED_CONCURRENCY } from './function-compliance';
import { acknowledge } from '../compliance/acknowledge';
import { HANDLER_MEMORY_MB, logGroupDefaults, traceFunction, XRAY_STAR_REASON } from '../compliance/profile';

/**
 * Internal: a custom-resource provider for `handler` (aws-cdk-lib's provider framework) with a
 * retained-for-3-months log group (a year under `longLogRetention`), an explicit memory size and,
 * under `lambdaTracing`, active tracing on its framework function, and the acknowledgements its
 * framework role and function need, scoped to them. `what` names the handler in the reasons.
 */
export function handlerProvider(scope: Construct, handler: lambda.IFunction, what: string): cr.Provider {
  const provider = new cr.Provider(scope, 'Provider', {
    onEventHandler: handler,
    logGroup: new logs.LogGroup(scope, 'ProviderLogs', logGroupDefaults(scope, logs.RetentionDays.THREE_MONTHS)),
  });
  const framework = provider.node.tryFindChild('framework-onEvent');
  const traced = framework instanceof lambda.Function && traceFunction(framework);
  if (framework instanceof lambda.Function) {
    (framework.node.defaultChild as lambda.CfnFunction).memorySize = HANDLER_MEMORY_MB;
    acknowledgeFunction(framework, {
      concurrency: `${NO_RESERVED_CONCURRENCY} aws-cdk-lib's provider framework function runs once per operation on the custom resource of a deployment.`,
      dlq: CLOUDFORMATION_INVOKED,
      vpc: `aws-cdk-lib's provider framework function only invokes the ${what} (Lambda API) and answers CloudFormation's pre-signed response URL; it reaches nothing inside a VPC.`,
    });
  }
  // The provider framework may invoke every version of the handler.
  const frameworkRole = provider.node.findAll().find((c): c is iam.Role => c instanceof iam.Role);
  if (frameworkRole) {
    const handlerLogicalId = Stack.of(scope).getLogicalId(handler.node.defaultChild as lambda.CfnFunction);
    acknowledge(frameworkRole, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        "aws-cdk-lib's custom-resource provider framework function has the AWS-managed AWSLambdaBasicExecutionRole: logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents on every log group of the account (Resource '*'); no read, aws-cdk-lib's framework code only.",
      [`AwsSolutions-IAM5[Resource::<${handlerLogicalId}.Arn>:*]`]: `The custom-resource provider framework invokes the ${what} (any of its versions) and nothing else.`,
      ...(traced ? { 'AwsSolutions-IAM5[Resource::*]': XRAY_STAR_REASON } : {}),
    });
  }
  return provider;
}
