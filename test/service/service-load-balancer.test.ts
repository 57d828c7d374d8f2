import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { LoadBalancerOriginVerifyOptions, LoadBalancerType, NetworkListenerProtocol, OriginVerifySecret, ServiceLoadBalancer, ServiceLoadBalancerProps, StatelessService } from '../../src';
import { expectNoNagFindings } from '../util';
import { fixture, IMAGE, loadBalancer } from './fixtures';

function attrs(t: Template): Record<string, string> {
  const lb = Object.values(t.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
  return Object.fromEntries(lb.Properties.LoadBalancerAttributes.map((a: { Key: string; Value: string }) => [a.Key, a.Value]));
}

describe('ServiceLoadBalancer (ALB)', () => {
  test('GIVEN a certificate WHEN created THEN listens on HTTPS with the TLS 1.3/1.2 policy and redirects HTTP', () => {
    const f = fixture();
    loadBalancer(f);
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc' }],
      DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) })],
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' }) })],
    });
  });

  test('GIVEN defaults WHEN created THEN drops invalid headers, logs access to an SSL-only retained bucket and sets the idle timeout', () => {
    const f = fixture();
    loadBalancer(f, { idleTimeout: Duration.minutes(10), deletionProtection: true });
    const t = Template.fromStack(f.stack);
    expect(attrs(t)).toMatchObject({
      'routing.http.drop_invalid_header_fields.enabled': 'true',
      'access_logs.s3.enabled': 'true',
      'idle_timeout.timeout_seconds': '600',
      'deletion_protection.enabled': 'true',
      'routing.http.desync_mitigation_mode': 'defensive',
    });
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
      }),
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('GIVEN domainName and hostedZone WHEN created THEN creates a DNS-validated certificate', () => {
    const f = fixture();
    new ServiceLoadBalancer(f.stack, 'Lb', {
      vpc: f.network.vpc, domainName: 'eu-west-1.origin.example.com', hostedZone: f.zone, subjectAlternativeNames: ['origin.example.com'],
    });
    Template.fromStack(f.stack).hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'eu-west-1.origin.example.com',
      SubjectAlternativeNames: ['origin.example.com'],
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'eu-west-1.origin.example.com', HostedZoneId: 'Z0123456789' }, { DomainName: 'origin.example.com', HostedZoneId: 'Z0123456789' }],
    });
  });

  test('GIVEN an internal ALB WHEN created THEN admits only the VPC CIDR', () => {
    const f = fixture();
    loadBalancer(f, { internetFacing: false });
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ FromPort: 443, CidrIp: { 'Fn::GetAtt': [Match.stringLikeRegexp('NetworkVpc'), 'CidrBlock'] } })]),
    });
  });

  test('GIVEN two services with weights WHEN routed together THEN forwards with weighted target groups', () => {
    const f = fixture();
    const lb = loadBalancer(f);
    const stable = new StatelessService(f.stack, 'Stable', { vpc: f.network.vpc, image: IMAGE, loadBalancer: lb, route: { enabled: false } });
    const canary = new StatelessService(f.stack, 'Canary', { cluster: stable.cluster, image: IMAGE, loadBalancer: lb, route: { enabled: false } });
    lb.addRoute('Api', {
      pathPatterns: ['/api/*'],
      priority: 5,
      targetGroups: [{ targetGroup: stable.targetGroup!, weight: 90 }, { targetGroup: canary.targetGroup!, weight: 10 }],
      targetGroupStickiness: Duration.minutes(10),
    });
    Template.fromStack(f.stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 5,
      Actions: [Match.objectLike({
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [Match.objectLike({ Weight: 90 }), Match.objectLike({ Weight: 10 })],
          TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 600 },
        },
      })],
    });
  });

  test('GIVEN an ALB with services WHEN checked with AwsSolutions THEN there are no unacknowledged findings', () => {
    const f = fixture();
    const lb = loadBalancer(f);
    new StatelessService(f.stack, 'Web', { vpc: f.network.vpc, image: IMAGE, loadBalancer: lb });
    expectNoNagFindings(f.stack);
  });

  test('GIVEN accessLogs false WHEN checked with AwsSolutions THEN ELB2 is acknowledged on the load balancer only', () => {
    const f = fixture();
    loadBalancer(f, { accessLogs: false });
    const t = Template.fromStack(f.stack);
    t.resourceCountIs('AWS::S3::Bucket', 0);
    expectNoNagFindings(f.stack);
  });

  describe('rejects bad input', () => {
    test.each([
      ['a type that is not a LoadBalancerType (JavaScript caller)', { type: 'gateway' as any }, /type must be one of LoadBalancerType.APPLICATION \("application"\), LoadBalancerType.NETWORK \("network"\), got "gateway"/],
      ['idleTimeout 0 s', { idleTimeout: Duration.seconds(0) }, /ServiceLoadBalancer 'Test\/Lb': idleTimeout must be a whole number of seconds between 1 second and 4000 seconds, got 0 seconds/],
      ['idleTimeout 4001 s', { idleTimeout: Duration.seconds(4001) }, /idleTimeout must be a whole number of seconds between 1 second and 4000 seconds, got 4001 seconds/],
      ['no certificate', { certificate: undefined }, /HTTPS listener needs certificate, or domainName and hostedZone to create one; got neither/],
      ['domainName without zone', { certificate: undefined, domainName: 'a.example.com' }, /domainName 'a.example.com' needs hostedZone/],
      ['certificate and domainName', { domainName: 'a.example.com' }, /give either certificate or domainName, got both/],
      ['NLB options on an ALB', { networkPort: 443 }, /networkProtocol, networkPort and crossZoneEnabled apply to type NETWORK only/],
      ['idleTimeout on an NLB', { type: LoadBalancerType.NETWORK, idleTimeout: Duration.seconds(30) }, /idleTimeout applies to an Application Load Balancer only/],
      ['networkPort 0', { type: LoadBalancerType.NETWORK, networkPort: 0 }, /networkPort must be an integer between 1 and 65535, got 0/],
      ['certificate with TCP', { type: LoadBalancerType.NETWORK, networkProtocol: NetworkListenerProtocol.TCP }, /certificate and domainName apply to HTTPS\/TLS listeners, got them with networkProtocol TCP/],
      ['accessLogsExpiration 0 days', { accessLogsExpiration: Duration.days(0) }, /accessLogsExpiration must be a whole number of seconds between 1 day and 3650 days, got 0 days/],
    ])('GIVEN %s WHEN created THEN throws', (_name, props, message) => {
      const f = fixture();
      expect(() => loadBalancer(f, props)).toThrow(message);
    });

    test('GIVEN hostedZone without domainName WHEN created THEN throws', () => {
      const f = fixture();
      expect(() => loadBalancer(f, { hostedZone: f.zone })).toThrow(/hostedZone is only used with domainName/);
    });
  });

  describe('routes', () => {
    function withTargetGroup() {
      const f = fixture();
      const lb = loadBalancer(f);
      const svc = new StatelessService(f.stack, 'Svc', { vpc: f.network.vpc, image: IMAGE, loadBalancer: lb, route: { enabled: false } });
      return { f, lb, tg: svc.targetGroup! };
    }

    test('GIVEN a priority already used WHEN another route takes it THEN throws naming both routes', () => {
      const { lb, tg } = withTargetGroup();
      lb.addRoute('A', { pathPatterns: ['/a/*'], priority: 10, targetGroups: [{ targetGroup: tg }] });
      expect(() => lb.addRoute('B', { pathPatterns: ['/b/*'], priority: 10, targetGroups: [{ targetGroup: tg }] }))
        .toThrow(/route 'B': priority 10 is already used by route 'A'/);
    });

    test('GIVEN a default route WHEN a second one is added THEN throws', () => {
      const { lb, tg } = withTargetGroup();
      lb.addRoute('A', { targetGroups: [{ targetGroup: tg }] });
      expect(() => lb.addRoute('B', { targetGroups: [{ targetGroup: tg }] })).toThrow(/route 'B': the default route is already taken by 'A'/);
    });

    test.each([
      ['priority 0', { pathPatterns: ['/a'], priority: 0 }, /route 'R' priority must be an integer between 1 and 50000, got 0/],
      ['priority 50001', { pathPatterns: ['/a'], priority: 50001 }, /route 'R' priority must be an integer between 1 and 50000, got 50001/],
      ['conditions without priority', { pathPatterns: ['/a'] }, /route 'R': priority is required with pathPatterns or hostHeaders/],
      ['priority without conditions', { priority: 3 }, /route 'R': priority 3 needs pathPatterns or hostHeaders/],
      ['6 condition values', { pathPatterns: ['/a', '/b', '/c'], hostHeaders: ['a.com', 'b.com', 'c.com'], priority: 1 }, /at most 5 values in all, got 6/],
      ['a relative path', { pathPatterns: ['api/*'], priority: 1 }, /route 'R' pathPatterns must be a path of up to 128 characters starting with '\/'.*got 'api\/\*'/],
      ['a bad host', { hostHeaders: ['bad host'], priority: 1 }, /route 'R' hostHeaders must be a host name.*got 'bad host'/],
      ['weight 1000', { weight: 1000 }, /route 'R' targetGroups\[0\].weight must be an integer between 0 and 999, got 1000/],
      ['stickiness 8 days', { targetGroupStickiness: Duration.days(8) }, /route 'R' targetGroupStickiness must be a whole number of seconds between 1 second and 7 days, got 8 days/],
    ])('GIVEN %s WHEN routed THEN throws', (_name, o, message) => {
      const { lb, tg } = withTargetGroup();
      const { weight, ...rest } = o as { weight?: number };
      expect(() => lb.addRoute('R', { ...rest, targetGroups: [{ targetGroup: tg, weight }] })).toThrow(message);
    });

    test('GIVEN 6 target groups WHEN routed THEN throws', () => {
      const { lb, tg } = withTargetGroup();
      expect(() => lb.addRoute('R', { targetGroups: Array(6).fill({ targetGroup: tg }) })).toThrow(/route 'R' targetGroups.length must be an integer between 1 and 5, got 6/);
    });
  });
});

