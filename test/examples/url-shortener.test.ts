import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildExamples } from '../../examples/examples';
import { ScaleoutStage } from '../../src';
import { nagFindings, testApp } from '../util';

describe('examples: the URL shortener and the four rungs', () => {
  const app = testApp();
  const stages = buildExamples(app);
  const stacks = (stage: ScaleoutStage): Stack[] => [...stage.regionalStacks, ...(stage.edge ? [stage.edge] : [])];

  test('GIVEN the examples WHEN built THEN each stage has its regions and, at rung 4, a us-east-1 edge stack', () => {
    const layout = Object.fromEntries(Object.entries(stages).map(([name, stage]) => [name, stacks(stage).map((s) => `${s.stackName}@${s.region}`)]));
    expect(layout).toEqual({
      UrlShortener: ['UrlShortener-eu-west-1@eu-west-1', 'UrlShortener-us-east-1@us-east-1', 'UrlShortener-ap-southeast-1@ap-southeast-1', 'UrlShortener-edge@us-east-1'],
      Rung1: ['Rung1-eu-central-1@eu-central-1'],
      Rung2: ['Rung2-eu-central-1@eu-central-1'],
      Rung3: ['Rung3-us-west-2@us-west-2'],
      Rung4: ['Rung4-eu-west-1@eu-west-1', 'Rung4-us-west-2@us-west-2', 'Rung4-edge@us-east-1'],
    });
  });

  test.each(['UrlShortener', 'Rung1', 'Rung2', 'Rung3', 'Rung4'])('GIVEN %s WHEN synthesized THEN every stack has zero unacknowledged AwsSolutions findings, no cross-region export, and fits the budgets', (name) => {
    for (const stack of stacks(stages[name])) {
      const json = Template.fromStack(stack).toJSON();
      const types = Object.values(json.Resources).map((r) => (r as { Type: string }).Type);
      expect({ stack: stack.stackName, crossRegion: types.filter((t) => /CrossRegion/.test(t)) }).toEqual({ stack: stack.stackName, crossRegion: [] });
      expect(JSON.stringify(json)).not.toMatch(/Fn::ImportValue/);
      expect(Object.keys(json.Resources).length).toBeLessThan(400);
      expect(JSON.stringify(json).length).toBeLessThan(800 * 1024);
      expect({ stack: stack.stackName, findings: nagFindings(stack) }).toEqual({ stack: stack.stackName, findings: [] });
    }
  });

  test('GIVEN the default example WHEN synthesized THEN each region is health-checked and latency-routed for the origin name', () => {
    const edge = Template.fromStack(stages.UrlShortener.edge!);
    edge.resourceCountIs('AWS::Route53::HealthCheck', 3);
    for (const region of ['eu-west-1', 'us-east-1', 'ap-southeast-1']) {
      edge.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { FullyQualifiedDomainName: `${region}.origin.example.com` } });
      edge.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'origin.example.com.', Region: region, AliasTarget: { DNSName: `${region}.origin.example.com`, EvaluateTargetHealth: true, HostedZoneId: 'Z0123456789EXAMPLE' },
      });
    }
    Template.fromStack(stages.UrlShortener.regional('ap-southeast-1')).hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'ap-southeast-1.origin.example.com.', AliasTarget: { EvaluateTargetHealth: true },
    });
  });

  test('GIVEN the default example WHEN synthesized THEN the workers run the worker role of the image', () => {
    const tds = Template.fromStack(stages.UrlShortener.regional('eu-west-1')).findResources('AWS::ECS::TaskDefinition');
    const workers = Object.entries(tds).filter(([id]) => /Worker/.test(id));
    expect(workers).toHaveLength(2);
    for (const [, td] of workers) expect(td.Properties.ContainerDefinitions[0].Environment).toContainEqual({ Name: 'ROLE', Value: 'worker' });
  });

  test('GIVEN the default example WHEN synthesized THEN the primary region owns the global database and the others follow it', () => {
    const [primary, ...secondaries] = stages.UrlShortener.regionalStacks;
    Template.fromStack(primary).resourceCountIs('AWS::RDS::GlobalCluster', 1);
    for (const s of secondaries) {
      expect(s.dependencies).toEqual([primary]);
      Template.fromStack(s).hasResourceProperties('AWS::RDS::DBCluster', { GlobalClusterIdentifier: 'urlshortener-db' });
    }
  });

  test('GIVEN the default example WHEN synthesized THEN the edge and primary region match the snapshot', () => {
    expect(Template.fromStack(stages.UrlShortener.edge!).toJSON()).toMatchSnapshot();
    expect(Template.fromStack(stages.UrlShortener.regional('eu-west-1')).toJSON()).toMatchSnapshot();
  });
});
