import { App } from 'aws-cdk-lib';
import { buildWebService } from './build';
import { Compliance, DataRetentionCheck, DeployRehearsal } from '../../src';

const app = new App();
// AwsSolutions checks and the deploy rehearsal at synth: `cdk synth` fails on an unacknowledged finding.
Compliance.enable(app);
DataRetentionCheck.enable(app);
DeployRehearsal.enable(app);
buildWebService(app);
Compliance.synthesize(app);
