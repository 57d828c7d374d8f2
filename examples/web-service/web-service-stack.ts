import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

import {
  AlarmTopic, AuroraDatabase, CacheCluster, FanOutTopic, LoadBalancingAlgorithm, Network, OriginVerifySecret, QueueWorker, ServiceLoadBalancer,
  StatelessService, StickinessType, WorkQueue,
} from '../../src';

export interface WebServiceStackProps extends StackProps {
  /** The public hosted zone, imported by attributes (no lookup at synth). */
  readonly hostedZoneId: string;
  readonly zoneName: string;
  /** The domain the app serves: the zone's name or a subdomain (every record lives under it). */
  readonly domainName?: string;
  /** The origin-verify secret's name; this stack creates it and replicates it to us-east-1 for CloudFront. */
  readonly originVerifySecretName: string;
}

/**
 * Rung 3 in one region: an ALB in front of three stateless Fargate services that scale out.
 * `/api/*` → api (least outstanding requests, scales on requests per task),
 * `/ws/*` → websocket service (sticky, long idle timeout), everything else → web (slow start).
 * State lives outside the tasks: Aurora PostgreSQL (writer + auto-scaled readers) and a
 * Multi-AZ Valkey cache, each wired to the services with one `connect()` call.
 * Slow work leaves the request path: click analytics go to a queue drained by a worker that
 * scales on backlog per task (to zero when idle); "order placed" fans out to two queues.
 */
export class WebServiceStack extends Stack {
  constructor(scope: Construct, id: string, props: WebServiceStackProps) {
    super(scope, id, props);
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: props.hostedZoneId,
      zoneName: props.zoneName,
    });
    const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable');

    const topic = AlarmTopic.create(this, `${this.stackName}-alarms`);
    const alarms = { topic };
    const network = new Network(this, 'Network', { natGateways: 2 });
    // Only CloudFront may call the load balancer: it sends a secret header the listener requires
    // (Route 53's health checkers reach /health without it).
    // Rotated on demand before a release (`aws secretsmanager rotate-secret`), never twice between two.
    const originVerify = new OriginVerifySecret(this, 'OriginVerify', {
      secretName: props.originVerifySecretName, replicaRegions: ['us-east-1'], rotationInterval: Duration.days(0),
    });
    const domain = props.domainName ?? props.zoneName;
    const originName = `${this.region}.origin.${domain}`;
    const lb = new ServiceLoadBalancer(this, 'Lb', {
      vpc: network.vpc,
      domainName: originName,
      subjectAlternativeNames: [`origin.${domain}`], // the latency-routed name CloudFront also calls
      hostedZone,
      idleTimeout: Duration.minutes(5), // WebSockets
      originVerify: originVerify.loadBalancerOptions(),
    });
    lb.node.addDependency(originVerify.initialization);
    // This region's origin name; the edge stack's latency records for origin.<zone> alias it.
    new route53.ARecord(this, 'OriginRecord', {
      zone: hostedZone,
      recordName: originName,
      target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(lb.loadBalancer, { evaluateTargetHealth: true })),
    });

    const web = new StatelessService(this, 'Web', {
      vpc: network.vpc,
      image,
      loadBalancer: lb,
      targetGroup: { slowStart: Duration.seconds(60) },
      scaling: { minTasks: 2, maxTasks: 8 },
      alarms,
    });
    const api = new StatelessService(this, 'Api', {
      cluster: web.cluster,
      image,
      cpu: 1024,
      memoryLimitMiB: 2048,
      loadBalancer: lb,
      route: { pathPatterns: ['/api/*'], priority: 10 },
      targetGroup: { algorithm: LoadBalancingAlgorithm.LEAST_OUTSTANDING_REQUESTS },
      scaling: { minTasks: 2, maxTasks: 20, requestsPerTarget: 1000 },
      environment: { LOG_LEVEL: 'info' },
      alarms,
    });
    new StatelessService(this, 'Ws', {
      cluster: web.cluster,
      image,
      loadBalancer: lb,
      route: { pathPatterns: ['/ws/*'], priority: 20 },
      targetGroup: {
        stickiness: { type: StickinessType.LB_COOKIE, duration: Duration.hours(1) },
        deregistrationDelay: Duration.seconds(120),
      },
      stopTimeout: Duration.seconds(120),
      alarms,
    });

    const db = new AuroraDatabase(this, 'Db', { vpc: network.vpc, readers: 1, readerScaling: { maxReaders: 4 }, alarms });
    db.connect(api);
    const cache = new CacheCluster(this, 'Cache', { vpc: network.vpc, alarms });
    cache.connect(api);
    cache.connect(web);

    // Async tier: the API enqueues and returns; workers process at their own pace.
    const clicks = new WorkQueue(this, 'Clicks', { visibilityTimeout: Duration.minutes(2), alarms });
    clicks.grantSendMessages(api.taskDefinition.taskRole);
    new QueueWorker(this, 'ClickWorker', {
      cluster: web.cluster, queue: clicks, image, maxProcessingTime: Duration.seconds(30), minTasks: 0, maxTasks: 20,
    });
    const orderPlaced = new FanOutTopic(this, 'OrderPlaced');
    orderPlaced.grantPublish(api.taskDefinition.taskRole);
    for (const name of ['Inventory', 'Notifications']) {
      orderPlaced.addSubscriber(new WorkQueue(this, `${name}Queue`, { visibilityTimeout: Duration.minutes(1), alarms }));
    }
  }
}
