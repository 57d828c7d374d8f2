import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ScaleoutStage } from '../../src';
import { CDK_JSON_CONTEXT } from '../util';

const SNIPPET_FILE = path.join(__dirname, 'readme-overrides-snippet.ts');

describe('the README per-tier overrides snippet', () => {
  test('GIVEN the README WHEN its snippet is compared with the type-checked copy THEN they are the same code', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
    const section = readme.slice(readme.indexOf('### Per-tier overrides'));
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)![1];
    const copy = fs.readFileSync(SNIPPET_FILE, 'utf-8').split('\n').filter((l) => !l.startsWith('//')).join('\n')
      .replace("from '../../src';", "from 'cdk-scaleout';").replace(/\nexport \{ app \};\n$/, '');
    expect(copy).toEqual(snippet);
  });

  test('GIVEN the snippet WHEN run THEN it synthesizes with its stage-wide and per-region overrides applied', () => {
    const previous = process.env.CDK_CONTEXT_JSON;
    process.env.CDK_CONTEXT_JSON = JSON.stringify(CDK_JSON_CONTEXT); // cdk.json's AZs: no lookups
    let app: App;
    try {
      // Loaded here, not imported at the top: the snippet's `new App()` must see cdk.json's context.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- typed by the import type below
      app = (require('./readme-overrides-snippet') as typeof import('./readme-overrides-snippet')).app;
    } finally {
      if (previous === undefined) delete process.env.CDK_CONTEXT_JSON; else process.env.CDK_CONTEXT_JSON = previous;
    }
    const stage = app.node.findChild('Prod') as ScaleoutStage;
    const eu = Template.fromStack(stage.regional('eu-west-1'));
    const us = Template.fromStack(stage.regional('us-west-2'));
    eu.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 14 });
    us.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 7 });
    eu.resourceCountIs('AWS::RDS::DBProxy', 1);
    us.resourceCountIs('AWS::RDS::DBProxy', 0);
    us.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'ecs:service:DesiredCount', MaxCapacity: 6 });
    Template.fromStack(stage.edge!).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: { PriceClass: 'PriceClass_100' },
    });
  });
});
