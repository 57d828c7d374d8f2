/**
 * `npx projen integ:update [integ.<name>.ts …]`: synthesizes the integ apps (all, or those named)
 * with aws-cdk-lib's CloudFormation validation on, and rewrites their committed snapshots
 * (`test/integ/integ.<name>.ts.snapshot/`, see integ-snapshot.ts). Review the diff before committing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { integApps, snapshotDifferences, snapshotDir, snapshotFiles, synthIntegApp, writeSnapshot } from './integ-snapshot';

const requested = process.argv.slice(2).map((a) => path.basename(a));
const apps = requested.length ? requested : integApps();
for (const app of apps) {
  if (!integApps().includes(app)) throw new Error(`no integ app ${app} in test/integ; there are ${integApps().join(', ')}`);
  const outdir = synthIntegApp(app);
  try {
    const files = snapshotFiles(outdir);
    const changed = snapshotDifferences(app, files).length > 0;
    writeSnapshot(app, files);
    console.log(`${app}: ${changed ? 'updated' : 'unchanged'} ${path.relative(process.cwd(), snapshotDir(app))}/ (${files.size} files)`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
