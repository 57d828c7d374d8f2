import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Compliance, DataRetentionCheck, DataRetentionPlugin } from '../../src';
import { CDK_JSON_CONTEXT, quietly, testApp } from '../util';

/** An app with a stage nested two deep whose stack holds a bucket destroyed on deletion. */
function nestedApp(failSynth = true): { app: App; bucket: s3.Bucket } {
  const app = new App({ builtinCloudFormationValidation: false, context: { ...CDK_JSON_CONTEXT, '@aws-cdk/core:failSynthOnValidationErrors': failSynth } });
  const inner = new Stage(new Stage(app, 'Outer'), 'Inner');
  const bucket = new s3.Bucket(new Stack(inner, 'Data'), 'Doomed', { removalPolicy: RemovalPolicy.DESTROY });
  return { app, bucket };
}

describe('DataRetentionCheck across stages', () => {
  test('GIVEN enable(app) WHEN a stack two stages down destroys a bucket THEN synth of the whole app fails naming the resource', () => {
    const { app } = nestedApp();
    DataRetentionCheck.enable(app);
    expect(() => quietly(() => app.synth())).toThrow(/Outer\/Inner\/Data\/Doomed\/Resource[\s\S]*DataRetention-StatefulResourceDestroyed/);
  });

  test('GIVEN the aspect on the app WHEN a nested stage destroys a bucket THEN synth fails too (the aspect alone stops at the stage)', () => {
    const { app } = nestedApp();
    Aspects.of(app).add(new DataRetentionCheck());
    expect(() => quietly(() => app.synth())).toThrow(/AWS::S3::Bucket would be destroyed \(DeletionPolicy Delete, UpdateReplacePolicy Delete\)/);
  });

  test('GIVEN the aspect and a destroyed bucket in the app itself WHEN synthesized THEN it is an error annotation, reported once', () => {
    const app = testApp();
    Aspects.of(app).add(new DataRetentionCheck());
    new Stage(app, 'Empty');
    new s3.Bucket(new Stack(app, 'Top'), 'Doomed', { removalPolicy: RemovalPolicy.DESTROY });
    const assembly = app.synth();
    expect(assembly.getStackByName('Top').messages.filter((m) => m.level === 'error')).toHaveLength(1);
    const report = path.join(assembly.directory, 'validation-report.json');
    const plugin = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf-8')).pluginReports.find((r: { pluginName: string }) => r.pluginName === 'DataRetentionCheck') : undefined;
    expect(plugin?.conclusion ?? 'success').toBe('success');
  });

  test('GIVEN an opt-out with a reason in the nested stage WHEN synthesized THEN synth succeeds', () => {
    const { app, bucket } = nestedApp();
    DataRetentionCheck.enable(app);
    DataRetentionCheck.allowDeletion(bucket, 'scratch data, rebuilt nightly');
    expect(() => app.synth()).not.toThrow();
  });

  test('GIVEN an app that only records validation failures WHEN Compliance.synthesize runs THEN it throws on the retention finding', () => {
    const { app } = nestedApp(false);
    DataRetentionCheck.enable(app);
    expect(() => quietly(() => Compliance.synthesize(app))).toThrow(/DataRetention-StatefulResourceDestroyed at Outer\/Inner\/Data\/Doomed\/Resource \(DataRetentionCheck\)/);
  });

  test('GIVEN an Aurora cluster destroyed on deletion WHEN checked THEN the cluster is reported, not its instances', () => {
    const app = testApp();
    const stack = new Stack(app, 'Db', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc');
    new rds.DatabaseCluster(stack, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_8 }),
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      vpc,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    app.synth({ force: true });
    const paths = new DataRetentionPlugin(app).validate({} as never).violations.map((v) => v.violatingResources[0].constructPath);
    expect(paths.filter((p) => /Cluster\/(Resource|Writer)/.test(p!))).toEqual(['Db/Cluster/Resource']);
  });

  test('GIVEN a stack WHEN enabled THEN throws', () => {
    expect(() => DataRetentionCheck.enable(new Stack(new App(), 'S'))).toThrow(/scope must be an App or a Stage, got 'S'/);
  });
});
