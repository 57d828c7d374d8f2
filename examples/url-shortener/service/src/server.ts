/** The HTTP roles: redirect (GET /:code) and api (/api/*), plus /health, /ready and /metrics. */
import * as http from 'http';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Cache } from './cache';
import { ClickPublisher } from './clicks';
import { CODE_PATTERN, validateAlias, validateTargetUrl } from './codes';
import { Config } from './config';
import { Database } from './db';
import { ConflictError, isUnavailable, LinkStore } from './links';
import { log } from './log';
import { inc, snapshot } from './metrics';
import { RateLimiter } from './ratelimit';
import { withTimeout } from './resilience';

const MAX_BODY = 16 * 1024;

export interface ServerDeps {
  readonly config: Config;
  readonly db: Database;
  readonly cache?: Cache;
  readonly links: LinkStore;
  readonly clicks?: ClickPublisher;
  readonly sns?: SNSClient;
  /** Sends to PURGE_QUEUE_URL (the edge stack's purge queue, in us-east-1). */
  readonly purge?: SQSClient;
  readonly rateLimiter?: RateLimiter;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, `body must be at most ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        resolve(parsed);
      } catch {
        reject(new HttpError(400, 'body must be a JSON object'));
      }
    });
    req.on('error', reject);
  });
}

export class ShortenerServer {
  readonly server: http.Server;
  private shuttingDown = false;

  constructor(private readonly deps: ServerDeps) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(err => this.fail(res, err));
    });
    // Above the ALB idle timeout (60 s): the load balancer, not the service, closes idle
    // connections, so no request is sent on a socket the service is closing.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    this.server.requestTimeout = 30_000;
  }

  listen(port: number): Promise<number> {
    return new Promise(resolve => this.server.listen(port, () => resolve((this.server.address() as { port: number }).port)));
  }

  private fail(res: http.ServerResponse, err: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof HttpError) {
      send(res, err.status, { error: err.message }, err.headers);
    } else if (isUnavailable(err)) {
      inc('http_503');
      send(res, 503, { error: 'temporarily unavailable' }, { 'retry-after': 5 });
    } else {
      inc('http_500');
      log.error('request failed', { err });
      send(res, 500, { error: 'internal error' });
    }
  }

  private clientOf(req: http.IncomingMessage): string {
    const xff = req.headers['x-forwarded-for'];
    if (this.deps.config.trustProxy && typeof xff === 'string' && xff) {
      const hops = xff.split(',');
      return hops[hops.length - 1].trim();
    }
    return req.socket.remoteAddress ?? 'unknown';
  }

  private async limit(bucket: string, limit: number, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const decision = await this.deps.rateLimiter?.check(bucket, this.clientOf(req), limit);
    if (!decision) return;
    res.setHeader('x-ratelimit-limit', decision.limit);
    res.setHeader('x-ratelimit-remaining', decision.remaining);
    res.setHeader('x-ratelimit-reset', decision.resetSeconds);
    if (!decision.allowed) {
      throw new HttpError(429, 'rate limit exceeded', { 'retry-after': String(decision.retryAfterSeconds) });
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { config } = this.deps;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    inc('http_requests');

    if (path === '/health') return send(res, 200, { status: 'ok' }, { 'cache-control': 'no-store' });
    if (path === '/ready') return this.ready(res);
    if (path === '/metrics' && config.metrics) return send(res, 200, snapshot(), { 'cache-control': 'no-store' });

    if (path.startsWith('/api/')) {
      if (!config.roles.has('api')) throw new HttpError(404, 'not found');
      await this.limit('api', config.rateLimitApi, req, res);
      return this.api(method, path, req, res);
    }
    if (config.roles.has('redirect') && (method === 'GET' || method === 'HEAD')) {
      const code = path.slice(1);
      if (CODE_PATTERN.test(code)) {
        await this.limit('redirect', config.rateLimitRedirect, req, res);
        return this.redirect(code, res, method === 'GET');
      }
    }
    throw new HttpError(404, 'not found');
  }

  private async redirect(code: string, res: http.ServerResponse, countClick: boolean): Promise<void> {
    const { config, links, clicks } = this.deps;
    const target = await links.resolve(code);
    if (target === undefined) {
      inc('redirects_not_found');
      return send(res, 404, { error: 'unknown code' }, { 'cache-control': 'public, max-age=30' });
    }
    inc('redirects');
    if (countClick) clicks?.record(code); // buffered; sent in batches off the request path (HEAD is not a click)
    res.writeHead(config.redirectStatus, {
      'location': target,
      'cache-control': `public, max-age=${config.redirectMaxAge}`,
      'content-length': 0,
    });
    res.end();
  }

  private async api(method: string, path: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { config, links } = this.deps;
    if (path === '/api/links' && method === 'POST') {
      const body = await readJson(req);
      const target = validateTargetUrl(body.url, config.maxUrlLength, config.selfHosts);
      if (!target.ok) throw new HttpError(400, target.error);
      let alias: string | undefined;
      if (body.alias !== undefined) {
        const a = validateAlias(body.alias);
        if (!a.ok) throw new HttpError(400, a.error);
        alias = a.value;
      }
      let code: string;
      try {
        code = await links.create(target.value, alias);
      } catch (err) {
        if (err instanceof ConflictError) throw new HttpError(409, err.message);
        throw err;
      }
      inc('links_created');
      await this.publishLinkCreated(code, target.value);
      return send(res, 201, { code, url: target.value, shortUrl: new URL(code, config.publicBaseUrl).toString() }, { location: `/api/links/${code}` });
    }
    const linkMatch = /^\/api\/links\/([^/]+)$/.exec(path);
    if (linkMatch && method === 'DELETE') {
      const code = decodeURIComponent(linkMatch[1]);
      if (!CODE_PATTERN.test(code)) throw new HttpError(404, 'unknown code');
      if (!(await links.delete(code))) throw new HttpError(404, 'unknown code');
      inc('links_deleted');
      await this.purgeFromCdn(code);
      res.writeHead(204).end();
      return;
    }
    const statsMatch = /^\/api\/stats\/([^/]+)$/.exec(path);
    if (statsMatch && (method === 'GET' || method === 'HEAD')) {
      const code = decodeURIComponent(statsMatch[1]);
      const stats = CODE_PATTERN.test(code) ? await links.stats(code) : undefined;
      if (!stats) throw new HttpError(404, 'unknown code', { 'cache-control': 'public, max-age=30' });
      // Cacheable at the edge (the PUBLIC_API content class): counts lag by up to max-age.
      return send(res, 200, { code, ...stats }, { 'cache-control': `public, max-age=${config.statsMaxAge}, stale-while-revalidate=${config.statsMaxAge}` });
    }
    throw new HttpError(404, 'not found');
  }

  /** LinkCreated to the fan-out topic; a failed publish is logged and counted, the link stays. */
  private async publishLinkCreated(code: string, url: string): Promise<void> {
    const { sns, config } = this.deps;
    if (!sns || !config.linkCreatedTopicArn) return;
    try {
      // Bounded: the SDK's attempts and timeouts could add up to seconds on a POST.
      await withTimeout('LinkCreated publish', 2000, sns.send(new PublishCommand({
        TopicArn: config.linkCreatedTopicArn,
        Message: JSON.stringify({ type: 'LinkCreated', code, url, createdAt: new Date().toISOString() }),
      })));
      inc('link_created_published');
    } catch (err) {
      inc('link_created_publish_failed');
      log.warn('LinkCreated publish failed', { code, err });
    }
  }

  /**
   * Asks the CDN to drop its cached redirect of `code` (PurgeOnChange: `{"paths": [...]}` to the
   * edge stack's queue). Best effort and bounded: the edge caches redirects for REDIRECT_MAX_AGE
   * at most anyway, and the queue only exists once the edge stack is deployed.
   */
  private async purgeFromCdn(code: string): Promise<void> {
    const { purge, config } = this.deps;
    if (!purge || !config.purgeQueueUrl) return;
    try {
      await withTimeout('CDN purge', 2000, purge.send(new SendMessageCommand({ QueueUrl: config.purgeQueueUrl, MessageBody: JSON.stringify({ paths: [`/${code}`] }) })));
      inc('cdn_purges_sent');
    } catch (err) {
      inc('cdn_purge_failures');
      log.warn('CDN purge request failed', { code, err });
    }
  }

  private async ready(res: http.ServerResponse): Promise<void> {
    if (this.shuttingDown) return send(res, 503, { status: 'shutting down' }, { 'cache-control': 'no-store' });
    const { db, cache, config } = this.deps;
    const checks: Record<string, string> = {};
    await Promise.all([
      withTimeout('db ping', config.db.timeoutMs, db.ping()).then(() => { checks.db = 'ok'; }, err => { checks.db = (err as Error).message; }),
      cache
        ? withTimeout('cache ping', config.cache!.timeoutMs * 2, cache.ping()).then(() => { checks.cache = 'ok'; }, err => { checks.cache = (err as Error).message; })
        : Promise.resolve(),
    ]);
    const ok = Object.values(checks).every(v => v === 'ok');
    send(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', checks }, { 'cache-control': 'no-store' });
  }

  /** Stops accepting connections, lets in-flight requests finish (up to the deadline). */
  async close(deadline: number): Promise<void> {
    this.shuttingDown = true;
    const closed = new Promise<void>(resolve => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => this.server.closeAllConnections(), Math.max(0, deadline - Date.now()));
    await closed;
    clearTimeout(timer);
  }
}
