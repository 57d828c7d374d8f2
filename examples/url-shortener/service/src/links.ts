/**
 * The link store. Reads: in-process LRU (L1, short TTL) → Valkey (cache-aside, TTL, negative
 * caching, SET NX PX stampede lock) → the database reader. Writes: the database writer, then
 * the cache is written through and every instance's L1 is invalidated over pub/sub.
 */
import { randomUUID } from 'crypto';
import { Cache } from './cache';
import { generateCode } from './codes';
import { Config } from './config';
import { Database } from './db';
import { log } from './log';
import { LruCache } from './lru';
import { inc } from './metrics';
import { BreakerOpenError, sleep } from './resilience';

/** Cached value of a code that does not exist (negative caching). */
const MISSING = '\u0000';
const INVALIDATE_CHANNEL = 'shortener:invalidate';
const linkKey = (code: string) => `link:{${code}}`;
const lockKey = (code: string) => `lock:{${code}}`;
// Deletes the lock only if this instance still holds it.
const RELEASE_LOCK = 'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end';

export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`database unavailable: ${(cause as Error).message}`);
    this.name = 'DatabaseUnavailableError';
  }
}

export class ConflictError extends Error {}

export class LinkStore {
  private readonly inflight = new Map<string, Promise<string | undefined>>();
  private subscriber?: ReturnType<Cache['subscriber']>;

  constructor(
    private readonly config: Config,
    private readonly db: Database,
    private readonly cache: Cache | undefined,
    private readonly l1: LruCache<string>,
  ) {}

  /** Subscribes to invalidations from other instances (deletes, re-created aliases). */
  async start(): Promise<void> {
    if (!this.cache) return;
    this.subscriber = this.cache.subscriber();
    this.subscriber.on('message', (_channel: string, code: string) => {
      this.l1.delete(code);
      inc('l1_invalidations');
    });
    await this.subscriber.subscribe(INVALIDATE_CHANNEL).catch(err => log.warn('invalidation subscribe failed', { err }));
  }

  async stop(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }

  /** The target URL, or undefined for an unknown or deleted code. */
  async resolve(code: string): Promise<string | undefined> {
    inc('lookups');
    const l1 = this.l1.get(code);
    if (l1 !== undefined) {
      inc('l1_hits');
      return l1 === MISSING ? undefined : l1;
    }
    // One lookup per code per instance at a time (in-process single flight).
    const pending = this.inflight.get(code);
    if (pending) {
      inc('coalesced');
      return pending;
    }
    const p = this.resolveUncached(code).finally(() => this.inflight.delete(code));
    this.inflight.set(code, p);
    return p;
  }

  private async resolveUncached(code: string): Promise<string | undefined> {
    let cacheUp = !!this.cache;
    if (this.cache) {
      try {
        const cached = await this.cache.run('get', (_w, r) => r.get(linkKey(code)));
        if (cached !== null) {
          inc('cache_hits');
          this.l1.set(code, cached);
          return cached === MISSING ? undefined : cached;
        }
        inc('cache_misses');
      } catch (err) {
        cacheUp = false;
        inc('cache_errors');
        log.debug('cache read failed: degrading to the database', { err });
      }
    }
    if (!cacheUp) return this.loadFromDb(code, false);
    // Stampede lock: one instance loads the code; the others wait for the cache to fill.
    const token = randomUUID();
    let locked = false;
    try {
      locked = (await this.cache!.run('lock', w => w.set(lockKey(code), token, 'PX', this.config.lockTtlMs, 'NX'))) === 'OK';
    } catch {
      return this.loadFromDb(code, false);
    }
    if (locked) {
      try {
        // Double-checked: another instance may have filled the cache and released the lock
        // between our miss and our lock (then a second database query would follow).
        const filled = await this.cache!.run('get', (_w, r) => r.get(linkKey(code))).catch(() => null);
        if (filled !== null) {
          inc('cache_hits_after_lock');
          this.l1.set(code, filled);
          return filled === MISSING ? undefined : filled;
        }
        return await this.loadFromDb(code, true);
      } finally {
        this.cache!.run('unlock', w => w.eval(RELEASE_LOCK, 1, lockKey(code), token)).catch(() => undefined);
      }
    }
    inc('lock_waits');
    const deadline = Date.now() + this.config.lockWaitMs;
    for (let delay = 5; Date.now() < deadline; delay = Math.min(delay * 2, 50)) {
      await sleep(delay);
      try {
        const cached = await this.cache!.run('get', (_w, r) => r.get(linkKey(code)));
        if (cached !== null) {
          inc('cache_hits_after_wait');
          this.l1.set(code, cached);
          return cached === MISSING ? undefined : cached;
        }
      } catch {
        break;
      }
    }
    inc('lock_wait_timeouts');
    return this.loadFromDb(code, true);
  }

