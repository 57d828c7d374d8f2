import { CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  CdnDistribution, Compliance, CompliancePack, ComplianceDefaults, ContentClass, EdgeWebAcl, LoadBalancerType, Network, NetworkListenerProtocol,
  QueueWorker, ServiceLoadBalancer, StatelessService, WorkQueue,
} from '../../src';
import { COMPLIANCE_CONTEXT_KEY } from '../../src/compliance/profile';
import { nagFindings, reportedFindings, reportingApp, testApp, TEST_ACCOUNT } from '../util';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable');
const REGULATORY = [
  CompliancePack.AWS_SOLUTIONS, CompliancePack.NIST_800_53_R4, CompliancePack.NIST_800_53_R5,
  CompliancePack.HIPAA_SECURITY, CompliancePack.PCI_DSS_321,
];

/**
 * A stack in an app whose construct defaults follow `packs` (none: the default profile), set
 * through the context `Compliance.enable` writes, without registering the packs as plugins.
 */
function stackWith(packs?: CompliancePack[], defaults?: ComplianceDefaults, region: string = 'eu-west-1'): Stack {
  const app = testApp();
  if (packs) app.node.setContext(COMPLIANCE_CONTEXT_KEY, { packs, ...defaults });
  return new Stack(app, 'Infra', { env: { account: TEST_ACCOUNT, region } });
}

/** A network, an ALB (optionally behind CloudFront's origin-verify header) and a service. */
function service(stack: Stack, originVerify: boolean = false): { lb: ServiceLoadBalancer; svc: StatelessService; net: Network } {
  const net = new Network(stack, 'Network');
  const lb = new ServiceLoadBalancer(stack, 'Lb', {
    vpc: net.vpc,
    certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc'),
    originVerify: originVerify ? { headerName: 'X-Origin-Verify', values: ['{{resolve:secretsmanager:ov:SecretString:current}}'] } : undefined,
  });
  const svc = new StatelessService(stack, 'Api', { vpc: net.vpc, image: IMAGE, loadBalancer: lb, cpu: 512, memoryLimitMiB: 2048 });
  return { lb, svc, net };
}

/** The findings of the regulatory packs whose rule matches `rule`. */
function findings(stack: Stack, rule: RegExp): string[] {
  return nagFindings(stack, REGULATORY).filter((f) => rule.test(f));
}

describe('ECS defaults switched by the packs', () => {
  test('GIVEN a regulatory pack WHEN a service and a worker are created THEN their containers run as 1000:1000 with the task memory as hard limit', () => {
    const stack = stackWith([CompliancePack.HIPAA_SECURITY]);
    const { svc } = service(stack);
    new QueueWorker(stack, 'Worker', { cluster: svc.cluster, queue: new WorkQueue(stack, 'Queue'), image: IMAGE, maxProcessingTime: Duration.seconds(10) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { Memory: '2048', ContainerDefinitions: [Match.objectLike({ User: '1000:1000', Memory: 2048 })] });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { Memory: '1024', ContainerDefinitions: [Match.objectLike({ User: '1000:1000', Memory: 1024 })] });
  });

  test('GIVEN a regulatory pack and an explicit user WHEN a service is created THEN the user wins', () => {
    const stack = stackWith([CompliancePack.PCI_DSS_321]);
    const net = new Network(stack, 'Network');
    new StatelessService(stack, 'Worker', { vpc: net.vpc, image: IMAGE, user: 'app:app' });
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [Match.objectLike({ User: 'app:app' })] });
  });

  test('GIVEN no regulatory pack, or the switches off WHEN a service is created THEN the image user and no container memory limit', () => {
    for (const stack of [stackWith(), stackWith([CompliancePack.NIST_800_53_R5], { nonRootContainers: false, containerMemoryLimits: false })]) {
      service(stack);
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ User: Match.absent(), Memory: Match.absent() })],
      });
    }
  });

  test('GIVEN a user that is not a user name or uid WHEN a service is created THEN throws naming the prop', () => {
    const stack = stackWith();
    const net = new Network(stack, 'Network');
    expect(() => new StatelessService(stack, 'Worker', { vpc: net.vpc, image: IMAGE, user: 'root; rm -rf /' }))
      .toThrow(/StatelessService 'Infra\/Worker': user must be a user or uid, optionally with :group or :gid, got 'root; rm -rf \/'/);
  });
});

