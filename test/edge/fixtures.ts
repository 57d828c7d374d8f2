import { App, Stack } from 'aws-cdk-lib';
import { CdnDistribution, CdnDistributionProps, EdgeWebAcl } from '../../src';
import { testStack } from '../util';

export const ORIGINS = [
  { region: 'eu-west-1', domainName: 'eu-west-1.origin.example.com' },
  { region: 'us-west-1', domainName: 'us-west-1.origin.example.com' },
];

/** A us-east-1 stack with a web ACL. */
export function edgeStack(app?: App): { stack: Stack; waf: EdgeWebAcl } {
  const stack = testStack({ region: 'us-east-1', id: 'Edge', app });
  return { stack, waf: new EdgeWebAcl(stack, 'Waf') };
}

/** A distribution with two regional origins and the shared origin name. */
export function cdn(props: Partial<CdnDistributionProps> = {}, app?: App) {
  const { stack, waf } = edgeStack(app);
  const distribution = new CdnDistribution(stack, 'Cdn', {
    regionalOrigins: ORIGINS,
    sharedOriginName: 'origin.example.com',
    webAclArn: waf.webAclArn,
    ...props,
  });
  return { stack, waf, distribution };
}
