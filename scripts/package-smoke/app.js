// A user's app against the packed library: a rung-1 stage, synthesized with the checks on.
const { App } = require('aws-cdk-lib');
const ecs = require('aws-cdk-lib/aws-ecs');
const { Compliance, DeployRehearsal, Rung, ScaleoutStage } = require('cdk-scaleout');

const app = new App({
  outdir: process.argv[2] || 'cdk.out',
  context: { 'availability-zones:account=111111111111:region=eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
});
Compliance.enable(app);
DeployRehearsal.enable(app);
new ScaleoutStage(app, 'Shop', {
  account: '111111111111', hostedZoneId: 'Z0123456789EXAMPLE', zoneName: 'example.com',
  regions: ['eu-west-1'], rung: Rung.SINGLE_SERVER,
  services: [{ name: 'Web', image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable') }],
});
const dir = Compliance.synthesize(app);
console.log(`synthesized ${dir}`);