describe('Network defaults switched by the packs', () => {
  test('GIVEN a regulatory pack WHEN a network is created THEN its default security group is closed and VPCDefaultSecurityGroupClosed passes', () => {
    const stack = stackWith([CompliancePack.NIST_800_53_R4]);
    new Network(stack, 'Network');
    Template.fromStack(stack).resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    expect(findings(stack, /VPCDefaultSecurityGroupClosed/)).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('GIVEN no regulatory pack WHEN a network is created THEN the default security group is left as EC2 creates it', () => {
    const stack = stackWith();
    new Network(stack, 'Network');
    Template.fromStack(stack).resourceCountIs('Custom::VpcRestrictDefaultSG', 0);
  });
});

describe('Load balancer defaults switched by the packs', () => {
  test('GIVEN a regulatory pack WHEN an ALB is created THEN a regional web ACL with the managed rule groups and a rate rule is associated and logs to aws-waf-logs-', () => {
    const stack = stackWith([CompliancePack.NIST_800_53_R5]);
    service(stack);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Name: Match.stringLikeRegexp('^Infra-Lb-WebAcl'),
      Rules: [
        Match.objectLike({ Name: 'RateLimitPerIp', Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } } }),
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } }),
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } } }),
      ],
    });
    t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { Ref: Match.stringLikeRegexp('^Lb') } });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-Infra-Lb-WebAcl'), RetentionInDays: 365 });
    // Fixed name: kept on deletion, removed when the create rolls back (else the retry fails).
    t.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'RetainExceptOnCreate', Properties: Match.objectLike({ LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-') }) });
    t.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      LogDestinationConfigs: [{ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':log-group:aws-waf-logs-Infra-Lb-WebAcl')])] }],
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
    });
    expect(findings(stack, /ALBWAFEnabled|WAFv2LoggingEnabled|ELBv2ACMCertificateRequired|S3Bucket(Replication|Logging|DefaultLock)/)).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('GIVEN origin verification WHEN the web ACL is created THEN the rate rule skips requests with the header and the logs redact it', () => {
    const stack = stackWith([CompliancePack.PCI_DSS_321]);
    service(stack, true);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([Match.objectLike({
        Statement: { RateBasedStatement: Match.objectLike({ ScopeDownStatement: { NotStatement: { Statement: { SizeConstraintStatement: Match.objectLike({ FieldToMatch: { SingleHeader: { Name: 'x-origin-verify' } }, ComparisonOperator: 'GT', Size: 0 }) } } } }) },
      })]),
    });
    t.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', { RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'x-origin-verify' } }]) });
  });

  test('GIVEN no regulatory pack WHEN an ALB is created THEN no web ACL, and webAcl true adds one without logging', () => {
    const stack = stackWith();
    service(stack);
    Template.fromStack(stack).resourceCountIs('AWS::WAFv2::WebACL', 0);
    const opted = stackWith();
    const net = new Network(opted, 'Network');
    new ServiceLoadBalancer(opted, 'Lb', { vpc: net.vpc, certificate: acm.Certificate.fromCertificateArn(opted, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc'), webAcl: true, webAclRateLimit: 500 });
    const t = Template.fromStack(opted);
    t.hasResourceProperties('AWS::WAFv2::WebACL', { Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 500 }) } })]) });
    t.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
  });

  test('GIVEN an NLB WHEN webAcl is set THEN throws: AWS WAF does not protect Network Load Balancers', () => {
    const stack = stackWith();
    const net = new Network(stack, 'Network');
    expect(() => new ServiceLoadBalancer(stack, 'Nlb', { vpc: net.vpc, type: LoadBalancerType.NETWORK, networkProtocol: NetworkListenerProtocol.TCP, webAcl: true }))
      .toThrow(/webAcl, webAclRateLimit and webAclLogging apply to type APPLICATION only/);
  });

  test('GIVEN a web ACL rate limit out of range, or web ACL options with webAcl false WHEN an ALB is created THEN throws naming the prop and the value', () => {
    const stack = stackWith();
    const net = new Network(stack, 'Network');
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
    expect(() => new ServiceLoadBalancer(stack, 'Low', { vpc: net.vpc, certificate, webAcl: true, webAclRateLimit: 9 }))
      .toThrow(/ServiceLoadBalancer 'Infra\/Low': webAclRateLimit must be an integer between 10 and 2000000000, got 9/);
    expect(() => new ServiceLoadBalancer(stack, 'Off', { vpc: net.vpc, certificate, webAcl: false, webAclLogging: true }))
      .toThrow(/webAclRateLimit and webAclLogging need the web ACL, got them with webAcl false/);
  });

  test('GIVEN a regulatory pack WHEN an ALB logs access THEN the log bucket sends its events to EventBridge', () => {
    const stack = stackWith([CompliancePack.HIPAA_SECURITY]);
    service(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
    const plain = stackWith();
    service(plain);
    Template.fromStack(plain).hasResourceProperties('AWS::S3::Bucket', { NotificationConfiguration: Match.absent() });
  });
});

