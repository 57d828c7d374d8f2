/**
 * Benchmark: wall time and peak memory of `cdk synth` for every example (median of N runs),
 * of the bare example app without the CLI, and of the test suite; the edge handlers' bundle
 * sizes and per-request cost. Prints Markdown tables.
 *
 *   npm run bench                 # 5 synth runs per example, 1 test-suite run
 *   npm run bench -- --runs 3 --test-runs 3 --no-tests
 *
 * Peak memory comes from GNU time (/usr/bin/time); without it the column reads n/a.
 */
import { spawnSync } from 'child_process';
import { generateKeyPairSync, sign } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import * as ab from '../src/edge/ab-test.edge-lambda';
import * as geo from '../src/edge/geo-content.edge-lambda';
import * as jwt from '../src/edge/jwt-auth.edge-lambda';
import { ViewerRequestFunction } from '../src/edge/viewer-request-function';

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const runs = flag('--runs', 5);
const testRuns = args.includes('--no-tests') ? 0 : flag('--test-runs', 1);
const gnuTime = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Sample { readonly seconds: number; readonly maxRssMiB?: number }

function measure(command: string, env: NodeJS.ProcessEnv = {}): Sample {
  const timeFile = path.join(os.tmpdir(), `bench-time-${process.pid}`);
  const argv = gnuTime ? [gnuTime, '-o', timeFile, '-f', '%M', 'bash', '-c', command] : ['bash', '-c', command];
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`'${command}' failed with exit ${result.status}:\n${result.stderr.toString().slice(-2000)}`);
  }
  let maxRssMiB: number | undefined;
  if (gnuTime) {
    const kib = Number(fs.readFileSync(timeFile, 'utf-8').trim().split('\n').pop());
    maxRssMiB = kib / 1024;
  }
  return { seconds, maxRssMiB };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function row(name: string, command: string, n: number, env?: NodeJS.ProcessEnv): string {
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) samples.push(measure(command, env));
  const secs = samples.map((s) => s.seconds);
  const mem = samples.map((s) => s.maxRssMiB).filter((m): m is number => m !== undefined);
  const memText = mem.length ? `${Math.round(Math.max(...mem))} MiB` : 'n/a';
  return `| ${name} | ${n} | ${median(secs).toFixed(2)} s | ${Math.min(...secs).toFixed(2)}–${Math.max(...secs).toFixed(2)} s | ${memText} |`;
}

const apps: Array<[string, string]> = [['all examples (examples/app.ts)', 'examples/app.ts']];
for (const d of fs.readdirSync(path.join(root, 'examples')).sort()) {
  if (fs.existsSync(path.join(root, 'examples', d, 'app.ts'))) apps.push([d, `examples/${d}/app.ts`]);
}

