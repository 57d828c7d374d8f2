import { App } from 'aws-cdk-lib';
import { WebServiceStack } from './web-service-stack';
import { Compliance } from '../../src';

const app = new App();
// AwsSolutions checks at synth: `cdk synth` fails on an unacknowledged finding.
Compliance.enable(app);

new WebServiceStack(app, 'WebService', {
  env: { account: app.node.tryGetContext('account'), region: 'eu-west-1' },
  hostedZoneId: 'Z0123456789EXAMPLE',
  zoneName: 'example.com',
});