describe('ServiceLoadBalancer (NLB)', () => {
  test('GIVEN type NETWORK WHEN created THEN has a TLS listener, cross-zone balancing and a security group', () => {
    const f = fixture();
    const lb = loadBalancer(f, { type: LoadBalancerType.NETWORK });
    new StatelessService(f.stack, 'Svc', { vpc: f.network.vpc, image: IMAGE, loadBalancer: lb });
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'TLS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', SecurityGroups: Match.anyValue() });
    expect(attrs(t)).toMatchObject({ 'load_balancing.cross_zone.enabled': 'true', 'access_logs.s3.enabled': 'true' });
    expect(lb.networkLoadBalancer).toBeInstanceOf(elbv2.NetworkLoadBalancer);
  });

  test('GIVEN a TCP NLB WHEN created THEN needs no certificate', () => {
    const f = fixture();
    const lb = new ServiceLoadBalancer(f.stack, 'Lb', { vpc: f.network.vpc, type: LoadBalancerType.NETWORK, networkProtocol: NetworkListenerProtocol.TCP, networkPort: 8443 });
    new StatelessService(f.stack, 'Svc', { vpc: f.network.vpc, image: IMAGE, loadBalancer: lb });
    expect(lb.certificate).toBeUndefined();
    Template.fromStack(f.stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 8443, Protocol: 'TCP' });
  });

  test('GIVEN an NLB WHEN a route has path conditions THEN throws', () => {
    const f = fixture();
    const lb = loadBalancer(f, { type: LoadBalancerType.NETWORK });
    const svc = new StatelessService(f.stack, 'Svc', { vpc: f.network.vpc, image: IMAGE, loadBalancer: lb, route: { enabled: false } });
    expect(() => lb.addRoute('R', { pathPatterns: ['/a'], priority: 1, targetGroups: [{ targetGroup: svc.targetGroup! }] }))
      .toThrow(/route 'R': a Network Load Balancer routes by port only/);
    expect(() => lb.addRoute('R2', { targetGroups: [{ targetGroup: svc.targetGroup! }, { targetGroup: svc.targetGroup! }] }))
      .toThrow(/route 'R2': a Network Load Balancer listener forwards to exactly 1 target group, got 2/);
  });
});

