/** Unit tests of the service's pure parts (no servers). */
import { generateCode, validateAlias, validateTargetUrl } from '../../../examples/url-shortener/service/src/codes';
import { ENV_TABLE, loadConfig } from '../../../examples/url-shortener/service/src/config';
import { DbCredentials, isInvalidPassword } from '../../../examples/url-shortener/service/src/credentials';
import { LruCache } from '../../../examples/url-shortener/service/src/lru';
import { BreakerOpenError, CircuitBreaker, retry } from '../../../examples/url-shortener/service/src/resilience';
import { parseMessage, PoisonMessageError } from '../../../examples/url-shortener/service/src/worker';

describe('codes', () => {
  test('generated codes are base62 of the configured length', () => {
    for (let i = 0; i < 100; i++) expect(generateCode(7)).toMatch(/^[0-9A-Za-z]{7}$/);
  });
  test('self hosts are refused with or without a port, case-insensitively', () => {
    const self = new Set(['short.example.com', '127.0.0.1:8080']);
    expect(validateTargetUrl('https://SHORT.example.com./x', 2048, self).ok).toBe(false);
    expect(validateTargetUrl('http://127.0.0.1:8080/abc', 2048, self).ok).toBe(false);
    expect(validateTargetUrl('http://127.0.0.1:9000/abc', 2048, self).ok).toBe(true);
    expect(validateTargetUrl('data:text/html,hi', 2048, self).ok).toBe(false);
  });
  test('aliases', () => {
    expect(validateAlias('my-link_1').ok).toBe(true);
    expect(validateAlias('ab').ok).toBe(false);
    expect(validateAlias('API').ok).toBe(false);
    expect(validateAlias(42).ok).toBe(false);
  });
});

