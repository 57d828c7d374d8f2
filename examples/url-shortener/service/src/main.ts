/**
 * Entry point: one image, three roles (ROLE=redirect|api|worker; a comma list runs several in
 * one process). Configuration only from the environment: see config.ts (ENV_TABLE) and the
 * README. Migrations run at start where DB_MIGRATE=true. SIGTERM/SIGINT drain and exit 0.
 */
import { hostname } from 'os';
import { regionOfQueueUrl, snsClient, sqsClient } from './aws';
import { Cache } from './cache';
import { ClickPublisher } from './clicks';
import { loadConfig } from './config';
import { Database } from './db';
import { LinkStore } from './links';
import { configureLog, log } from './log';
import { LruCache } from './lru';
import { RateLimiter } from './ratelimit';
import { ShortenerServer } from './server';
import { QueueWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  configureLog(config.logLevel, { roles: [...config.roles].join(','), host: hostname(), pid: process.pid });
  const db = new Database(config);
  const cache = config.cache ? new Cache(config.cache, config.breakerFailures, config.breakerOpenMs) : undefined;
  await db.migrate();

  const web = config.roles.has('redirect') || config.roles.has('api');
  let server: ShortenerServer | undefined;
  let links: LinkStore | undefined;
  let clicks: ClickPublisher | undefined;
  if (web) {
    links = new LinkStore(config, db, cache, new LruCache<string>(config.l1Max, config.l1TtlMs));
    await links.start();
    clicks = config.roles.has('redirect') && config.clicksQueueUrl
      ? new ClickPublisher(sqsClient(config.region), config.clicksQueueUrl, config.clickFlushMs, config.clickBufferMax)
      : undefined;
    server = new ShortenerServer({
      config,
      db,
      cache,
      links,
      clicks,
      sns: config.roles.has('api') && config.linkCreatedTopicArn ? snsClient(config.region) : undefined,
      // The purge queue lives in the edge stack's region: the client goes there.
      purge: config.roles.has('api') && config.purgeQueueUrl ? sqsClient(regionOfQueueUrl(config.purgeQueueUrl) ?? config.region) : undefined,
      rateLimiter: cache ? new RateLimiter(cache, config.rateLimitWindowMs) : undefined,
    });
    const port = await server.listen(config.port);
    log.info('listening', { port });
  }
  let worker: QueueWorker | undefined;
  if (config.roles.has('worker')) {
    worker = new QueueWorker(sqsClient(config.region, (config.workerWaitSeconds + 5) * 1000), config.queueUrl!, db, config.workerWaitSeconds);
    worker.start();
    log.info('worker polling', { queue: config.queueUrl });
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const budget = worker ? config.workerStopTimeoutMs : config.shutdownTimeoutMs;
    const deadline = Date.now() + budget;
    log.info('shutting down', { signal, budgetMs: budget });
    const hardStop = setTimeout(() => {
      log.error('shutdown budget exceeded');
      process.exit(1);
    }, budget + 1000);
    hardStop.unref();
    await Promise.all([server?.close(deadline), worker?.stop(deadline)]);
    await clicks?.close(deadline);
    await links?.stop();
    await Promise.all([cache?.close(), db.close()]);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch(err => {
  log.error('failed to start', { err });
  process.exit(1);
});
