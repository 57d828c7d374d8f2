/**
 * AWS's recommended Origin Shield Region for an origin in each AWS Region: the same Region
 * where Origin Shield is offered, otherwise the nearest Region that offers it.
 *
 * Source: Amazon CloudFront Developer Guide, "Choosing the AWS Region for Origin Shield"
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/origin-shield.html#choose-origin-shield-region
 */
export const ORIGIN_SHIELD_REGIONS: Readonly<Record<string, string>> = {
  // Regions that offer Origin Shield: the same Region.
  'us-east-1': 'us-east-1',
  'us-east-2': 'us-east-2',
  'us-west-2': 'us-west-2',
  'ap-south-1': 'ap-south-1',
  'ap-northeast-1': 'ap-northeast-1',
  'ap-northeast-2': 'ap-northeast-2',
  'ap-southeast-1': 'ap-southeast-1',
  'ap-southeast-2': 'ap-southeast-2',
  'eu-central-1': 'eu-central-1',
  'eu-west-1': 'eu-west-1',
  'eu-west-2': 'eu-west-2',
  'sa-east-1': 'sa-east-1',
  // Regions without Origin Shield: the Region AWS recommends instead.
  'us-west-1': 'us-west-2',
  'af-south-1': 'eu-west-1',
  'ap-east-1': 'ap-southeast-1',
  'ca-central-1': 'us-east-1',
  'eu-south-1': 'eu-central-1',
  'eu-west-3': 'eu-west-2',
  'eu-north-1': 'eu-west-2',
  'me-south-1': 'ap-south-1',
};

/**
 * The recommended Origin Shield Region for an origin in `region`, or undefined when the table
 * has no entry (then an explicit shield Region is required).
 */
export function originShieldRegionFor(region: string): string | undefined {
  return ORIGIN_SHIELD_REGIONS[region];
}
