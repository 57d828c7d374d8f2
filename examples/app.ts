import { App } from 'aws-cdk-lib';
import { Compliance, CompliancePack, DataRetentionCheck, DeployRehearsal } from '../src';
import { buildExamples } from './examples';

const app = new App();
// AwsSolutions checks, the data-retention check and the deploy rehearsal at synth;
// `Compliance.synthesize` fails on any unacknowledged finding of any of them, nested stages included.
// `npx cdk synth -c cdk-scaleout:packs=all` runs every pack with the packs' construct defaults (the
// documented compliance profile; Control Tower adds ≈30 s); a comma-separated list picks packs.
Compliance.enable(app, { packs: packsFromContext(app.node.tryGetContext('cdk-scaleout:packs')) });
DataRetentionCheck.enable(app);
DeployRehearsal.enable(app);
buildExamples(app);
Compliance.synthesize(app);

/** The packs of `-c cdk-scaleout:packs=<all|AwsSolutions,NIST.800.53.R5,…>`; AwsSolutions when unset. */
function packsFromContext(value: unknown): CompliancePack[] {
  if (value === undefined) return [CompliancePack.AWS_SOLUTIONS];
  const known = Object.values(CompliancePack) as string[];
  if (value === 'all') return known as CompliancePack[];
  return String(value).split(',').map((p) => p.trim()).map((p) => {
    if (!known.includes(p)) throw new Error(`cdk-scaleout:packs: unknown pack '${p}', expected 'all' or some of ${known.join(', ')}`);
    return p as CompliancePack;
  });
}
