/**
 * Starts the service's local stack on loopback ports in a temporary directory: PostgreSQL,
 * Valkey/Redis (AUTH on) and nginx from the system packages, the SQS/SNS stand-in, N service
 * instances behind nginx (`least_conn`) and a worker. Used by `npm run example:local`, the
 * tests (test/examples/service/) and `npm run bench:app`.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';
import Redis from 'ioredis';
import { Client } from 'pg';
import { AwsStandIn } from './aws-standin';

export const SERVICE_DIR = path.join(__dirname, '..');
const REDIS_PASSWORD = 'local-auth-token-0123456789';

function which(candidates: string[]): string | undefined {
  for (const c of candidates) {
    if (c.includes('/')) {
      if (fs.existsSync(c)) return c;
      continue;
    }
    for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/usr/local/bin'])) {
      const p = path.join(dir, c);
      if (fs.existsSync(p)) return p;
    }
  }
  return undefined;
}

function pgBin(name: string): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  return which([...versions.map(v => path.join(root, v, 'bin', name)), name]);
}

export interface Binaries {
  initdb?: string;
  postgres?: string;
  redis?: string;
  nginx?: string;
}

export function findBinaries(): Binaries {
  return { initdb: pgBin('initdb'), postgres: pgBin('postgres'), redis: which(['valkey-server', 'redis-server']), nginx: which(['nginx']) };
}

/** Names of the missing server binaries (empty: everything is there). */
export function missingBinaries(b = findBinaries()): string[] {
  return Object.entries(b).filter(([, v]) => !v).map(([k]) => k);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs} ms`);
    await new Promise(r => setTimeout(r, delay));
  }
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

function exited(p: ChildProcess): Promise<number | null> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p.exitCode);
  return new Promise(resolve => p.once('exit', code => resolve(code)));
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs as the `postgres` user when we are root (postgres refuses to run as root). */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

/** A throwaway CA and a server certificate for 127.0.0.1 / localhost (TLS as deployed). */
export interface TlsFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export function makeTls(dir: string): TlsFiles | undefined {
  const openssl = which(['openssl']);
  if (!openssl) return undefined;
  const f = (n: string) => path.join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  execFileSync(openssl, ['req', '-x509', ...ec, '-days', '2', '-subj', '/CN=shortener-local-ca', '-keyout', f('ca.key'), '-out', f('ca.pem')], { stdio: 'ignore' });
  execFileSync(openssl, ['req', ...ec, '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr')], { stdio: 'ignore' });
  fs.writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  execFileSync(openssl, ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial',
    '-days', '2', '-extfile', f('san.ext'), '-out', f('server.pem')], { stdio: 'ignore' });
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

/** A role whose password PostgreSQL checks (every other local role is trusted). */
export const PASSWORD_ROLE = 'pw_rotating';

export class Postgres {
  proc?: ChildProcess;
  readonly dataDir: string;
  constructor(private readonly bin: Binaries, private readonly dir: string, readonly port: number, readonly tls?: TlsFiles) {
    this.dataDir = path.join(dir, 'pg');
  }

  /** Client settings for the harness's own connections (TLS verified when on). */
  clientConfig(database = 'shortener') {
    return {
      host: '127.0.0.1',
      port: this.port,
      user: 'postgres',
      database,
      ssl: this.tls ? { rejectUnauthorized: true, ca: fs.readFileSync(this.tls.ca, 'utf8') } : false,
    };
  }

  async start(): Promise<void> {
    if (!fs.existsSync(path.join(this.dataDir, 'PG_VERSION'))) {
      fs.mkdirSync(this.dataDir, { recursive: true });
      if (isRoot()) execFileSync('chown', ['-R', 'postgres', this.dataDir]);
      const [cmd, args] = asPostgres(this.bin.initdb!, ['-D', this.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
      execFileSync(cmd, args, { stdio: 'ignore' });
      // The role PASSWORD_ROLE must give its password (scram), as on Aurora: the rotation test
      // changes its password under a running service. The harness's own role is trusted.
      const passwordRoles = `${this.tls ? 'hostssl' : 'host'} all ${PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n`;
      fs.writeFileSync(path.join(this.dataDir, 'pg_hba.conf'), this.tls
        // Like rds.force_ssl: TCP connections must use TLS.
        ? `local all all trust\n${passwordRoles}hostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n`
        : `local all all trust\n${passwordRoles}host all all 127.0.0.1/32 trust\n`);
      if (this.tls) {
        fs.copyFileSync(this.tls.cert, path.join(this.dataDir, 'server.crt'));
        fs.copyFileSync(this.tls.key, path.join(this.dataDir, 'server.key'));
        fs.chmodSync(path.join(this.dataDir, 'server.key'), 0o600);
        if (isRoot()) execFileSync('chown', ['-R', 'postgres', this.dataDir]);
      }
    }
    const [cmd, args] = asPostgres(this.bin.postgres!, [
      '-D', this.dataDir, '-p', String(this.port), '-k', this.dataDir, '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
      ...(this.tls ? ['-c', 'ssl=on', '-c', 'ssl_cert_file=server.crt', '-c', 'ssl_key_file=server.key'] : []),
    ]);
    const log = fs.openSync(path.join(this.dir, 'postgres.log'), 'a');
    this.proc = spawn(cmd, args, { stdio: ['ignore', log, log] });
    await waitFor('postgres', async () => {
      if (this.proc!.exitCode !== null) throw new Error(`postgres exited: see ${this.dir}/postgres.log`);
      return (await tcpOpen(this.port)) && this.psqlOk();
    });
  }

  private async psqlOk(): Promise<boolean> {
    const c = new Client(this.clientConfig('postgres'));
    try {
      await c.connect();
      const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', ['shortener']);
      if (r.rowCount === 0) await c.query('CREATE DATABASE shortener');
      return true;
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  /** Fast shutdown (SIGINT): what "the database is down" looks like to the service. */
  async stop(): Promise<void> {
    if (!this.proc) return;
    const p = this.proc;
    this.proc = undefined;
    // Signal the postgres process itself (runuser forwards signals but be explicit).
    const pidFile = path.join(this.dataDir, 'postmaster.pid');
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : p.pid;
    try {
      process.kill(pid!, 'SIGINT');
    } catch { /* gone */ }
    await exited(p);
  }
}

export class RedisServer {
  proc?: ChildProcess;
  readonly password = REDIS_PASSWORD;
  constructor(private readonly bin: Binaries, private readonly dir: string, readonly port: number, readonly tls?: TlsFiles) {}

  async start(): Promise<void> {
    const log = fs.openSync(path.join(this.dir, 'redis.log'), 'a');
    const listen = this.tls
      ? ['--port', '0', '--tls-port', String(this.port), '--tls-cert-file', this.tls.cert, '--tls-key-file', this.tls.key,
        '--tls-ca-cert-file', this.tls.ca, '--tls-auth-clients', 'no']
      : ['--port', String(this.port)];
    this.proc = spawn(this.bin.redis!, [
      ...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--dir', this.dir, '--requirepass', this.password, '--daemonize', 'no',
    ], { stdio: ['ignore', log, log] });
    await waitFor('redis', async () => {
      if (this.proc!.exitCode !== null) throw new Error(`redis exited: see ${this.dir}/redis.log`);
      return tcpOpen(this.port);
    });
  }

  async stop(): Promise<void> {
    if (!this.proc) return;
    const p = this.proc;
    this.proc = undefined;
    p.kill('SIGTERM');
    await exited(p);
  }
}

/**
 * A Valkey/Redis cluster (cluster mode enabled, 3 primaries, TLS and AUTH like the stack's single
 * node): what CACHE_CLUSTER_MODE=true talks to at rung 4.
 */
export class RedisCluster {
  readonly procs: ChildProcess[] = [];
  ports: number[] = [];
  constructor(private readonly bin: Binaries, private readonly dir: string, readonly password: string, readonly tls?: TlsFiles) {}

  async start(nodes = 3): Promise<void> {
    this.ports = await Promise.all(Array.from({ length: nodes }, () => freePort()));
    const busPorts = await Promise.all(this.ports.map(() => freePort()));
    const tlsArgs = this.tls ? ['--tls-cert-file', this.tls.cert, '--tls-key-file', this.tls.key, '--tls-ca-cert-file', this.tls.ca, '--tls-auth-clients', 'no'] : [];
    this.ports.forEach((port, i) => {
      const nodeDir = path.join(this.dir, `cluster-${port}`);
      fs.mkdirSync(nodeDir, { recursive: true });
      const log = fs.openSync(path.join(nodeDir, 'redis.log'), 'a');
      const listen = this.tls ? ['--port', '0', '--tls-port', String(port), '--tls-cluster', 'yes', '--tls-replication', 'yes', ...tlsArgs] : ['--port', String(port)];
      this.procs.push(spawn(this.bin.redis!, [
        ...listen, '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-port', String(busPorts[i]),
        '--cluster-config-file', path.join(nodeDir, 'nodes.conf'), '--dir', nodeDir, '--save', '', '--appendonly', 'no',
        '--requirepass', this.password, '--masterauth', this.password,
      ], { stdio: ['ignore', log, log] }));
    });
    await Promise.all(this.ports.map(port => waitFor(`cluster node ${port}`, () => tcpOpen(port))));
    // Slots split evenly, then CLUSTER MEET (what `redis-cli --cluster create` does, without its 1 s polls).
    const clients = this.ports.map(port => new Redis({
      host: '127.0.0.1',
      port,
      password: this.password,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      tls: this.tls ? { ca: fs.readFileSync(this.tls.ca, 'utf8') } : undefined,
    }));
    try {
      const per = Math.ceil(16384 / nodes);
      await Promise.all(clients.map((c, i) => c.call('CLUSTER', 'ADDSLOTSRANGE', String(i * per), String(Math.min(16383, (i + 1) * per - 1)))));
      // Every node meets every other (gossip alone takes seconds to spread the third node).
      await Promise.all(clients.flatMap((c, i) => this.ports.map((port, j) =>
        i === j ? undefined : c.call('CLUSTER', 'MEET', '127.0.0.1', String(port), String(busPorts[j])))));
      await waitFor('cluster_state:ok', async () => {
        const infos = await Promise.all(clients.map(c => c.call('CLUSTER', 'INFO') as Promise<string>));
        return infos.every(info => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${nodes}`));
      });
    } finally {
      clients.forEach(c => c.disconnect());
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.procs.map(p => {
      p.kill('SIGTERM');
      return exited(p);
    }));
  }
}

