/**
 * Context shared by cdk.json and the test apps (test/util.ts), so that `cdk synth`
 * never calls AWS: availability zones are given for every account/region pair the
 * examples use.
 */

/** The placeholder account the examples deploy to; override with `-c account=…`. */
export const EXAMPLE_ACCOUNT = '111111111111';

/** Every region an example or a test may use. */
export const EXAMPLE_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1'];

export function cdkJsonContext(): Record<string, unknown> {
  const context: Record<string, unknown> = {
    'account': EXAMPLE_ACCOUNT,
    // Fail synth (exit 1) when a compliance pack reports an unacknowledged finding.
    '@aws-cdk/core:failSynthOnValidationErrors': true,
  };
  for (const region of EXAMPLE_REGIONS) {
    context[`availability-zones:account=${EXAMPLE_ACCOUNT}:region=${region}`] = ['a', 'b', 'c'].map((z) => `${region}${z}`);
  }
  return context;
}
