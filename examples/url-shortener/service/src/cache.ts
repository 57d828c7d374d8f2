/**
 * Valkey/Redis (ElastiCache): TLS and AUTH as deployed, the cluster client in cluster mode,
 * reads from the reader endpoint, a circuit breaker and command timeouts. With no CACHE_HOST
 * the service runs without a cache (every lookup is a database query).
 */
import Redis, { Cluster } from 'ioredis';
import { Config } from './config';
import { log } from './log';
import { inc } from './metrics';
import { CircuitBreaker } from './resilience';

type Client = Redis | Cluster;

export class Cache {
  readonly writer: Client;
  readonly reader: Client;
  readonly breaker: CircuitBreaker;

  constructor(private readonly config: NonNullable<Config['cache']>, breakerFailures: number, breakerOpenMs: number) {
    const common = {
      password: config.authToken,
      tls: config.tls ? {} : undefined,
      connectTimeout: config.timeoutMs * 4,
      commandTimeout: config.timeoutMs,
      // Fail fast while disconnected (the breaker and the database fallback take over) instead
      // of queueing commands.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(1000, 50 * 2 ** Math.min(times, 5)) * (0.5 + Math.random() / 2),
      lazyConnect: false,
    };
    if (config.clusterMode) {
      // The configuration endpoint; TLS certificates name the nodes, so resolve nothing ourselves.
      const cluster = new Redis.Cluster([{ host: config.host, port: config.port }], {
        dnsLookup: (address, callback) => callback(null, address),
        redisOptions: common,
        scaleReads: 'slave',
        enableOfflineQueue: false,
        clusterRetryStrategy: common.retryStrategy,
      });
      this.writer = cluster;
      this.reader = cluster;
    } else {
      this.writer = new Redis({ ...common, host: config.host, port: config.port });
      this.reader = config.readerHost === config.host ? this.writer : new Redis({ ...common, host: config.readerHost, port: config.port });
    }
    for (const c of new Set([this.writer, this.reader])) c.on('error', err => log.debug('cache connection error', { err }));
    this.breaker = new CircuitBreaker('cache', { failures: breakerFailures, openMs: breakerOpenMs });
  }

  /** Runs one cache operation through the breaker (no retries: the fallback is the database). */
  async run<T>(op: string, fn: (writer: Client, reader: Client) => Promise<T>): Promise<T> {
    return this.breaker.exec(async () => {
      inc(`cache_ops_${op}`);
      return fn(this.writer, this.reader);
    });
  }

  /** A separate connection for pub/sub (a subscribed connection cannot run other commands). */
  subscriber(): Client {
    const c = this.config;
    const options = { password: c.authToken, tls: c.tls ? {} : undefined, connectTimeout: c.timeoutMs * 4, maxRetriesPerRequest: null };
    const sub = c.clusterMode
      ? new Redis.Cluster([{ host: c.host, port: c.port }], { dnsLookup: (a, cb) => cb(null, a), redisOptions: options })
      : new Redis({ ...options, host: c.host, port: c.port });
    sub.on('error', err => log.debug('cache subscriber error', { err }));
    return sub;
  }

  async ping(): Promise<void> {
    await this.reader.ping();
  }

  async close(): Promise<void> {
    await Promise.all([...new Set([this.writer, this.reader])].map(c => c.quit().catch(() => c.disconnect())));
  }
}