describe('config', () => {
  test('defaults: TLS to the database on, migrations on, no cache without CACHE_HOST', () => {
    const c = loadConfig({});
    expect(c.db.ssl).toBe(true);
    expect(c.db.migrate).toBe(true);
    expect(c.cache).toBeUndefined();
    expect([...c.roles]).toEqual(['redirect']);
  });
  test('write forwarding turns migrations off unless DB_MIGRATE says otherwise', () => {
    expect(loadConfig({ DB_WRITE_FORWARDING: 'true' }).db.migrate).toBe(false);
    expect(loadConfig({ DB_WRITE_FORWARDING: 'true', DB_MIGRATE: 'true' }).db.migrate).toBe(true);
  });
  test('invalid values name the variable', () => {
    expect(() => loadConfig({ ROLE: 'web' })).toThrow(/ROLE must be redirect, api or worker, got 'web'/);
    expect(() => loadConfig({ REDIRECT_STATUS: '307' })).toThrow(/REDIRECT_STATUS must be 301 or 302/);
    expect(() => loadConfig({ CACHE_HOST: 'h', CACHE_TLS: 'yes' })).toThrow(/CACHE_TLS must be 'true' or 'false'/);
    expect(() => loadConfig({ ROLE: 'worker' })).toThrow(/QUEUE_URL/);
  });
  test('every variable read from the environment is in ENV_TABLE (the README table)', () => {
    const fs = jest.requireActual<typeof import('fs')>('fs');
    const source = fs.readFileSync(`${__dirname}/../../../examples/url-shortener/service/src/config.ts`, 'utf8');
    const read = new Set([...source.matchAll(/env(?:\.|, ')([A-Z][A-Z0-9_]+)/g)].map(m => m[1]));
    const documented = new Set(ENV_TABLE.flatMap(e => e.name.split(' / ')));
    for (const name of read) if (name !== 'AWS_DEFAULT_REGION') expect(documented).toContain(name);
    const readme = fs.readFileSync(`${__dirname}/../../../examples/url-shortener/service/README.md`, 'utf8');
    for (const e of ENV_TABLE) expect(readme).toContain(`| \`${e.name.replace(' / ', '` / `')}\` | ${e.setBy} | ${e.default} |`);
  });
});

describe('LRU', () => {
  test('evicts the least recently used and serves stale entries only through getStale', () => {
    const lru = new LruCache<string>(2, 1_000_000);
    lru.set('a', '1');
    lru.set('b', '2');
    lru.get('a');
    lru.set('c', '3');
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('1');
    const expired = new LruCache<string>(2, 1);
    expired.set('x', 'y');
    const until = Date.now() + 5;
    while (Date.now() < until) { /* let it expire */ }
    expect(expired.get('x')).toBeUndefined();
    expect(expired.getStale('x')).toBe('y');
  });
});

describe('circuit breaker', () => {
  test('opens after N consecutive failures, fails fast, lets one probe through half-open, closes on success', async () => {
    const breaker = new CircuitBreaker('unit', { failures: 2, openMs: 20 });
    const fail = () => Promise.reject(new Error('down'));
    await expect(breaker.exec(fail)).rejects.toThrow('down');
    expect(breaker.state).toBe('closed');
    await expect(breaker.exec(fail)).rejects.toThrow('down');
    expect(breaker.state).toBe('open');
    await expect(breaker.exec(() => Promise.resolve(1))).rejects.toBeInstanceOf(BreakerOpenError);
    await new Promise(r => setTimeout(r, 25));
    let release!: () => void;
    const probe = breaker.exec(() => new Promise<number>(r => { release = () => r(7); }));
    expect(breaker.state).toBe('half-open');
    await expect(breaker.exec(() => Promise.resolve(1))).rejects.toBeInstanceOf(BreakerOpenError);
    release();
    await expect(probe).resolves.toBe(7);
    expect(breaker.state).toBe('closed');
  });
  test('a failed probe opens it again', async () => {
    const breaker = new CircuitBreaker('unit2', { failures: 1, openMs: 5 });
    await expect(breaker.exec(() => Promise.reject(new Error('x')))).rejects.toThrow();
    await new Promise(r => setTimeout(r, 10));
    await expect(breaker.exec(() => Promise.reject(new Error('y')))).rejects.toThrow('y');
    expect(breaker.state).toBe('open');
  });
});

describe('retry', () => {
  test('retries transient failures, not BreakerOpenError, and gives up after `retries`', async () => {
    let calls = 0;
    await expect(retry('u', async () => { if (++calls < 3) throw new Error('t'); return 'ok'; }, { retries: 2, baseMs: 1 })).resolves.toBe('ok');
    calls = 0;
    await expect(retry('u', async () => { calls++; throw new BreakerOpenError('db'); }, { retries: 5, baseMs: 1 })).rejects.toBeInstanceOf(BreakerOpenError);
    expect(calls).toBe(1);
    calls = 0;
    await expect(retry('u', async () => { calls++; throw new Error('t'); }, { retries: 2, baseMs: 1 })).rejects.toThrow('t');
    expect(calls).toBe(3);
  });
});

describe('worker messages', () => {
  test('click batches, SNS envelopes, and poison', () => {
    expect(parseMessage(JSON.stringify({ type: 'clicks', counts: { a: 2 } })).kind).toBe('clicks');
    const envelope = JSON.stringify({ Type: 'Notification', Message: JSON.stringify({ type: 'LinkCreated', code: 'a', url: 'https://x/' }) });
    expect(parseMessage(envelope).kind).toBe('link_created');
    expect(() => parseMessage('nope')).toThrow(PoisonMessageError);
    expect(() => parseMessage(JSON.stringify({ type: 'clicks', counts: { a: -1 } }))).toThrow(PoisonMessageError);
    expect(() => parseMessage(JSON.stringify({ type: 'other' }))).toThrow(/unknown message type/);
  });
});

describe('database credentials across a rotation', () => {
  test('GIVEN an authentication failure WHEN refreshed THEN the secret is read once for concurrent callers and the new password is used', async () => {
    let reads = 0;
    let resolveRead!: (v: { password: string }) => void;
    const creds = new DbCredentials('p1', 'arn:secret', () => { reads++; return new Promise((r) => { resolveRead = r; }); });
    expect(creds.password()).toBe('p1');
    const both = Promise.all([creds.refresh(), creds.refresh()]);
    resolveRead({ password: 'p2' });
    expect(await both).toEqual([true, true]);
    expect(reads).toBe(1);
    expect(creds.password()).toBe('p2');
  });

  test('GIVEN repeated failures WHEN refreshed THEN reads are at least minIntervalMs apart; without a secret ARN nothing is read', async () => {
    let t = 0;
    let reads = 0;
    const creds = new DbCredentials('p1', 'arn:secret', async () => { reads++; return { password: 'p1' }; }, 10_000, () => t);
    expect(await creds.refresh()).toBe(false); // same password: nothing changed
    t = 5_000;
    expect(await creds.refresh()).toBe(false);
    expect(reads).toBe(1);
    t = 10_000;
    await creds.refresh();
    expect(reads).toBe(2);
    const local = new DbCredentials('p1', undefined, async () => { throw new Error('must not be called'); });
    expect(await local.refresh()).toBe(false);
  });

  test('a failed read keeps the old password and is not fatal', async () => {
    const creds = new DbCredentials('p1', 'arn:secret', async () => { throw new Error('AccessDenied'); });
    expect(await creds.refresh()).toBe(false);
    expect(creds.password()).toBe('p1');
    expect(isInvalidPassword({ code: '28P01' })).toBe(true);
    expect(isInvalidPassword({ code: '57P01' })).toBe(false);
  });
});