describe('CDN defaults switched by the packs', () => {
  function cdn(stack: Stack): CdnDistribution {
    const waf = new EdgeWebAcl(stack, 'Waf');
    return new CdnDistribution(stack, 'Cdn', {
      regionalOrigins: [{ region: 'eu-west-1', domainName: 'eu-west-1.origin.example.com' }],
      routes: [{ pathPattern: '/assets/*', contentClass: ContentClass.STATIC_ASSETS }],
      webAclArn: waf.webAclArn,
    });
  }

  test('GIVEN a regulatory pack WHEN a distribution is created THEN the static assets are SSE-KMS with a key CloudFront may decrypt with', () => {
    const stack = stackWith([CompliancePack.NIST_800_53_R5], undefined, 'us-east-1');
    cdn(stack);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdnStaticAssetsKey'), 'Arn'] } } }] },
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 'kms:Decrypt' })]) },
    });
    expect(findings(stack, /S3DefaultEncryptionKMS/)).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('GIVEN no regulatory pack WHEN a distribution is created THEN the static assets stay SSE-S3 and the web ACL does not log', () => {
    const stack = stackWith(undefined, undefined, 'us-east-1');
    cdn(stack);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KMS::Key', 0);
    t.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
  });

  test('GIVEN a regulatory pack WHEN an edge web ACL is created THEN it logs to an aws-waf-logs- group in us-east-1 kept a year, encrypted', () => {
    const stack = stackWith([CompliancePack.HIPAA_SECURITY], undefined, 'us-east-1');
    cdn(stack);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-Infra-Waf'),
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkScaleoutLogsKey'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', { ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Waf'), 'Arn'] } });
    expect(findings(stack, /WAFv2LoggingEnabled|S3Bucket|S3DefaultEncryptionKMS/)).toEqual([]);
  });

  test('GIVEN defaultRootObject WHEN a distribution is created THEN CloudFront serves it at /', () => {
    const stack = stackWith(undefined, undefined, 'us-east-1');
    new CdnDistribution(stack, 'Cdn', { regionalOrigins: [{ region: 'eu-west-1', domainName: 'eu-west-1.origin.example.com' }], defaultRootObject: 'index.html' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ DefaultRootObject: 'index.html' }) });
  });
});

describe('Control Tower rules under the documented profile', () => {
  /** The Control Tower findings (`rule path`) of an app with every pack's defaults, built by `build`. */
  function controlTowerFindings(build: (stack: Stack) => void, region: string = 'eu-west-1'): string[] {
    const app = reportingApp({ context: { [COMPLIANCE_CONTEXT_KEY]: { packs: Object.values(CompliancePack) } } });
    Validations.of(app).addPlugins(Compliance.createPlugin(CompliancePack.CONTROL_TOWER));
    build(new Stack(app, 'Infra', { env: { account: TEST_ACCOUNT, region } }));
    app.synth();
    return reportedFindings(app);
  }

  test('GIVEN every pack WHEN a network, an ALB and a service are synthesized THEN no ECS, S3, WAF or default-SG provider rule remains', () => {
    const left = controlTowerFindings((stack) => { service(stack); });
    expect(left.filter((f) => /^(ecs_|s3_|waf|lambda_inside_vpc_check .*VpcRestrictDefaultSG)/.test(f))).toEqual([]);
  });

  test('GIVEN every pack WHEN a single-origin distribution with an edge web ACL is synthesized THEN no S3, static-assets key or CloudFront root/failover rule remains', () => {
    const left = controlTowerFindings((stack) => {
      const waf = new EdgeWebAcl(stack, 'Waf');
      new CdnDistribution(stack, 'Cdn', { regionalOrigins: [{ region: 'eu-west-1', domainName: 'eu-west-1.origin.example.com' }], webAclArn: waf.webAclArn });
    }, 'us-east-1');
    expect(left.filter((f) => /^(s3_|waf|cloudfront_default_root_object|cloudfront_origin_failover)/.test(f) || /StaticAssetsKey/.test(f))).toEqual([]);
  });
});

describe('managed policies under the profile', () => {
  test('GIVEN a resource that depends on an inline policy WHEN the policy becomes a managed policy THEN the resource depends on the managed policy', () => {
    // GIVEN a stack with the profile's managed policies (a Network applies the stack profile)
    const stack = stackWith([CompliancePack.PCI_DSS_321]);
    new Network(stack, 'Network');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    const dependent = new s3.CfnBucket(stack, 'Dependent');
    dependent.addResourceDependency(role.node.findChild('DefaultPolicy').node.defaultChild as CfnResource);
    // WHEN
    const t = Template.fromStack(stack);
    // THEN no DependsOn names the removed inline policy
    const managedId = Object.keys(t.findResources('AWS::IAM::ManagedPolicy')).find((id) => id.startsWith('RoleDefaultPolicy'));
    expect(managedId).toBeDefined();
    t.hasResource('AWS::S3::Bucket', { DependsOn: [managedId] });
  });
});
