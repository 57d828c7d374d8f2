import { App } from 'aws-cdk-lib';
import { Rung, ScaleoutStage } from '../src';
import { urlShortener } from './url-shortener/url-shortener';

/**
 * The examples `cdk synth` builds: the URL shortener at rung 4 in three regions (the default),
 * and one stage per rung of the ladder (`cdk synth 'Rung3/*'`). They share one account and one
 * hosted zone, so each rung serves a subdomain of its own and every physical name carries the
 * stage, and they spread over regions so that all of them fit an account's default quotas
 * (5 VPCs with the default one and 5 Elastic IPs per region): any of them can be deployed beside
 * the others.
 */
export function buildExamples(app: App): Record<string, ScaleoutStage> {
  const account = app.node.tryGetContext('account');
  const zone = { account, hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' };
  return {
    UrlShortener: urlShortener(app, 'UrlShortener', { ...zone, rung: Rung.FULL_DISTRIBUTION, regions: ['eu-west-1', 'us-east-1', 'ap-southeast-1'] }),
    Rung1: urlShortener(app, 'Rung1', { ...zone, domainName: 'rung1.example.com', rung: Rung.SINGLE_SERVER, regions: ['eu-central-1'] }),
    Rung2: urlShortener(app, 'Rung2', { ...zone, domainName: 'rung2.example.com', rung: Rung.SEPARATE_DATA_TIER, regions: ['eu-central-1'] }),
    Rung3: urlShortener(app, 'Rung3', { ...zone, domainName: 'rung3.example.com', rung: Rung.LOAD_BALANCED_POOL, regions: ['us-west-2'] }),
    Rung4: urlShortener(app, 'Rung4', { ...zone, domainName: 'rung4.example.com', rung: Rung.FULL_DISTRIBUTION, regions: ['eu-west-1', 'us-west-2'] }),
  };
}