export class Nginx {
  proc?: ChildProcess;
  constructor(private readonly bin: Binaries, private readonly dir: string, readonly port: number) {}

  /** The seeds' L7 config: least_conn over the instances, keep-alive upstream connections. */
  config(upstreams: number[]): string {
    return `
worker_processes 1;
daemon off;
pid ${this.dir}/nginx.pid;
error_log ${this.dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${this.dir}/nginx-tmp/body;
  proxy_temp_path ${this.dir}/nginx-tmp/proxy;
  fastcgi_temp_path ${this.dir}/nginx-tmp/fastcgi;
  uwsgi_temp_path ${this.dir}/nginx-tmp/uwsgi;
  scgi_temp_path ${this.dir}/nginx-tmp/scgi;
  upstream shortener {
    least_conn;
${upstreams.map(p => `    server 127.0.0.1:${p} max_fails=0;`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${this.port};
    keepalive_timeout 65s;
    keepalive_requests 100000;
    location / {
      proxy_pass http://shortener;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
    }
  }
}
`;
  }

  async start(upstreams: number[]): Promise<void> {
    fs.mkdirSync(path.join(this.dir, 'nginx-tmp'), { recursive: true, mode: 0o777 });
    fs.chmodSync(path.join(this.dir, 'nginx-tmp'), 0o777);
    const conf = path.join(this.dir, 'nginx.conf');
    fs.writeFileSync(conf, this.config(upstreams));
    const log = fs.openSync(path.join(this.dir, 'nginx.log'), 'a');
    this.proc = spawn(this.bin.nginx!, ['-c', conf, '-p', this.dir, '-e', path.join(this.dir, 'nginx-error.log')], { stdio: ['ignore', log, log] });
    await waitFor('nginx', async () => {
      if (this.proc!.exitCode !== null) throw new Error(`nginx exited: see ${this.dir}/nginx-error.log`);
      return tcpOpen(this.port);
    });
  }

