import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { logGroupDefaults } from '../compliance/profile';

/**
 * Internal: a custom-resource provider for `handler` (aws-cdk-lib's provider framework) with a
 * retained-for-3-months log group, and the AwsSolutions acknowledgements its framework role needs,
 * scoped to that role. `what` names the handler in the acknowledgement's reason.
 */
export function handlerProvider(scope: Construct, handler: lambda.IFunction, what: string): cr.Provider {
  const provider = new cr.Provider(scope, 'Provider', {
    onEventHandler: handler,
    logGroup: new logs.LogGroup(scope, 'ProviderLogs', { ...logGroupDefaults(scope), retention: logs.RetentionDays.THREE_MONTHS }),
  });
  // The provider framework may invoke every version of the handler.
  const frameworkRole = provider.node.findAll().find((c): c is iam.Role => c instanceof iam.Role);
  if (frameworkRole) {
    const handlerLogicalId = Stack.of(scope).getLogicalId(handler.node.defaultChild as lambda.CfnFunction);
    acknowledge(frameworkRole, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        "aws-cdk-lib's custom-resource provider framework function has the AWS-managed AWSLambdaBasicExecutionRole: logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents on every log group of the account (Resource '*'); no read, aws-cdk-lib's framework code only.",
      [`AwsSolutions-IAM5[Resource::<${handlerLogicalId}.Arn>:*]`]: `The custom-resource provider framework invokes the ${what} (any of its versions) and nothing else.`,
    });
  }
  return provider;
}