  private async loadFromDb(code: string, fillCache: boolean): Promise<string | undefined> {
    let rows: Array<{ url: string }>;
    try {
      rows = await this.db.query<{ url: string }>('link_lookup', 'reader', 'SELECT url FROM links WHERE code = $1 AND deleted_at IS NULL', [code]);
    } catch (err) {
      // The database is down: a stale L1 entry is better than an error.
      const stale = this.l1.getStale(code);
      if (stale !== undefined) {
        inc('l1_stale_served');
        return stale === MISSING ? undefined : stale;
      }
      throw new DatabaseUnavailableError(err);
    }
    const value = rows[0]?.url ?? MISSING;
    this.l1.set(code, value);
    if (fillCache && this.cache) {
      const ttl = value === MISSING ? this.config.negativeTtlSeconds : this.config.cacheTtlSeconds;
      await this.cache.run('set', w => w.set(linkKey(code), value, 'EX', ttl)).catch(err => log.debug('cache fill failed', { err }));
    }
    return value === MISSING ? undefined : value;
  }

  /** Creates a link with a generated code (retried on collision) or the given alias (409 if taken). */
  async create(url: string, alias?: string): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = alias ?? generateCode(this.config.codeLength);
      const rows = await this.db.query<{ code: string }>('link_insert', 'writer',
        'INSERT INTO links (code, url) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING code', [code, url]);
      if (rows.length === 1) {
        await this.afterWrite(code, url);
        return code;
      }
      if (alias) throw new ConflictError(`alias '${alias}' is taken`);
      inc('code_collisions');
    }
    throw new Error('could not find a free code in 5 attempts: raise CODE_LENGTH');
  }

  /** Soft delete (the code is never handed out again: a cached 301 elsewhere stays harmless). */
  async delete(code: string): Promise<boolean> {
    const rows = await this.db.query<{ code: string }>('link_delete', 'writer',
      'UPDATE links SET deleted_at = now() WHERE code = $1 AND deleted_at IS NULL RETURNING code', [code]);
    if (rows.length === 0) return false;
    await this.afterWrite(code, MISSING);
    return true;
  }

  private async afterWrite(code: string, value: string): Promise<void> {
    this.l1.delete(code);
    if (!this.cache) return;
    const ttl = value === MISSING ? this.config.negativeTtlSeconds : this.config.cacheTtlSeconds;
    try {
      await this.cache.run('set', w => w.set(linkKey(code), value, 'EX', ttl));
      await this.cache.run('publish', w => w.publish(INVALIDATE_CHANNEL, code));
    } catch (err) {
      // The cache is down: delete's worst case is a stale redirect for CACHE_TTL_SECONDS.
      log.warn('cache invalidation failed', { code, err });
      inc('invalidation_failures');
    }
  }

  async stats(code: string): Promise<{ url: string; clicks: number; createdAt: string } | undefined> {
    const rows = await this.db.query<{ url: string; clicks: string | null; created_at: Date }>('stats', 'reader',
      `SELECT l.url, c.clicks, l.created_at FROM links l LEFT JOIN click_counts c ON c.code = l.code
        WHERE l.code = $1 AND l.deleted_at IS NULL`, [code]);
    const row = rows[0];
    if (!row) return undefined;
    return { url: row.url, clicks: Number(row.clicks ?? 0), createdAt: row.created_at.toISOString() };
  }
}

export function isUnavailable(err: unknown): boolean {
  return err instanceof DatabaseUnavailableError || err instanceof BreakerOpenError;
}
