/**
 * The URL shortener against real servers: 3 instances behind nginx (least_conn), PostgreSQL,
 * Valkey/Redis with AUTH, the SQS/SNS stand-in. The breaker test stops the database, so it
 * runs last.
 */
import { Client } from 'pg';
import { eventually, get, post, uniqueCode, useStack } from './helpers';
import { PASSWORD_ROLE, ServiceProcess, freePort } from '../../../examples/url-shortener/service/local/stack';

jest.setTimeout(30_000);

const h = useStack({
  instances: 3,
  worker: false,
  cacheCluster: true,
  env: {
    RATE_LIMIT_API: '100000',
    BREAKER_FAILURES: '2',
    BREAKER_OPEN_MS: '300',
    DB_TIMEOUT_MS: '2000', // connection refused is immediate when the database is stopped; this only covers a loaded machine
    RETRIES: '1',
    L1_TTL_MS: '60000',
    CACHE_TTL_SECONDS: '60',
  },
});
const skip = () => !h.stack;

async function insertLink(code: string, url: string) {
  await h.db!.query('INSERT INTO links (code, url) VALUES ($1, $2)', [code, url]);
}

describe('links API', () => {
  test('GIVEN a valid URL WHEN POST /api/links THEN 201 with a base62 code, and GET /:code redirects (302)', async () => {
    if (skip()) return;
    const created = await post(`${h.stack!.url}/api/links`, { url: 'https://example.com/a?b=c' });
    expect(created.status).toBe(201);
    expect(created.json.code).toMatch(/^[0-9A-Za-z]{7}$/);
    expect(created.json.shortUrl).toBe(`${h.stack!.url}/${created.json.code}`);
    const res = await get(`${h.stack!.url}/${created.json.code}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://example.com/a?b=c');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
  });

  test('GIVEN a custom alias WHEN it is created twice THEN 201 then 409', async () => {
    if (skip()) return;
    const alias = uniqueCode('alias-');
    expect((await post(`${h.stack!.url}/api/links`, { url: 'https://example.com/', alias })).status).toBe(201);
    const again = await post(`${h.stack!.url}/api/links`, { url: 'https://example.com/', alias });
    expect(again.status).toBe(409);
    expect((await get(`${h.stack!.url}/${alias}`)).headers.get('location')).toBe('https://example.com/');
  });

  test.each([
    ['javascript:', 'javascript:alert(1)', /http or https/],
    ['ftp:', 'ftp://example.com/file', /http or https/],
    ['not a URL', 'not a url', /valid absolute URL/],
    ['2100+ characters', `https://example.com/${'x'.repeat(2100)}`, /at most 2048/],
    ['the service\'s own host', 'https://short.example.com/abc', /must not point at this service/],
    ['credentials', 'https://user:pw@example.com/', /credentials/],
  ])('GIVEN a URL with %s WHEN POST /api/links THEN 400', async (_label, url, message) => {
    if (skip()) return;
    const res = await post(`${h.stack!.url}/api/links`, { url });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(message);
  });

  test('GIVEN a reserved or malformed alias THEN 400', async () => {
    if (skip()) return;
    expect((await post(`${h.stack!.url}/api/links`, { url: 'https://example.com/', alias: 'health' })).json.error).toMatch(/reserved/);
    expect((await post(`${h.stack!.url}/api/links`, { url: 'https://example.com/', alias: 'a b' })).status).toBe(400);
  });

  test('GIVEN a cached link WHEN DELETE /api/links/:code THEN 204, the CDN purge is requested, and every instance answers 404 (L1 invalidated over pub/sub)', async () => {
    if (skip()) return;
    const { json } = await post(`${h.stack!.url}/api/links`, { url: 'https://example.com/delete-me' });
    // Warm every instance's L1.
    for (const s of h.stack!.instances) expect((await get(`${s.url}/${json.code}`)).status).toBe(302);
    expect((await fetch(`${h.stack!.url}/api/links/${json.code}`, { method: 'DELETE' })).status).toBe(204);
    // The CDN's copy is purged too: a {"paths": [...]} message for PurgeOnChange.
    expect(h.stack!.aws.queue('purge').messages.map((m) => JSON.parse(m.body))).toContainEqual({ paths: [`/${json.code}`] });
    for (const s of h.stack!.instances) {
      await eventually(async () => (await get(`${s.url}/${json.code}`)).status === 404, 2000, `404 from ${s.name}`);
    }
    expect((await fetch(`${h.stack!.url}/api/links/${json.code}`, { method: 'DELETE' })).status).toBe(404);
    // The code is not handed out again.
    expect((await post(`${h.stack!.url}/api/links`, { url: 'https://example.com/', alias: json.code })).status).toBe(409);
  });

  test('GIVEN clicks counted WHEN GET /api/stats/:code THEN the count with a public Cache-Control', async () => {
    if (skip()) return;
    const code = uniqueCode('st');
    await insertLink(code, 'https://example.com/stats');
    await h.db!.query('INSERT INTO click_counts (code, clicks) VALUES ($1, 42)', [code]);
    const res = await get(`${h.stack!.url}/api/stats/${code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=60/);
    expect(await res.json()).toMatchObject({ code, url: 'https://example.com/stats', clicks: 42 });
    expect((await get(`${h.stack!.url}/api/stats/nope-${code}`)).status).toBe(404);
  });

  test('liveness and readiness', async () => {
    if (skip()) return;
    expect((await get(`${h.stack!.url}/health`)).status).toBe(200);
    const ready = await get(`${h.stack!.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { db: 'ok', cache: 'ok' } });
  });
});

describe('read path', () => {
  test('GIVEN a link only in the database THEN miss → database; other instance → cache hit; again → L1 hit', async () => {
    if (skip()) return;
    const [a, b] = h.stack!.instances;
    const code = uniqueCode('mh');
    await insertLink(code, 'https://example.com/miss-hit');
    const before = { a: await a.metrics(), b: await b.metrics() };
    expect((await get(`${a.url}/${code}`)).headers.get('location')).toBe('https://example.com/miss-hit');
    const afterA = await a.metrics();
    expect(Number(afterA.cache_misses) - Number(before.a.cache_misses ?? 0)).toBe(1);
    expect(Number(afterA.db_queries_link_lookup) - Number(before.a.db_queries_link_lookup ?? 0)).toBe(1);

    expect((await get(`${b.url}/${code}`)).status).toBe(302);
    const afterB1 = await b.metrics();
    expect(Number(afterB1.cache_hits ?? 0) - Number(before.b.cache_hits ?? 0)).toBe(1);
    expect(Number(afterB1.db_queries_link_lookup ?? 0)).toBe(Number(before.b.db_queries_link_lookup ?? 0));

    expect((await get(`${b.url}/${code}`)).status).toBe(302);
    const afterB2 = await b.metrics();
    expect(Number(afterB2.l1_hits) - Number(afterB1.l1_hits ?? 0)).toBe(1);
  });

  test('GIVEN an unknown code THEN 404, and the negative entry is cached for the other instances', async () => {
    if (skip()) return;
    const [a, b] = h.stack!.instances;
    const code = uniqueCode('neg');
    expect((await get(`${a.url}/${code}`)).status).toBe(404);
    const before = await b.metrics();
    expect((await get(`${b.url}/${code}`)).status).toBe(404);
    const after = await b.metrics();
    expect(Number(after.db_queries_link_lookup ?? 0)).toBe(Number(before.db_queries_link_lookup ?? 0));
    expect(Number(after.cache_hits ?? 0) - Number(before.cache_hits ?? 0)).toBe(1);
  });

  test('GIVEN 100 concurrent misses on one code through nginx THEN one database query across the 3 instances (stampede lock)', async () => {
    if (skip()) return;
    const code = uniqueCode('stampede');
    await insertLink(code, 'https://example.com/stampede');
    const before = await h.stack!.sum('db_queries_link_lookup');
    const results = await Promise.all(Array.from({ length: 100 }, () => get(`${h.stack!.url}/${code}`)));
    expect(results.map(r => r.status)).toEqual(Array(100).fill(302));
    expect(await h.stack!.sum('db_queries_link_lookup') - before).toBe(1);
  });
});

describe('rate limit', () => {
  let limited: ServiceProcess | undefined;
  afterAll(async () => { await limited?.stop(); });

  test('GIVEN RATE_LIMIT_API=3 THEN X-RateLimit-* headers count down and the 4th request gets 429 with Retry-After', async () => {
    if (skip()) return;
    const env = { ...h.stack!.webEnv(), RATE_LIMIT_API: '3', RATE_LIMIT_WINDOW_MS: '60000' };
    limited = new ServiceProcess('limited', h.stack!.bundle, h.stack!.dir, await freePort(), env);
    await limited.start();
    const client = { 'x-forwarded-for': `10.1.2.${Date.now() % 250}` };
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const res = await get(`${limited.url}/api/stats/none`, client);
      expect(res.status).toBe(404);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      remaining.push(res.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const blocked = await get(`${limited.url}/api/stats/none`, client);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(blocked.headers.get('x-ratelimit-remaining')).toBe('0');
    // Another client has its own window; redirects are not limited (RATE_LIMIT_REDIRECT=0).
    expect((await get(`${limited.url}/api/stats/none`, { 'x-forwarded-for': '10.9.9.9' })).status).toBe(404);
    expect((await get(`${limited.url}/health`, client)).status).toBe(200);
  });
});

describe('cache cluster mode (rung 4)', () => {
  let svc: ServiceProcess | undefined;
  afterAll(async () => {
    await svc?.stop();
  });

  test('GIVEN CACHE_CLUSTER_MODE=true against a 3-shard TLS+AUTH cluster THEN miss → fill → hit, rate limit and delete work through the cluster client', async () => {
    if (skip()) return;
    const stack = h.stack!;
    const cluster = stack.cluster!;
    try {
      await stack.clusterReady; // started with the other servers
    } catch (err) {
      console.warn(`\n!!!! CLUSTER-MODE TEST SKIPPED: the cluster did not start: ${(err as Error).message}\n`);
      return;
    }
    svc = new ServiceProcess('cluster-client', stack.bundle, stack.dir, await freePort(), {
      ...stack.webEnv(),
      CACHE_CLUSTER_MODE: 'true',
      CACHE_HOST: '127.0.0.1',
      CACHE_READER_HOST: '127.0.0.1',
      CACHE_PORT: String(cluster.ports[0]),
      L1_TTL_MS: '0',
      RATE_LIMIT_API: '50',
    });
    await svc.start();
    const code = uniqueCode('cl');
    await insertLink(code, 'https://example.com/cluster');
    expect((await get(`${svc.url}/${code}`)).status).toBe(302);
    expect((await get(`${svc.url}/${code}`)).status).toBe(302);
    const m = await svc.metrics();
    expect(m).toMatchObject({ cache_misses: 1, cache_hits: 1, db_queries_link_lookup: 1, breaker_cache_state: 'closed' });
    const created = await post(`${svc.url}/api/links`, { url: 'https://example.com/cluster-created' });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-ratelimit-limit')).toBe('50');
    expect((await fetch(`${svc.url}/api/links/${created.json.code}`, { method: 'DELETE' })).status).toBe(204);
    expect((await get(`${svc.url}/${created.json.code}`)).status).toBe(404);
  });
});

describe('TLS and AUTH as deployed', () => {
  test('GIVEN the database requires TLS (like rds.force_ssl) and the cache is TLS-only with AUTH THEN plain clients are refused and the service is ready', async () => {
    if (skip()) return;
    const stack = h.stack!;
    if (!stack.tls) {
      console.warn('TLS test skipped: openssl not found');
      return;
    }
    const plain = new Client({ ...stack.pg.clientConfig(), ssl: false });
    plain.on('error', () => undefined);
    await expect(plain.connect()).rejects.toThrow(/no encryption|pg_hba/);
    await plain.end().catch(() => undefined);
    const ready = await (await get(`${stack.instances[0].url}/ready`)).json() as { checks: unknown };
    expect(ready.checks).toEqual({ db: 'ok', cache: 'ok' });
    expect(stack.instances[0].env).toMatchObject({ DB_SSL: 'true', CACHE_TLS: 'true', CACHE_AUTH_TOKEN: stack.redis.password });
  });
});

describe('cache down', () => {
  test('GIVEN Valkey stopped THEN redirects degrade to the database, the cache breaker opens, and it closes after Valkey is back', async () => {
    if (skip()) return;
    const stack = h.stack!;
    const [a] = stack.instances;
    await stack.redis.stop();
    try {
      for (let i = 0; i < 4; i++) {
        const code = uniqueCode('cd');
        await insertLink(code, `https://example.com/cache-down/${i}`);
        const res = await get(`${a.url}/${code}`);
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toBe(`https://example.com/cache-down/${i}`);
      }
      expect((await a.metrics()).breaker_cache_state).toBe('open');
      // The API still works (the rate limiter fails open).
      expect((await post(`${a.url}/api/links`, { url: 'https://example.com/while-cache-down' })).status).toBe(201);
    } finally {
      await stack.redis.start();
    }
    await eventually(async () => {
      const code = uniqueCode('cu');
      await insertLink(code, 'https://example.com/cache-up');
      await get(`${a.url}/${code}`);
      return (await a.metrics()).breaker_cache_state === 'closed';
    }, 5000, 'the cache breaker to close');
  });
});

describe('database password rotation', () => {
  let svc: ServiceProcess | undefined;
  afterAll(async () => {
    await svc?.stop();
  });

  test('GIVEN the password rotated under a running task WHEN its connections drop THEN it re-reads DB_SECRET_ARN and keeps serving (ECS injected only the old one)', async () => {
    if (skip()) return;
    const stack = h.stack!;
    const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:shortener/master-AbCdEf';
    await h.db!.query(`CREATE ROLE ${PASSWORD_ROLE} LOGIN PASSWORD 'first-password'`);
    await h.db!.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${PASSWORD_ROLE}`);
    stack.aws.secrets.set(arn, JSON.stringify({ username: PASSWORD_ROLE, password: 'first-password' }));
    svc = new ServiceProcess('rotating', stack.bundle, stack.dir, await freePort(), {
      ...stack.webEnv(), DB_USER: PASSWORD_ROLE, DB_PASSWORD: 'first-password', DB_SECRET_ARN: arn, DB_MIGRATE: 'false', L1_TTL_MS: '0',
    });
    await svc.start();
    const before = uniqueCode('rot');
    await insertLink(before, 'https://example.com/before');
    expect((await get(`${svc.url}/${before}`)).status).toBe(302);

    // The rotation: a new password in the database and in the secret; the task keeps the old one.
    await h.db!.query(`ALTER ROLE ${PASSWORD_ROLE} PASSWORD 'second-password'`);
    stack.aws.secrets.set(arn, JSON.stringify({ username: PASSWORD_ROLE, password: 'second-password' }));
    await h.db!.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [PASSWORD_ROLE]);
    const after = uniqueCode('rot');
    await insertLink(after, 'https://example.com/after');
    await eventually(async () => (await get(`${svc!.url}/${after}`)).status === 302, 5000, 'a redirect after the rotation');
    expect(Number((await svc.metrics()).db_credentials_refreshed)).toBe(1);
  });
});

describe('circuit breaker (runs last: stops the database)', () => {
  test('GIVEN the database stopped THEN cached redirects are served, uncached ones fail fast (open), and after a restart the half-open probe closes it', async () => {
    if (skip()) return;
    const stack = h.stack!;
    const [a] = stack.instances;
    const { json } = await post(`${stack.url}/api/links`, { url: 'https://example.com/cached' });
    expect((await get(`${a.url}/${json.code}`)).status).toBe(302); // now in L1 and the cache
    const uncached = uniqueCode('brk');
    await insertLink(uncached, 'https://example.com/uncached');

    await stack.pg.stop();
    try {
      await eventually(async () => {
        expect((await get(`${a.url}/${uncached}`)).status).toBe(503);
        return (await a.metrics()).breaker_db_state === 'open';
      }, 5000, 'the db breaker to open');
      const rejectedBefore = Number((await a.metrics()).breaker_db_rejected ?? 0);
      const t0 = Date.now();
      const fast = await get(`${a.url}/${uncached}`);
      expect(fast.status).toBe(503);
      expect(fast.headers.get('retry-after')).toBe('5');
      expect(Date.now() - t0).toBeLessThan(200);
      expect(Number((await a.metrics()).breaker_db_rejected)).toBeGreaterThan(rejectedBefore);
      // The database is down; the cached redirect still works, on every instance.
      for (const s of stack.instances) expect((await get(`${s.url}/${json.code}`)).headers.get('location')).toBe('https://example.com/cached');
      expect((await get(`${a.url}/ready`)).status).toBe(503);
    } finally {
      await stack.pg.start();
    }
    await eventually(async () => (await get(`${a.url}/${uncached}`)).status === 302, 5000, 'the half-open probe to succeed');
    const m = await a.metrics();
    expect(m.breaker_db_state).toBe('closed');
    expect(Number(m['breaker_db_to_half-open'])).toBeGreaterThanOrEqual(1);
    expect(Number(m.breaker_db_to_closed)).toBeGreaterThanOrEqual(1);
  });
});

