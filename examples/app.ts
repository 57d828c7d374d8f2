import { App } from 'aws-cdk-lib';
import { Compliance, DataRetentionCheck, DeployRehearsal } from '../src';
import { buildExamples } from './examples';

const app = new App();
// AwsSolutions checks, the data-retention check and the deploy rehearsal at synth;
// `Compliance.synthesize` fails on any unacknowledged finding of any of them, nested stages included.
Compliance.enable(app);
DataRetentionCheck.enable(app);
DeployRehearsal.enable(app);
buildExamples(app);
Compliance.synthesize(app);
