/**
 * Sliding-window rate limit per client in Valkey: a sorted set of request timestamps per
 * client (a sliding log: exact over any window), trimmed, counted and added in one script.
 * If the cache is unavailable the limiter fails open (the edge WAF rate rule still applies).
 */
import { randomUUID } from 'crypto';
import { Cache } from './cache';
import { inc } from './metrics';

// KEYS[1] = key; ARGV = now (ms), window (ms), limit, member. Returns {allowed, count, oldest}.
const SLIDING_WINDOW = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', KEYS[1], window)
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local first = now
if oldest[2] then first = tonumber(oldest[2]) end
return {allowed, count, first}
`;

export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Epoch seconds when a slot frees up. */
  readonly resetSeconds: number;
  readonly retryAfterSeconds: number;
}

export class RateLimiter {
  constructor(private readonly cache: Cache, private readonly windowMs: number) {}

  async check(bucket: string, client: string, limit: number): Promise<RateDecision | undefined> {
    if (limit <= 0) return undefined;
    const now = Date.now();
    try {
      const [allowed, count, first] = await this.cache.run('ratelimit', w =>
        w.eval(SLIDING_WINDOW, 1, `rl:${bucket}:{${client}}`, now, this.windowMs, limit, `${now}-${randomUUID()}`)) as [number, number, number];
      const resetMs = first + this.windowMs;
      if (!allowed) inc('rate_limited');
      return {
        allowed: allowed === 1,
        limit,
        remaining: Math.max(0, limit - count),
        resetSeconds: Math.ceil(resetMs / 1000),
        retryAfterSeconds: Math.max(1, Math.ceil((resetMs - now) / 1000)),
      };
    } catch {
      inc('rate_limit_fail_open');
      return undefined;
    }
  }
}
