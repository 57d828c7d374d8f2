import { CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { acknowledge, CONTROL_TOWER_PREFIX } from '../compliance/acknowledge';

/** The rule ids, per pack, of each Lambda finding the constructs acknowledge. */
const FUNCTION_RULES = {
  concurrency: ['HIPAA.Security-LambdaConcurrency', 'NIST.800.53.R5-LambdaConcurrency'],
  dlq: ['HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaDLQ', 'Serverless-LambdaDLQ'],
  vpc: ['HIPAA.Security-LambdaInsideVPC', 'NIST.800.53.R4-LambdaInsideVPC', 'NIST.800.53.R5-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC',
    `${CONTROL_TOWER_PREFIX}lambda_inside_vpc_check`],
  tracing: ['Serverless-LambdaTracing'],
} as const;

/** Internal: the reasons of the Lambda findings a construct accepts for one function. */
export type FunctionReasons = Partial<Record<keyof typeof FUNCTION_RULES, string>>;

/** Why none of the handlers has reserved concurrency. */
export const NO_RESERVED_CONCURRENCY = "No reserved concurrency, on purpose: a reservation takes from the account's regional concurrency, "
  + 'of which Lambda keeps 100 unreserved, and new accounts start with quotas as low as 10, so a reservation can fail the deployment '
  + '(the deploy rehearsal rule Rehearsal-LambdaReservedConcurrency checks it).';

/** Why a function invoked synchronously needs no dead-letter queue. */
export const SYNCHRONOUS_ONLY = 'A Lambda dead-letter queue receives only events of asynchronous invocations, and this function is invoked synchronously only';

/** Why aws-cdk-lib's functions invoked by CloudFormation have no dead-letter queue. */
export const CLOUDFORMATION_INVOKED = 'CloudFormation invokes it asynchronously. A handler error is answered FAILED to CloudFormation, '
  + 'which fails (and rolls back) the stack operation; an event whose invocation fails after Lambda\'s retries gets no answer and '
  + 'CloudFormation fails the operation when the custom resource times out. Either way the failure shows in the stack events, and an '
  + 'event kept in a dead-letter queue could not be replayed once the operation has ended.';

/**
 * Internal: acknowledges the Lambda findings `reasons` names on the function resource of `fn`
 * (a `lambda.Function` or its `CfnFunction`), one acknowledgement per pack's rule id.
 */
export function acknowledgeFunction(fn: IConstruct, reasons: FunctionReasons): void {
  const resource = fn instanceof lambda.Function ? fn.node.defaultChild as CfnResource : fn;
  const rules: Record<string, string> = {};
  for (const [kind, reason] of Object.entries(reasons) as Array<[keyof typeof FUNCTION_RULES, string | undefined]>) {
    if (reason) for (const id of FUNCTION_RULES[kind]) rules[id] = reason;
  }
  acknowledge(resource, rules);
}