describe('ServiceLoadBalancer (origin verification)', () => {
  const SECRET = 'Stage/OriginVerify';
  const ref = (key: string) => `{{resolve:secretsmanager:${SECRET}:SecretString:${key}}}`;

  function protectedLb(overrides: Partial<ServiceLoadBalancerProps> = {}, options: LoadBalancerOriginVerifyOptions = {}) {
    const f = fixture();
    const lb = loadBalancer(f, { originVerify: OriginVerifySecret.forLoadBalancer(SECRET, options), ...overrides });
    return { f, lb };
  }

  test('GIVEN originVerify and two services WHEN routed THEN every rule requires one of the three values, the default is a 403 and /health is open to the default route', () => {
    // GIVEN
    const { f, lb } = protectedLb({}, { revision: 'r7' });
    // WHEN
    const web = new StatelessService(f.stack, 'Web', { vpc: f.network.vpc, image: IMAGE, loadBalancer: lb });
    new StatelessService(f.stack, 'Api', { cluster: web.cluster, image: IMAGE, loadBalancer: lb, route: { pathPatterns: ['/api/*'], priority: 10 } });
    // THEN
    const t = Template.fromStack(f.stack);
    const header = { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Origin-Verify', Values: [ref('previous'), ref('current'), ref('next')] } };
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '403' }) })],
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }, header],
      Tags: [{ Key: 'cdk-scaleout:origin-verify-revision', Value: 'r7' }],
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 50000, Conditions: [header] });
    const webTg = Match.objectLike({ TargetGroupArn: { Ref: Match.stringLikeRegexp('^WebTargetGroup') } });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 49999,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/health'] } }],
      Actions: [webTg],
    });
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 3);
    expectNoNagFindings(f.stack);
  });

  test('GIVEN openPaths [] WHEN a default route is added THEN no rule skips the header', () => {
    const { f, lb } = protectedLb({}, { openPaths: [] });
    new StatelessService(f.stack, 'Web', { vpc: f.network.vpc, image: IMAGE, loadBalancer: lb });
    const t = Template.fromStack(f.stack);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 50000, Conditions: [Match.objectLike({ Field: 'http-header' })] });
  });

  test('GIVEN originVerify with open paths WHEN no default route is added THEN synth fails naming the open paths', () => {
    const { f } = protectedLb();
    expect(() => Template.fromStack(f.stack)).toThrow(/originVerify.openPaths \/health forward to the default route, but no route without conditions was added/);
  });

  describe('rejects bad input', () => {
    const cases: Array<[string, Partial<ServiceLoadBalancerProps>, RegExp]> = [
      ['an NLB', { type: LoadBalancerType.NETWORK, originVerify: OriginVerifySecret.forLoadBalancer(SECRET) }, /originVerify needs type APPLICATION \(an NLB cannot read headers\), got type network/],
      ['a header name with a space', { originVerify: { headerName: 'X Verify', values: [ref('current')] } }, /originVerify.headerName must be 1–40 RFC 7230 token characters.*got 'X Verify'/],
      ['a 41-character header name', { originVerify: { headerName: 'X'.repeat(41), values: [ref('current')] } }, /originVerify.headerName must be 1–40 RFC 7230 token characters/],
      ['the Host header', { originVerify: { headerName: 'Host', values: [ref('current')] } }, /originVerify.headerName must not be a header CloudFront or the ALB reserve.*got 'Host'/],
      ['no values', { originVerify: { headerName: 'X-Origin-Verify', values: [] } }, /originVerify.values.length must be an integer between 1 and 4, got 0/],
      ['5 values', { originVerify: { headerName: 'X-Origin-Verify', values: Array(5).fill(ref('current')) } }, /originVerify.values.length must be an integer between 1 and 4, got 5/],
      ['a short literal value', { originVerify: { headerName: 'X-Origin-Verify', values: ['secret'] } }, /originVerify.values must be dynamic references or 32–128 letters and digits.*got a literal of 6 characters/],
      ['a wildcard literal value', { originVerify: { headerName: 'X-Origin-Verify', values: ['*'.repeat(40)] } }, /originVerify.values must be dynamic references or 32–128 letters and digits \(the ALB treats \* and \? as wildcards\)/],
      ['6 open paths', { originVerify: { ...OriginVerifySecret.forLoadBalancer(SECRET), openPaths: ['/a', '/b', '/c', '/d', '/e', '/f'] } }, /originVerify.openPaths.length must be an integer between 0 and 5, got 6/],
      ['a bad open path', { originVerify: { ...OriginVerifySecret.forLoadBalancer(SECRET), openPaths: ['health'] } }, /originVerify.openPaths must be a path of up to 128 characters starting with '\/'.*got 'health'/],
      ['a bad revision', { originVerify: { ...OriginVerifySecret.forLoadBalancer(SECRET), revision: 'a|b' } }, /originVerify.revision must be a tag value of 1–256 letters.*got 'a\|b'/],
    ];
    test.each(cases)('GIVEN %s WHEN created THEN throws', (_name, props, message) => {
      const f = fixture();
      expect(() => loadBalancer(f, props)).toThrow(message);
    });

    function withTargetGroup() {
      const { f, lb } = protectedLb({}, { openPaths: [] });
      const svc = new StatelessService(f.stack, 'Svc', { vpc: f.network.vpc, image: IMAGE, loadBalancer: lb, route: { enabled: false } });
      return { lb, tg: svc.targetGroup! };
    }

    test('GIVEN the three header values WHEN a route has three paths THEN throws counting all condition values', () => {
      const { lb, tg } = withTargetGroup();
      expect(() => lb.addRoute('R', { pathPatterns: ['/a', '/b', '/c'], priority: 1, targetGroups: [{ targetGroup: tg }] }))
        .toThrow(/route 'R': pathPatterns, hostHeaders and the 3 originVerify values may hold at most 5 values in all, got 6/);
    });

    test.each([49999, 50000])('GIVEN originVerify WHEN a route takes reserved priority %d THEN throws', (priority) => {
      const { lb, tg } = withTargetGroup();
      expect(() => lb.addRoute('R', { pathPatterns: ['/a'], priority, targetGroups: [{ targetGroup: tg }] }))
        .toThrow(new RegExp(`route 'R': priority ${priority} is reserved with originVerify \\(49999 open paths, 50000 default route\\); use 1–49998`));
    });
  });
});
