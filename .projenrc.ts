import { awscdk, javascript, JsonFile, YamlFile } from 'projen';
import { cdkJsonContext } from './projenrc/cdk-context';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-scaleout',
  description: 'Composable AWS CDK blueprints for horizontally scaled, multi-region web architectures: GeoDNS, edge, load balancing, stateless services, cache, database and async tiers.',
  author: 'cdk-scaleout maintainers',
  authorAddress: 'maintainers@cdk-scaleout.dev',
  license: 'Apache-2.0',
  repositoryUrl: 'https://github.com/cdk-scaleout/cdk-scaleout.git',
  keywords: ['cdk', 'aws-cdk', 'scaling', 'multi-region', 'ecs', 'fargate', 'load-balancer', 'cdk-nag'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  github: false,
  release: false,

  // cdk-nag 3 needs aws-cdk-lib >= 2.258.0 (see ../shared/TOOLCHAIN.md).
  cdkVersion: '2.276.0',
  jsiiVersion: '~6.0.0',
  peerDeps: ['cdk-nag@^3.0.2'],
  // The review command compares templates with the CDK CLI's own diff engine. Not a jsii
  // module, so it is bundled into the package.
  bundledDeps: ['@aws-cdk/cloudformation-diff@2.187.5'],
  bin: { 'cdk-scaleout': 'lib/review/cli.js' },
  devDeps: [
    // The CLI is pinned: npm's `latest` tag is a stale 3.0.0 that rejects current aws-cdk-lib.
    'aws-cdk@2.1148.1',
    'esbuild-register@^3.6.0',
    'esbuild@^0.25.0',
    'pretty-format@^30',
    '@aws-sdk/client-cloudfront@^3',
    'aws-sdk-client-mock@^4',
    // The URL shortener example's service (examples/url-shortener/service/): bundled by esbuild
    // into the container image, so these are dev dependencies of the library, never runtime ones.
    'pg@^8.16.0',
    '@types/pg@^8',
    'ioredis@^5.11.0',
    '@aws-sdk/client-sqs@^3',
    '@aws-sdk/client-sns@^3',
    '@aws-sdk/client-secrets-manager@^3',
    // The review's Markdown is checked with a real GFM parser (tables).
    'markdown-it@^14',
    '@types/markdown-it@^14',
    'autocannon@^8',
    '@types/autocannon@^7',
    // Integration tests (test/integ/integ.*.ts): IntegTest + live assertions. The registry's
    // newest alpha is 2.245.0-alpha.0 (no 2.276.0-alpha.0); its peer range aws-cdk-lib ^2.245.0
    // accepts 2.276.0. No @aws-cdk/integ-runner: the registry's newest (2.197.10) bundles cloud
    // assembly schema 53, has no switch past its version check and rejects aws-cdk-lib 2.276's
    // schema 55 (AssemblyVersionMismatch); snapshots are compared by test/integ/integ-snapshot.ts.
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // The AWS Control Tower proactive controls (CompliancePack.CONTROL_TOWER): cfn-guard 3.1.1
    // binaries and 474 Guard rules, 36 MB. A dev dependency: users who choose the pack install it
    // beside cdk-scaleout (Compliance loads it at synth and says so when it is missing).
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
  ],

  // Edge functions fail jsii with the default NODEJS_REGIONAL_LATEST runtime.
  lambdaOptions: { runtime: awscdk.LambdaRuntime.NODEJS_22_X },
  // Handlers are bundled explicitly below: the constructs bake configuration into the
  // bundles at synth (Lambda@Edge has no environment variables), which the generated
  // auto-discovery constructs cannot do.
  lambdaAutoDiscover: false,
  edgeLambdaAutoDiscover: false,

  jestOptions: {
    // Snapshot drift must fail the suite; `npm run test:update` rewrites snapshots on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      collectCoverage: false,
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts', 'projenrc'],
  },
  gitignore: ['cdk.out/', '/bench-results/', '/examples/url-shortener/service/dist/'],
});

