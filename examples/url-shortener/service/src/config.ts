/**
 * Configuration: only from the environment (and the secrets the constructs inject as
 * environment variables). Every name is listed in ENV_TABLE, which the README mirrors.
 */

export type Role = 'redirect' | 'api' | 'worker';

/** Every environment variable the service reads: name, who sets it, default, meaning. */
export const ENV_TABLE: ReadonlyArray<{ name: string; setBy: string; default: string; meaning: string }> = [
  { name: 'ROLE', setBy: 'service spec', default: 'redirect', meaning: '`redirect`, `api` or `worker` (one image, three roles); a comma list (`redirect,api`) runs several in one process (local run)' },
  { name: 'PORT', setBy: 'StatelessService', default: '8080', meaning: 'container port' },
  { name: 'DB_HOST', setBy: 'AuroraDatabase.connect', default: '127.0.0.1', meaning: 'where to write: the writer endpoint (in a global secondary: the local reader endpoint, with write forwarding)' },
  { name: 'DB_READER_HOST', setBy: 'AuroraDatabase.connect', default: 'DB_HOST', meaning: 'reader endpoint of the local region (redirect lookups, stats)' },
  { name: 'DB_PORT', setBy: 'AuroraDatabase.connect', default: '5432', meaning: '' },
  { name: 'DB_NAME', setBy: 'AuroraDatabase.connect', default: 'shortener', meaning: '' },
  { name: 'DB_USER', setBy: 'AuroraDatabase.connect (secret)', default: 'postgres', meaning: '' },
  { name: 'DB_PASSWORD', setBy: 'AuroraDatabase.connect (secret)', default: '(none)', meaning: 'injected at task start' },
  { name: 'DB_SECRET_ARN', setBy: 'AuroraDatabase.connect', default: '(none)', meaning: 'the master secret, re-read after a failed authentication (rotation)' },
  { name: 'DB_SSL', setBy: '-', default: 'true', meaning: 'TLS with certificate verification (`rds.force_ssl`); `false` only for the local run' },
  { name: 'DB_CA_FILE', setBy: 'Dockerfile', default: '/app/rds-global-bundle.pem', meaning: 'CA bundle for DB TLS (the RDS global bundle in the image)' },
  { name: 'DB_MIGRATE', setBy: 'primary region', default: 'true unless DB_WRITE_FORWARDING=true', meaning: 'run the idempotent schema migrations at start (advisory-locked)' },
  { name: 'DB_WRITE_FORWARDING', setBy: 'secondary region', default: 'false', meaning: 'no DDL; ids never come from sequences (codes are generated in the app anyway)' },
  { name: 'DB_POOL_MAX', setBy: '-', default: '10', meaning: 'connections per pool (writer and reader)' },
  { name: 'DB_TIMEOUT_MS', setBy: '-', default: '2000', meaning: 'connect and query timeout' },
  { name: 'CACHE_HOST', setBy: 'CacheCluster.connect', default: '(none: no cache)', meaning: 'primary (or configuration) endpoint' },
  { name: 'CACHE_READER_HOST', setBy: 'CacheCluster.connect', default: 'CACHE_HOST', meaning: 'reader endpoint (cache reads)' },
  { name: 'CACHE_PORT', setBy: 'CacheCluster.connect', default: '6379', meaning: '' },
  { name: 'CACHE_TLS', setBy: 'CacheCluster.connect', default: 'false', meaning: '`true` deployed (in-transit encryption)' },
  { name: 'CACHE_CLUSTER_MODE', setBy: 'CacheCluster.connect', default: 'false', meaning: '`true`: cluster client on the configuration endpoint (rung 4)' },
  { name: 'CACHE_AUTH_TOKEN', setBy: 'CacheCluster.connect (secret)', default: '(none)', meaning: 'AUTH token' },
  { name: 'CACHE_TIMEOUT_MS', setBy: '-', default: '500', meaning: 'connect and command timeout' },
  { name: 'CACHE_TTL_SECONDS', setBy: '-', default: '3600', meaning: 'TTL of a cached link' },
  { name: 'NEGATIVE_TTL_SECONDS', setBy: '-', default: '60', meaning: 'TTL of a cached "unknown code"' },
  { name: 'LOCK_TTL_MS', setBy: '-', default: '3000', meaning: 'stampede lock (SET NX PX) lifetime' },
  { name: 'LOCK_WAIT_MS', setBy: '-', default: '1000', meaning: 'how long a miss waits for the lock holder before querying itself' },
  { name: 'L1_TTL_MS', setBy: '-', default: '5000', meaning: 'in-process LRU TTL (0 = off)' },
  { name: 'L1_MAX', setBy: '-', default: '10000', meaning: 'in-process LRU entries' },
  { name: 'QUEUE_CLICKS_URL', setBy: 'WorkQueue producers (redirect)', default: '(none: clicks not sent)', meaning: 'click queue' },
  { name: 'TOPIC_LINK_CREATED_ARN', setBy: 'FanOut publishers (api)', default: '(none: not published)', meaning: 'LinkCreated topic' },
  { name: 'PURGE_QUEUE_URL', setBy: 'stage (edge.purgePublishers)', default: '(none)', meaning: 'api: DELETE sends {"paths": ["/<code>"]} to the CDN purge queue (best effort)' },
  { name: 'QUEUE_URL', setBy: 'QueueWorker', default: '(required for worker)', meaning: 'the queue this worker consumes' },
  { name: 'AWS_REGION', setBy: 'ECS', default: 'us-east-1', meaning: '' },
  { name: 'AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_SNS', setBy: 'local run only', default: '(AWS)', meaning: 'the local SQS/SNS stand-in' },
  { name: 'CLICK_FLUSH_MS', setBy: '-', default: '250', meaning: 'click batch interval' },
  { name: 'CLICK_BUFFER_MAX', setBy: '-', default: '10000', meaning: 'clicks buffered at most; more are dropped and counted' },
  { name: 'WORKER_WAIT_SECONDS', setBy: '-', default: '20', meaning: 'long-poll wait' },
  { name: 'WORKER_STOP_TIMEOUT_MS', setBy: '-', default: '15000', meaning: 'drain budget after SIGTERM (below the task stop timeout: QueueWorker sets it to the processing time, 20 s for Clicks)' },
  { name: 'REDIRECT_STATUS', setBy: '-', default: '302', meaning: '301 or 302' },
  { name: 'REDIRECT_MAX_AGE', setBy: '-', default: '60', meaning: 'Cache-Control max-age of a redirect (edge caching)' },
  { name: 'STATS_MAX_AGE', setBy: '-', default: '60', meaning: 'Cache-Control max-age of /api/stats' },
  { name: 'SELF_HOSTS', setBy: 'stage', default: '(none)', meaning: 'comma list of the service\'s own host names: links to them are refused' },
  { name: 'PUBLIC_BASE_URL', setBy: 'stage', default: 'http://localhost:PORT/', meaning: 'prefix of the returned short URL' },
  { name: 'CODE_LENGTH', setBy: '-', default: '7', meaning: 'generated code length (base62)' },
  { name: 'MAX_URL_LENGTH', setBy: '-', default: '2048', meaning: '' },
  { name: 'RATE_LIMIT_API', setBy: '-', default: '60', meaning: 'API requests per client per window (0 = off)' },
  { name: 'RATE_LIMIT_REDIRECT', setBy: '-', default: '0', meaning: 'redirects per client per window (0 = off: the edge WAF rate rule covers redirects)' },
  { name: 'RATE_LIMIT_WINDOW_MS', setBy: '-', default: '60000', meaning: 'sliding window' },
  { name: 'TRUST_PROXY', setBy: '-', default: 'true', meaning: 'client = last X-Forwarded-For hop (added by the ALB / nginx)' },
  { name: 'BREAKER_FAILURES', setBy: '-', default: '5', meaning: 'consecutive failures that open a breaker' },
  { name: 'BREAKER_OPEN_MS', setBy: '-', default: '5000', meaning: 'open time before the half-open probe' },
  { name: 'RETRIES', setBy: '-', default: '2', meaning: 'retries of a downstream call (exponential backoff, full jitter)' },
  { name: 'SHUTDOWN_TIMEOUT_MS', setBy: '-', default: '10000', meaning: 'web roles: drain budget after SIGTERM' },
  { name: 'METRICS', setBy: 'local run', default: 'false', meaning: '`true`: GET /metrics (JSON counters)' },
  { name: 'LOG_LEVEL', setBy: '-', default: 'info', meaning: '`debug`, `info`, `warn`, `error`' },
];

