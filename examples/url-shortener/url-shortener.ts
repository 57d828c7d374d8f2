import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { ContentClass, Rung, ScaleoutStage } from '../../src';

export interface UrlShortenerProps {
  readonly account: string;
  readonly hostedZoneId: string;
  readonly zoneName: string;
  /** The domain the stage serves (a subdomain keeps stages sharing the zone apart). */
  readonly domainName?: string;
  readonly regions: string[];
  readonly rung: Rung;
}

/**
 * The URL shortener: short-code redirects served from the CDN for hot codes, the cache for warm
 * ones, Aurora as the source of truth; click analytics through a queue to workers; "link
 * created" fanned out. The whole architecture is this spec (~60 lines).
 */
export function urlShortener(scope: Construct, id: string, props: UrlShortenerProps): ScaleoutStage {
  // Built by `cdk deploy` for the tasks' architecture (X86_64 by default), whatever the build host.
  const image = ecs.ContainerImage.fromAsset(path.join(__dirname, 'service'), { platform: Platform.LINUX_AMD64 });
  const fullDistribution = props.rung === Rung.FULL_DISTRIBUTION;
  const atLeastPool = props.rung >= Rung.LOAD_BALANCED_POOL;
  // The service's own names (links to them would redirect in a loop) and its public URL.
  const domain = props.domainName ?? props.zoneName;
  const publicHost = fullDistribution ? domain : `app.${domain}`;
  const selfHosts = [domain, `www.${domain}`, `app.${domain}`, `origin.${domain}`, ...props.regions.map((r) => `${r}.origin.${domain}`)];
  return new ScaleoutStage(scope, id, {
    account: props.account,
    hostedZoneId: props.hostedZoneId,
    zoneName: props.zoneName,
    domainName: props.domainName,
    regions: props.regions,
    rung: props.rung,
    services: [
      { name: 'Redirect', image, environment: { ROLE: 'redirect' } },
      {
        name: 'Api',
        image,
        pathPatterns: ['/api/*'],
        cpu: 1024,
        memoryLimitMiB: 2048,
        environment: { ROLE: 'api', SELF_HOSTS: selfHosts.join(','), PUBLIC_BASE_URL: `https://${publicHost}/` },
        scaling: atLeastPool ? { requestsPerTarget: 1000 } : undefined,
      },
    ],
    queues: atLeastPool ? [
      { name: 'Clicks', producers: ['Redirect'], worker: { image, environment: { ROLE: 'worker' }, maxProcessingTime: Duration.seconds(20), maxTasks: 20 } },
      ...(fullDistribution ? [{ name: 'Previews', worker: { image, environment: { ROLE: 'worker' }, maxProcessingTime: Duration.minutes(1) } }] : []),
    ] : undefined,
    fanOuts: fullDistribution ? [{ name: 'LinkCreated', publishers: ['Api'], subscribers: ['Previews'] }] : undefined,
    edge: fullDistribution ? {
      routes: [
        { pathPattern: '/assets/*', contentClass: ContentClass.STATIC_ASSETS },
        { pathPattern: '/api/stats/*', contentClass: ContentClass.PUBLIC_API, ttl: Duration.seconds(60), queryStringAllowlist: ['period'] },
        { pathPattern: '/api/*', contentClass: ContentClass.PRIVATE },
      ],
      invalidationPaths: ['/', '/index.html'],
      purgePublishers: ['Api'], // DELETE /api/links/:code purges /:code from the CDN
    } : undefined,
  });
}
