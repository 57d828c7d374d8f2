// The README's "Per-tier overrides" snippet, type-checked by `npm test` and run by
// overrides-readme.test.ts, which also checks that the README still says exactly this.
import { App, Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Rung, ScaleoutStage } from '../../src';

const app = new App();
const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable');
new ScaleoutStage(app, 'Prod', {
  account: '111111111111',
  hostedZoneId: 'Z0123456789EXAMPLE',
  zoneName: 'example.com',
  regions: ['eu-west-1', 'us-west-2'],
  rung: Rung.FULL_DISTRIBUTION,
  services: [{ name: 'Web', image }],
  queues: [{ name: 'Jobs', worker: { image, maxProcessingTime: Duration.seconds(30) } }],
  overrides: {
    // Every region (and the edge stack).
    services: { Web: { deployment: { minHealthyPercent: 50 }, logRetention: logs.RetentionDays.ONE_YEAR } },
    loadBalancer: { idleTimeout: Duration.seconds(120) },
    database: { backupRetention: Duration.days(14) },
    queues: { Jobs: { retentionPeriod: Duration.days(7) } },
    workers: { Jobs: { scaleInCooldown: Duration.minutes(10) } },
    distribution: { priceClass: cloudfront.PriceClass.PRICE_CLASS_100 },
    webAcl: { pathRateLimits: [{ pathPrefix: '/login', limit: 100 }] },
    // One region: merged over the stage-wide values, key by key.
    regions: {
      'eu-west-1': { database: { proxy: true } }, // RDS Proxy needs the primary's master secret
      'us-west-2': { database: { backupRetention: Duration.days(7) }, services: { Web: { scaling: { maxTasks: 6 } } } },
    },
  },
});

export { app };