export interface Config {
  readonly roles: ReadonlySet<Role>;
  readonly port: number;
  readonly db: {
    host: string;
    readerHost: string;
    port: number;
    name: string;
    user: string;
    password?: string;
    secretArn?: string;
    ssl: boolean;
    caFile: string;
    migrate: boolean;
    writeForwarding: boolean;
    poolMax: number;
    timeoutMs: number;
  };
  readonly cache?: {
    host: string; readerHost: string; port: number; tls: boolean; clusterMode: boolean; authToken?: string; timeoutMs: number;
  };
  readonly cacheTtlSeconds: number;
  readonly negativeTtlSeconds: number;
  readonly lockTtlMs: number;
  readonly lockWaitMs: number;
  readonly l1TtlMs: number;
  readonly l1Max: number;
  readonly clicksQueueUrl?: string;
  readonly linkCreatedTopicArn?: string;
  readonly queueUrl?: string;
  readonly purgeQueueUrl?: string;
  readonly region: string;
  readonly clickFlushMs: number;
  readonly clickBufferMax: number;
  readonly workerWaitSeconds: number;
  readonly workerStopTimeoutMs: number;
  readonly redirectStatus: 301 | 302;
  readonly redirectMaxAge: number;
  readonly statsMaxAge: number;
  readonly selfHosts: ReadonlySet<string>;
  readonly publicBaseUrl: string;
  readonly codeLength: number;
  readonly maxUrlLength: number;
  readonly rateLimitApi: number;
  readonly rateLimitRedirect: number;
  readonly rateLimitWindowMs: number;
  readonly trustProxy: boolean;
  readonly breakerFailures: number;
  readonly breakerOpenMs: number;
  readonly retries: number;
  readonly shutdownTimeoutMs: number;
  readonly metrics: boolean;
  readonly logLevel: string;
}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer between ${min} and ${max}, got '${raw}'`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be 'true' or 'false', got '${raw}'`);
}