// unrs-resolver 1.13.0 (via jest 30 and eslint-import-resolver-typescript) lists platform
// bindings that the registry does not serve at that version; npm records none of them and
// `npm ci` then rejects the lock file. 1.12.2 has every binding published.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// Lambda and Lambda@Edge handlers: CDK-free TypeScript next to their constructs, bundled by
// esbuild into assets/<path>/index.js (shipped in the npm package). The AWS SDK stays
// external: the Node.js runtime provides it. `npm ci` bundles them (prepare script) so that
// `npx cdk synth` works on a fresh clone.
const HANDLERS = [
  'edge/ab-test.edge-lambda',
  'edge/jwt-auth.edge-lambda',
  'edge/geo-content.edge-lambda',
  'edge/invalidate.lambda',
  'edge/purge.lambda',
  'edge/origin-verify-rotation.lambda',
];
for (const handler of HANDLERS) {
  project.bundler.addBundle(`src/${handler}.ts`, {
    platform: 'node',
    target: 'node22',
    externals: ['@aws-sdk/*'],
    minify: true,
    sourcemap: false,
  });
}
// The URL shortener's service: one file for the container image (examples/url-shortener/service/
// Dockerfile copies dist/main.js). Part of `bundle`, so `npm ci` (prepare) produces it and the
// image asset is complete at synth. pg-native is pg's optional native binding: never loaded.
const SERVICE_DIR = 'examples/url-shortener/service';
const serviceBundle = project.addTask('bundle:service', {
  description: 'Bundle the URL shortener service for its container image',
  exec: `esbuild ${SERVICE_DIR}/src/main.ts --bundle --platform=node --target=node20 --external:pg-native `
    + `--outfile=${SERVICE_DIR}/dist/main.js --log-level=warning`,
});
project.bundler.bundleTask.spawn(serviceBundle);
project.addScripts({ prepare: 'projen bundle' });
// ...but the published tarball carries no scripts: they are the repository's (projen tasks), and
// npm lists `prepare` as an install script when the tarball is installed.
project.tasks.tryFind('package:js')!.exec('node scripts/strip-pack-scripts.js dist/js');
project.addTask('example:local', {
  description: 'Run the URL shortener locally: PostgreSQL, Valkey/Redis, nginx, 3 instances, workers, the SQS/SNS stand-in',
  exec: `node -r esbuild-register ${SERVICE_DIR}/local/run.ts`,
  receiveArgs: true,
});
project.addTask('bench:app', {
  description: 'Load-test the URL shortener (autocannon → nginx → 1 and 3 instances) and print the figures',
  exec: `node -r esbuild-register ${SERVICE_DIR}/local/bench.ts`,
  receiveArgs: true,
});

for (const pattern of ['/examples/', '/scripts/', '/.ci/', '/cdk.json', 'cdk.out/', '/bench-results/', '/tsconfig.check.json']) {
  project.addPackageIgnore(pattern);
}

// ts-jest transpiles test files only (isolatedModules): type-check them, and through
// them the examples, before jest runs.
// One tsconfig covers src/, test/, examples/, scripts/ and projenrc/ for a single type-check
// pass (ts-jest only transpiles tests) and for eslint's type-aware rules.
new JsonFile(project, 'tsconfig.check.json', {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '.' },
    include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.ts', 'projenrc/**/*.ts', '.projenrc.ts'],
    exclude: ['node_modules'],
  },
});
// eslint's type-aware rules on one TypeScript program (tsconfig.check.json) instead of one per
// folder's tsconfig: 27 s of CPU → about a third, which keeps `npm test` inside its budget.
const eslintrc = project.tryFindObjectFile('.eslintrc.json');
eslintrc?.addDeletionOverride('parserOptions.projectService');
eslintrc?.addOverride('parserOptions.project', './tsconfig.check.json');
project.addTask('test:types', {
  description: 'Type-check src, tests, examples and scripts (ts-jest only transpiles tests)',
  exec: 'tsc -p tsconfig.check.json',
});
// `npm test` runs type-check, eslint and jest side by side (scripts/test.sh): one after the
// other they take ≈57 s on these 2-core machines, side by side ≈45 s (budget: 60 s).
project.testTask.reset('bash scripts/test.sh', { receiveArgs: true });
// Integ snapshots (test/integ/integ.<name>.ts.snapshot/): `npm test` compares them
// (integ-apps.test.ts); this rewrites them on purpose (integ-runner cannot read aws-cdk-lib
// 2.276's assemblies yet: test/integ/integ-snapshot.ts).
const integUpdate = project.addTask('integ:update', {
  description: 'Synthesize the integ apps (test/integ/integ.*.ts, or those named) and rewrite their committed snapshots',
  exec: 'node -r esbuild-register test/integ/update-snapshots.ts',
  receiveArgs: true,
});
// One command rewrites every snapshot: a blueprint change moves the unit and the integ snapshots.
project.tasks.tryFind('test:update')?.spawn(integUpdate);
// Collapsed in PR diffs like the jest snapshots (*.snap).
project.gitattributes.addAttributes('/test/integ/*.ts.snapshot/**', 'linguist-generated');

