import { App } from 'aws-cdk-lib';
import { EdgeStack } from './edge-stack';
import { WebServiceStack } from './web-service-stack';
import { Compliance } from '../../src';

const app = new App();
// AwsSolutions checks at synth: `cdk synth` fails on an unacknowledged finding.
Compliance.enable(app);

const account = app.node.tryGetContext('account');
const zone = { hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' };
const regions = ['eu-west-1'];

for (const region of regions) {
  new WebServiceStack(app, `WebService-${region}`, { env: { account, region }, ...zone });
}
// us-east-1: distribution, certificate, WAF, Lambda@Edge, invalidation. No cross-region references.
new EdgeStack(app, 'Edge', { env: { account, region: 'us-east-1' }, ...zone, regions });

Compliance.synthesize(app);