/** Reads and validates the configuration; throws naming the variable and the value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const roles = new Set<Role>();
  for (const r of (env.ROLE || 'redirect').split(',').map(s => s.trim()).filter(Boolean)) {
    if (r !== 'redirect' && r !== 'api' && r !== 'worker') throw new Error(`ROLE must be redirect, api or worker, got '${r}'`);
    roles.add(r);
  }
  const port = int(env, 'PORT', 8080, 0, 65535);
  const dbHost = env.DB_HOST || '127.0.0.1';
  const writeForwarding = bool(env, 'DB_WRITE_FORWARDING', false);
  const redirectStatus = int(env, 'REDIRECT_STATUS', 302);
  if (redirectStatus !== 301 && redirectStatus !== 302) throw new Error(`REDIRECT_STATUS must be 301 or 302, got ${redirectStatus}`);
  const cacheHost = env.CACHE_HOST;
  const config: Config = {
    roles,
    port,
    db: {
      host: dbHost,
      readerHost: env.DB_READER_HOST || dbHost,
      port: int(env, 'DB_PORT', 5432, 1, 65535),
      name: env.DB_NAME || 'shortener',
      user: env.DB_USER || 'postgres',
      password: env.DB_PASSWORD || undefined,
      secretArn: env.DB_SECRET_ARN || undefined,
      ssl: bool(env, 'DB_SSL', true),
      caFile: env.DB_CA_FILE || '/app/rds-global-bundle.pem',
      migrate: bool(env, 'DB_MIGRATE', !writeForwarding),
      writeForwarding,
      poolMax: int(env, 'DB_POOL_MAX', 10, 1, 1000),
      timeoutMs: int(env, 'DB_TIMEOUT_MS', 2000, 50),
    },
    cache: cacheHost ? {
      host: cacheHost,
      readerHost: env.CACHE_READER_HOST || cacheHost,
      port: int(env, 'CACHE_PORT', 6379, 1, 65535),
      tls: bool(env, 'CACHE_TLS', false),
      clusterMode: bool(env, 'CACHE_CLUSTER_MODE', false),
      authToken: env.CACHE_AUTH_TOKEN || undefined,
      timeoutMs: int(env, 'CACHE_TIMEOUT_MS', 500, 10),
    } : undefined,
    cacheTtlSeconds: int(env, 'CACHE_TTL_SECONDS', 3600, 1),
    negativeTtlSeconds: int(env, 'NEGATIVE_TTL_SECONDS', 60, 1),
    lockTtlMs: int(env, 'LOCK_TTL_MS', 3000, 10),
    lockWaitMs: int(env, 'LOCK_WAIT_MS', 1000, 0),
    l1TtlMs: int(env, 'L1_TTL_MS', 5000, 0),
    l1Max: int(env, 'L1_MAX', 10000, 1),
    clicksQueueUrl: env.QUEUE_CLICKS_URL || undefined,
    linkCreatedTopicArn: env.TOPIC_LINK_CREATED_ARN || undefined,
    queueUrl: env.QUEUE_URL || undefined,
    purgeQueueUrl: env.PURGE_QUEUE_URL || undefined,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    clickFlushMs: int(env, 'CLICK_FLUSH_MS', 250, 1),
    clickBufferMax: int(env, 'CLICK_BUFFER_MAX', 10000, 1),
    workerWaitSeconds: int(env, 'WORKER_WAIT_SECONDS', 20, 0, 20),
    workerStopTimeoutMs: int(env, 'WORKER_STOP_TIMEOUT_MS', 15000, 100),
    redirectStatus,
    redirectMaxAge: int(env, 'REDIRECT_MAX_AGE', 60),
    statsMaxAge: int(env, 'STATS_MAX_AGE', 60),
    selfHosts: new Set((env.SELF_HOSTS || '').split(',').map(h => h.trim().toLowerCase()).filter(Boolean)),
    publicBaseUrl: env.PUBLIC_BASE_URL || `http://localhost:${port}/`,
    codeLength: int(env, 'CODE_LENGTH', 7, 4, 32),
    maxUrlLength: int(env, 'MAX_URL_LENGTH', 2048, 16, 8192),
    rateLimitApi: int(env, 'RATE_LIMIT_API', 60),
    rateLimitRedirect: int(env, 'RATE_LIMIT_REDIRECT', 0),
    rateLimitWindowMs: int(env, 'RATE_LIMIT_WINDOW_MS', 60000, 100),
    trustProxy: bool(env, 'TRUST_PROXY', true),
    breakerFailures: int(env, 'BREAKER_FAILURES', 5, 1),
    breakerOpenMs: int(env, 'BREAKER_OPEN_MS', 5000, 10),
    retries: int(env, 'RETRIES', 2, 0, 10),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 100),
    metrics: bool(env, 'METRICS', false),
    logLevel: env.LOG_LEVEL || 'info',
  };
  if (roles.has('worker') && !config.queueUrl) throw new Error('ROLE worker needs QUEUE_URL');
  return config;
}