// The PR review workflow. Two jobs: `synth` runs the PR's code (its cdk app) with a read-only
// token and uploads both cloud assemblies; `review` runs the BASE branch's reviewer (a PR cannot
// change the code that reviews it) on both, keeps the full report as an artifact and updates one
// sticky comment (cut to 60,000 characters, GitHub's limit is 65,536) instead of adding one per push.
// (`github: false` above only turns off projen's build/release workflows.)
const baseSha = '${{ github.event.pull_request.base.sha }}';
new YamlFile(project, '.github/workflows/review.yml', {
  obj: {
    name: 'cdk-scaleout review',
    on: { pull_request: { types: ['opened', 'synchronize', 'reopened', 'edited'] } },
    concurrency: { 'group': 'cdk-scaleout-review-${{ github.event.pull_request.number }}', 'cancel-in-progress': true },
    permissions: { contents: 'read' },
    jobs: {
      synth: {
        'runs-on': 'ubuntu-latest',
        'permissions': { contents: 'read' },
        'steps': [
          { uses: 'actions/checkout@v4', with: { path: 'head-src' } },
          { uses: 'actions/checkout@v4', with: { ref: baseSha, path: 'base-src' } },
          { uses: 'actions/setup-node@v4', with: { 'node-version': '20' } },
          { name: 'Synthesize the head', run: 'cd head-src && npm ci && npx cdk synth -q -o "$RUNNER_TEMP/assemblies/head"' },
          { name: 'Synthesize the base', run: 'cd base-src && npm ci && npx cdk synth -q -o "$RUNNER_TEMP/assemblies/base"' },
          { uses: 'actions/upload-artifact@v4', with: { 'name': 'cdk-scaleout-assemblies', 'path': '${{ runner.temp }}/assemblies', 'retention-days': 7 } },
        ],
      },
      review: {
        'needs': 'synth',
        'runs-on': 'ubuntu-latest',
        'permissions': { 'contents': 'read', 'pull-requests': 'write' },
        'steps': [
          // The reviewer's code is the base branch's, never the PR's.
          { uses: 'actions/checkout@v4', with: { ref: baseSha } },
          { uses: 'actions/setup-node@v4', with: { 'node-version': '20' } },
          { run: 'npm ci' },
          { uses: 'actions/download-artifact@v4', with: { name: 'cdk-scaleout-assemblies', path: '${{ runner.temp }}/assemblies' } },
          {
            name: 'Review',
            id: 'review',
            env: { PR_BODY: '${{ github.event.pull_request.body }}' },
            run: [
              'printf \'%s\' "$PR_BODY" > "$RUNNER_TEMP/pr-body.md"',
              'set +e',
              'node -r esbuild-register src/review/cli.ts review --base "$RUNNER_TEMP/assemblies/base" --head "$RUNNER_TEMP/assemblies/head" '
                + '--pr-body "$RUNNER_TEMP/pr-body.md" --output "$RUNNER_TEMP/review.md" --comment "$RUNNER_TEMP/comment.md" --packs AwsSolutions --fail-on risk',
              'rc=$?',
              'echo "exit-code=$rc" >> "$GITHUB_OUTPUT"',
              // Bad input (exit 2) writes no report: the comment says so instead of going stale.
              '[ -f "$RUNNER_TEMP/comment.md" ] || printf \'## cdk-scaleout review\\n\\nThe review failed (exit %s): see the job log.\\n\' "$rc" > "$RUNNER_TEMP/comment.md"',
            ].join('\n'),
          },
          { uses: 'actions/upload-artifact@v4', with: { 'name': 'cdk-scaleout-review', 'path': '${{ runner.temp }}/review.md', 'if-no-files-found': 'ignore' } },
          // One comment per PR, updated on every push (the header identifies it).
          { name: 'Comment', uses: 'marocchino/sticky-pull-request-comment@v2', with: { header: 'cdk-scaleout-review', path: '${{ runner.temp }}/comment.md' } },
          {
            name: 'Fail on unacknowledged risks (or bad input)',
            run: 'test "${{ steps.review.outputs.exit-code }}" = 0',
          },
        ],
      },
    },
  },
});

project.addTask('bench', {
  description: 'Time `cdk synth` of every example and the test suite (median of 5), print a table',
  exec: 'node -r esbuild-register scripts/bench.ts',
  receiveArgs: true,
});

// The default example. esbuild-register transpiles without type-checking (≈1.8 s vs 9 s
// for ts-node); types are checked by `npm test`.
new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'node -r esbuild-register examples/app.ts',
    output: 'cdk.out',
    context: cdkJsonContext(),
  },
});

project.synth();
