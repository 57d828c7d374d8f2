import { App } from 'aws-cdk-lib';
import { Compliance, DeployRehearsal } from '../src';
import { buildExamples } from './examples';

const app = new App();
// AwsSolutions checks and the deploy rehearsal at synth; `Compliance.synthesize` fails on any
// unacknowledged finding of either, nested stages included.
Compliance.enable(app);
DeployRehearsal.enable(app);
buildExamples(app);
Compliance.synthesize(app);
