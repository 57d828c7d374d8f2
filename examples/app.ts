import { App } from 'aws-cdk-lib';
import { Compliance } from '../src';
import { buildExamples } from './examples';

const app = new App();
// AwsSolutions checks at synth; `Compliance.synthesize` fails on any unacknowledged finding,
// nested stages included.
Compliance.enable(app);
buildExamples(app);
Compliance.synthesize(app);
