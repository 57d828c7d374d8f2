import { App } from 'aws-cdk-lib';
import { Rung, ScaleoutStage } from '../src';
import { urlShortener } from './url-shortener/url-shortener';

/**
 * The examples `cdk synth` builds: the URL shortener at rung 4 in three regions (the default),
 * and one stage per rung of the ladder (`cdk synth 'Rung3/*'`).
 */
export function buildExamples(app: App): Record<string, ScaleoutStage> {
  const account = app.node.tryGetContext('account');
  const zone = { account, hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com' };
  return {
    UrlShortener: urlShortener(app, 'UrlShortener', { ...zone, rung: Rung.FULL_DISTRIBUTION, regions: ['eu-west-1', 'us-east-1', 'ap-southeast-1'] }),
    Rung1: urlShortener(app, 'Rung1', { ...zone, rung: Rung.SINGLE_SERVER, regions: ['eu-west-1'] }),
    Rung2: urlShortener(app, 'Rung2', { ...zone, rung: Rung.SEPARATE_DATA_TIER, regions: ['eu-west-1'] }),
    Rung3: urlShortener(app, 'Rung3', { ...zone, rung: Rung.LOAD_BALANCED_POOL, regions: ['eu-west-1'] }),
    Rung4: urlShortener(app, 'Rung4', { ...zone, rung: Rung.FULL_DISTRIBUTION, regions: ['eu-west-1', 'us-west-2'] }),
  };
}