const lines = [
  `Benchmark on ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  '',
  '| what | runs | median | range | peak RSS |',
  '|---|---|---|---|---|',
];
const cdkJsonContext = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf-8')).context;
for (const [name, file] of apps) {
  const app = `node -r esbuild-register ${file}`;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  lines.push(row(`cdk synth ${name}`, `npx cdk synth -q --app '${app}' --output ${out}`, runs));
  lines.push(row(`cdk synth ${name} (--no-validation)`, `npx cdk synth -q --no-validation --app '${app}' --output ${out}`, runs));
  lines.push(row(`bare app ${name} (no CLI)`, app, runs, { CDK_OUTDIR: out, CDK_CONTEXT_JSON: JSON.stringify(cdkJsonContext) }));
}
// Synth time as regions are added (URL shortener, rung 4).
for (const n of [1, 3, 5]) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-regions-'));
  lines.push(row(`cdk synth URL shortener, ${n} region(s) + edge`, `npx cdk synth -q --app 'node -r esbuild-register scripts/bench-regions-app.ts' --output ${out}`, runs, { BENCH_REGIONS: String(n) }));
}
// Resources and size per stack of the default example.
const defaultOut = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-default-'));
measure(`npx cdk synth -q --app 'node -r esbuild-register examples/app.ts' --output ${defaultOut}`);
const sizes = ['', '| stack (default example) | resources | template |', '|---|---|---|'];
const assemblyDir = path.join(defaultOut, 'assembly-UrlShortener');
for (const f of fs.readdirSync(assemblyDir).filter((x) => x.endsWith('.template.json')).sort()) {
  const text = fs.readFileSync(path.join(assemblyDir, f), 'utf-8');
  sizes.push(`| ${f.replace('.template.json', '')} | ${Object.keys(JSON.parse(text).Resources).length} | ${(text.length / 1024).toFixed(0)} KB |`);
}
if (testRuns > 0) lines.push(row('npm test (types + jest + eslint)', 'npm test', testRuns));
console.log([...lines, ...sizes].join('\n'));

// ---- edge handlers: bundle size (budget 10 KB, AWS SDK external) and per-request cost ----
async function handlerCosts(): Promise<void> {

  const event = (uri: string, headers: Record<string, string>) => ({
    Records: [{ cf: { request: { method: 'GET', uri, querystring: '', headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [{ key: k, value: v }]])) } } }],
  });
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${b64({ alg: 'ES256' })}.${b64({ exp: Date.now() / 1000 + 3600 })}`;
  const token = `${unsigned}.${sign('SHA256', Buffer.from(unsigned), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  const cfFunction = new vm.Script(`${ViewerRequestFunction.renderCode({ redirects: { '/old': '/new' } })}; handler(event)`);
  const cfContext = vm.createContext({ event: { request: { uri: '/p', querystring: { utm_source: { value: 'x' }, b: { value: '1' } }, headers: {} } } });

  const cases: Array<[string, string, () => unknown]> = [
    ['ab-test (returning visitor)', 'ab-test.edge-lambda', (() => {
      const h = ab.createHandler({ cookieName: 'ab', cookieMaxAgeSeconds: 60, variants: [{ name: 'a', weight: 1, pathPrefix: '' }, { name: 'b', weight: 1, pathPrefix: '/b' }] });
      return () => h(event('/p', { cookie: 'ab=b' }) as never);
    })()],
    ['jwt-auth (ES256 verify)', 'jwt-auth.edge-lambda', (() => {
      const h = jwt.createHandler({ publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), algorithm: 'ES256', leewaySeconds: 30 });
      return () => h(event('/p', { authorization: `Bearer ${token}` }) as never);
    })()],
    ['geo-content', 'geo-content.edge-lambda', (() => {
      const h = geo.createHandler({ countries: { DE: { pathPrefix: '/de', headers: { 'X-Currency': 'EUR' } } } });
      return () => h(event('/p', { 'cloudfront-viewer-country': 'DE' }) as never);
    })()],
    ['CloudFront Function (normalize)', '', () => cfFunction.runInContext(cfContext)],
  ];
  const out = ['', '| edge handler | bundle | median per request (5 rounds × 2,000 calls) |', '|---|---|---|'];
  for (const [name, bundle, call] of cases) {
    const file = bundle ? path.join(root, 'assets', 'edge', bundle, 'index.js') : '';
    const size = file && fs.existsSync(file) ? `${(fs.statSync(file).size / 1024).toFixed(1)} KB` : 'n/a';
    const rounds: number[] = [];
    for (let r = 0; r < 5; r++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 2000; i++) await call();
      rounds.push(Number(process.hrtime.bigint() - start) / 1e3 / 2000);
    }
    out.push(`| ${name} | ${size} | ${median(rounds).toFixed(1)} µs |`);
  }
  for (const bundle of ['invalidate.lambda', 'purge.lambda']) {
    const file = path.join(root, 'assets', 'edge', bundle, 'index.js');
    out.push(`| ${bundle} (not at the edge) | ${fs.existsSync(file) ? (fs.statSync(file).size / 1024).toFixed(1) + ' KB' : 'n/a'} | — |`);
  }
  console.log(out.join('\n'));
}
void handlerCosts();