  async stop(): Promise<void> {
    if (!this.proc) return;
    const p = this.proc;
    this.proc = undefined;
    p.kill('SIGQUIT');
    await exited(p);
  }
}

/** One service process (the esbuild bundle, as in the image). */
export class ServiceProcess {
  proc?: ChildProcess;
  readonly logFile: string;
  constructor(readonly name: string, private readonly bundle: string, dir: string, readonly port: number, readonly env: Record<string, string>) {
    this.logFile = path.join(dir, `${name}.log`);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const log = fs.openSync(this.logFile, 'a');
    this.proc = spawn(process.execPath, [this.bundle], {
      env: { PATH: process.env.PATH ?? '', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', log, log],
    });
    const web = /redirect|api/.test(this.env.ROLE ?? '');
    await waitFor(this.name, async () => {
      if (this.proc!.exitCode !== null) throw new Error(`${this.name} exited ${this.proc!.exitCode}: ${fs.readFileSync(this.logFile, 'utf8').slice(-2000)}`);
      if (web) return (await fetch(`${this.url}/ready`)).status === 200;
      return fs.readFileSync(this.logFile, 'utf8').includes('worker polling');
    });
  }

  /** Sends a signal and resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.proc) return null;
    const p = this.proc;
    this.proc = undefined;
    p.kill(signal);
    return exited(p);
  }

  async metrics(): Promise<Record<string, number | string>> {
    return (await fetch(`${this.url}/metrics`)).json() as Promise<Record<string, number | string>>;
  }
}

/** Bundles the service with esbuild, as the image build does (`pg-native` external). */
export async function buildBundle(outfile: string): Promise<string> {
  await esbuild.build({
    entryPoints: [path.join(SERVICE_DIR, 'src', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['pg-native'],
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/** dist/main.js (`npx projen bundle`) when it is newer than every source file, else undefined. */
export function freshDistBundle(): string | undefined {
  const dist = path.join(SERVICE_DIR, 'dist', 'main.js');
  if (!fs.existsSync(dist)) return undefined;
  const built = fs.statSync(dist).mtimeMs;
  const src = path.join(SERVICE_DIR, 'src');
  return fs.readdirSync(src).every(f => fs.statSync(path.join(src, f)).mtimeMs <= built) ? dist : undefined;
}

export interface StackOptions {
  /** Service instances behind nginx. @default 3 */
  readonly instances?: number;
  /** Start the worker. @default true */
  readonly worker?: boolean;
  /** Extra environment for the web instances (and the worker). */
  readonly env?: Record<string, string>;
  readonly workerEnv?: Record<string, string>;
  readonly visibilityTimeoutSeconds?: number;
  readonly maxReceiveCount?: number;
  /** An existing bundle; otherwise one is built into the temp dir. */
  readonly bundle?: string;
  /** TLS to PostgreSQL (required, as rds.force_ssl) and Valkey/Redis, with a throwaway CA. @default true when openssl is there */
  readonly tls?: boolean;
  /** Also start a 3-shard cluster-mode Valkey/Redis (`stack.cluster`, ready when `stack.clusterReady` resolves). @default false */
  readonly cacheCluster?: boolean;
  /** nginx's port. @default - a free port */
  readonly port?: number;
  /** Keep the temp dir (logs) after stop. */
  readonly keep?: boolean;
}

export class LocalStack {
  readonly bin = findBinaries();
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shortener-'));
  pg!: Postgres;
  redis!: RedisServer;
  nginx!: Nginx;
  aws!: AwsStandIn;
  instances: ServiceProcess[] = [];
  worker?: ServiceProcess;
  previewsWorker?: ServiceProcess;
  tls?: TlsFiles;
  cluster?: RedisCluster;
  /** Resolves when the cluster is up (cluster mode needs ~2 s: started early, in parallel). */
  clusterReady: Promise<void> = Promise.resolve();
  bundle = '';
  constructor(readonly options: StackOptions = {}) {
    fs.chmodSync(this.dir, 0o755);
    // If the owner exits without stop() (a crash, a killed test run), leave no servers behind.
    process.once('exit', this.killAll);
  }

  private readonly killAll = () => {
    const procs = [...this.instances, this.worker, this.previewsWorker, this.nginx, this.redis].map(x => x?.proc).concat(this.cluster?.procs ?? []);
    for (const p of procs) if (p?.pid && p.exitCode === null) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
    const pidFile = this.pg ? path.join(this.pg.dataDir, 'postmaster.pid') : '';
    if (this.pg?.proc && fs.existsSync(pidFile)) try { process.kill(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT'); } catch { /* gone */ }
  };

  get url(): string {
    return `http://127.0.0.1:${this.nginx.port}`;
  }

  /** Environment shared by every role: what the constructs set, pointed at loopback. */
  baseEnv(): Record<string, string> {
    return {
      DB_HOST: '127.0.0.1',
      DB_READER_HOST: '127.0.0.1',
      DB_PORT: String(this.pg.port),
      DB_NAME: 'shortener',
      DB_USER: 'postgres',
      DB_PASSWORD: 'local',
      DB_SSL: this.tls ? 'true' : 'false',
      ...(this.tls ? { DB_CA_FILE: this.tls.ca, NODE_EXTRA_CA_CERTS: this.tls.ca } : {}),
      CACHE_HOST: '127.0.0.1',
      CACHE_READER_HOST: '127.0.0.1',
      CACHE_PORT: String(this.redis.port),
      CACHE_TLS: this.tls ? 'true' : 'false',
      CACHE_CLUSTER_MODE: 'false',
      CACHE_AUTH_TOKEN: this.redis.password,
      AWS_REGION: this.aws.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_SQS: this.aws.endpoint,
      AWS_ENDPOINT_URL_SNS: this.aws.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: this.aws.endpoint,
      METRICS: 'true',
      LOG_LEVEL: 'warn',
      ...this.options.env,
    };
  }

  webEnv(): Record<string, string> {
    return {
      ...this.baseEnv(),
      ROLE: 'redirect,api',
      QUEUE_CLICKS_URL: this.aws.queueUrl('clicks'),
      TOPIC_LINK_CREATED_ARN: this.aws.topicArn('link-created'),
      PURGE_QUEUE_URL: this.aws.queueUrl('purge'),
      SELF_HOSTS: `127.0.0.1:${this.nginx.port},localhost:${this.nginx.port},short.example.com`,
      PUBLIC_BASE_URL: `http://127.0.0.1:${this.nginx.port}/`,
    };
  }

  workerEnv(queue = 'clicks'): Record<string, string> {
    return { ...this.baseEnv(), ROLE: 'worker', QUEUE_URL: this.aws.queueUrl(queue), WORKER_WAIT_SECONDS: '1', LOG_LEVEL: 'info', ...this.options.workerEnv };
  }

  async start(): Promise<this> {
    await this.startServers();
    return this.startService();
  }

  /** PostgreSQL, Valkey/Redis, the SQS/SNS stand-in (nginx starts with the instances). */
  async startServers(): Promise<void> {
    const missing = missingBinaries(this.bin);
    if (missing.length) throw new Error(`missing server binaries: ${missing.join(', ')} (apt-get install -y postgresql redis-server nginx)`);
    const [pgPort, redisPort, nginxPort] = await Promise.all([freePort(), freePort(), this.options.port ?? freePort()]);
    this.tls = this.options.tls === false ? undefined : makeTls(this.dir);
    if (this.options.tls && !this.tls) throw new Error('tls: openssl not found');
    this.pg = new Postgres(this.bin, this.dir, pgPort, this.tls);
    this.redis = new RedisServer(this.bin, this.dir, redisPort, this.tls);
    this.nginx = new Nginx(this.bin, this.dir, nginxPort);
    const vt = this.options.visibilityTimeoutSeconds ?? 30;
    this.aws = new AwsStandIn({
      queues: [
        { name: 'clicks', visibilityTimeoutSeconds: vt, deadLetter: { queue: 'clicks-dlq', maxReceiveCount: this.options.maxReceiveCount ?? 5 } },
        { name: 'clicks-dlq' },
        { name: 'previews', visibilityTimeoutSeconds: vt, deadLetter: { queue: 'previews-dlq', maxReceiveCount: this.options.maxReceiveCount ?? 5 } },
        { name: 'previews-dlq' },
        // The edge stack's PurgeOnChange queue (deployed in us-east-1): DELETE asks for a purge.
        { name: 'purge' },
      ],
      topics: [{ name: 'link-created', subscribers: ['previews'] }],
    });
    if (this.options.cacheCluster) {
      this.cluster = new RedisCluster(this.bin, this.dir, this.redis.password, this.tls);
      this.clusterReady = this.cluster.start();
      this.clusterReady.catch(() => undefined); // awaited (and reported) by whoever needs it
    }
    await Promise.all([this.pg.start(), this.redis.start(), this.aws.start()]);
  }

  /** The bundle, nginx, the instances and the workers. */
  async startService(): Promise<this> {
    this.bundle = this.options.bundle ?? freshDistBundle() ?? await buildBundle(path.join(this.dir, 'main.js'));
    const count = this.options.instances ?? 3;
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    await this.nginx.start(ports);
    // The first instance migrates alone, then the others start (they would wait on the advisory lock anyway).
    this.instances = ports.map((port, i) => new ServiceProcess(`web${i + 1}`, this.bundle, this.dir, port, this.webEnv()));
    await this.instances[0].start();
    await Promise.all(this.instances.slice(1).map(s => s.start()));
    if (this.options.worker ?? true) {
      this.worker = new ServiceProcess('worker', this.bundle, this.dir, 0, this.workerEnv());
      this.previewsWorker = new ServiceProcess('previews-worker', this.bundle, this.dir, 0, this.workerEnv('previews'));
      await Promise.all([this.worker.start(), this.previewsWorker.start()]);
    }
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.instances.map(s => s.stop()), this.worker?.stop(), this.previewsWorker?.stop()]);
    await this.clusterReady.catch(() => undefined);
    await Promise.all([this.nginx?.stop(), this.redis?.stop(), this.pg?.stop(), this.aws?.stop(), this.cluster?.stop()]);
    process.removeListener('exit', this.killAll);
    if (!this.options.keep) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Sums a counter over the web instances. */
  async sum(metric: string): Promise<number> {
    const all = await Promise.all(this.instances.filter(s => s.proc).map(s => s.metrics()));
    return all.reduce((acc, m) => acc + Number(m[metric] ?? 0), 0);
  }
}
