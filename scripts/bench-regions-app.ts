/**
 * The URL shortener at rung 4 in BENCH_REGIONS regions (1–5), for `npm run bench`: how synth
 * time grows with the number of regions.
 */
import { App } from 'aws-cdk-lib';
import { urlShortener } from '../examples/url-shortener/url-shortener';
import { Compliance, Rung } from '../src';

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-1', 'us-west-2', 'eu-central-1'];
const count = Number(process.env.BENCH_REGIONS ?? '3');
const app = new App();
Compliance.enable(app);
urlShortener(app, 'Bench', {
  account: app.node.tryGetContext('account'),
  hostedZoneId: 'Z0123456789EXAMPLE',
  zoneName: 'example.com',
  rung: Rung.FULL_DISTRIBUTION,
  regions: REGIONS.slice(0, count),
});
Compliance.synthesize(app);
