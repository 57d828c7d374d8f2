/**
 * Clicks and the worker against real servers and the SQS stand-in (visibility timeout 0.3 s,
 * maxReceiveCount 2): idempotent aggregation, the DLQ, and SIGTERM drains of a web instance
 * and of the worker with nothing lost.
 */
import * as fs from 'fs';
import { Client } from 'pg';
import { eventually, get, uniqueCode, useStack } from './helpers';
import { ServiceProcess, freePort } from '../../../examples/url-shortener/service/local/stack';

jest.setTimeout(30_000);

const h = useStack({
  instances: 1,
  worker: true,
  visibilityTimeoutSeconds: 0.3,
  maxReceiveCount: 2,
  env: { CLICK_FLUSH_MS: '20', RATE_LIMIT_API: '100000' },
  // Generous timeouts: a loaded CI machine can take a while for a TLS connection; the outage
  // test stops the database (connection refused at once), it does not rely on timeouts.
  workerEnv: { BREAKER_FAILURES: '1', BREAKER_OPEN_MS: '100', DB_TIMEOUT_MS: '3000', RETRIES: '1' },
});
const skip = () => !h.stack;

async function clicks(code: string): Promise<number> {
  const r = await h.db!.query<{ clicks: string }>('SELECT clicks FROM click_counts WHERE code = $1', [code]);
  return Number(r.rows[0]?.clicks ?? 0);
}

const queueEmpty = (name: string) => async () => h.stack!.aws.queue(name).messages.length === 0;

test('GIVEN redirects THEN their clicks reach the worker in batches and are counted', async () => {
  if (skip()) return;
  const code = uniqueCode('clk');
  await h.db!.query('INSERT INTO links (code, url) VALUES ($1, $2)', [code, 'https://example.com/']);
  await Promise.all(Array.from({ length: 30 }, () => get(`${h.stack!.instances[0].url}/${code}`)));
  await eventually(async () => (await clicks(code)) === 30, 5000, '30 clicks counted');
  const m = await h.stack!.instances[0].metrics();
  expect(Number(m.click_messages_sent)).toBeLessThan(30); // aggregated, not one message per click
  expect(Number(m.clicks_dropped ?? 0)).toBe(0);
});

test('GIVEN the same message delivered twice (same MessageId) THEN it is counted once', async () => {
  if (skip()) return;
  const code = uniqueCode('idem');
  const body = JSON.stringify({ type: 'clicks', counts: { [code]: 3 }, sentAt: new Date().toISOString() });
  const id = h.stack!.aws.send('clicks', body);
  await eventually(async () => (await clicks(code)) === 3 && (await queueEmpty('clicks')()), 5000, 'first delivery');
  h.stack!.aws.redeliver('clicks', id, body);
  await eventually(queueEmpty('clicks'), 5000, 'the duplicate to be deleted');
  expect(await clicks(code)).toBe(3);
  const seen = await h.db!.query('SELECT 1 FROM processed_messages WHERE message_id = $1', [id]);
  expect(seen.rowCount).toBe(1);
});

test('GIVEN a poison message THEN it is received maxReceiveCount (2) times, never deleted, and lands in the DLQ', async () => {
  if (skip()) return;
  const id = h.stack!.aws.send('clicks', 'this is not JSON');
  const dlq = h.stack!.aws.queue('clicks-dlq');
  const dead = await eventually(async () => dlq.messages.find(m => m.id === id), 5000, 'the DLQ');
  expect(dead.receiveCount).toBe(2);
  expect(h.stack!.aws.queue('clicks').messages.some(m => m.id === id)).toBe(false);
});

test('GIVEN LinkCreated published to the topic THEN the previews worker records it once (SNS envelope)', async () => {
  if (skip()) return;
  const res = await fetch(`${h.stack!.url}/api/links`, { method: 'POST', body: JSON.stringify({ url: 'https://example.com/preview' }) });
  const { code } = await res.json() as { code: string };
  await eventually(async () => (await h.db!.query('SELECT url FROM link_events WHERE code = $1', [code])).rowCount === 1, 5000, 'link event');
});

test('GIVEN clicks buffered in a web instance WHEN SIGTERM THEN it flushes them before exiting 0: nothing lost', async () => {
  if (skip()) return;
  const code = uniqueCode('drain');
  await h.db!.query('INSERT INTO links (code, url) VALUES ($1, $2)', [code, 'https://example.com/']);
  // A flush interval far beyond the test: the clicks are only sent by the shutdown flush.
  const web = new ServiceProcess('drain-web', h.stack!.bundle, h.stack!.dir, await freePort(), { ...h.stack!.webEnv(), CLICK_FLUSH_MS: '600000' });
  await web.start();
  const statuses = await Promise.all(Array.from({ length: 50 }, () => get(`${web.url}/${code}`).then(r => r.status)));
  expect(statuses).toEqual(Array(50).fill(302));
  expect((await web.metrics()).clicks_buffered).toBe(50);
  expect(await web.stop('SIGTERM')).toBe(0);
  await eventually(async () => (await clicks(code)) === 50, 5000, '50 clicks after the drain');
});

test('GIVEN a worker long-polling WHEN SIGTERM THEN it exits 0 at once, and every message is applied exactly once across a restart', async () => {
  if (skip()) return;
  const stack = h.stack!;
  const code = uniqueCode('wdrain');
  for (let i = 0; i < 20; i++) stack.aws.send('clicks', JSON.stringify({ type: 'clicks', counts: { [code]: 1 } }));
  const t0 = Date.now();
  expect(await stack.worker!.stop('SIGTERM')).toBe(0);
  expect(Date.now() - t0).toBeLessThan(3000); // the long poll is aborted, not waited out
  const applied = await clicks(code);
  // Whatever the worker had in hand was applied and deleted; the rest is still queued.
  expect(applied + stack.aws.queue('clicks').messages.length).toBeGreaterThanOrEqual(20);
  const worker = new ServiceProcess('worker2', stack.bundle, stack.dir, 0, stack.workerEnv());
  stack.worker = worker;
  await worker.start();
  await eventually(async () => (await clicks(code)) === 20 && (await queueEmpty('clicks')()), 5000, '20 clicks');
});

test('GIVEN the database down THEN the worker stops receiving (no good message is pushed to the DLQ) and applies everything once it is back (runs last)', async () => {
  if (skip()) return;
  const stack = h.stack!;
  const code = uniqueCode('dbdown');
  await stack.pg.stop();
  try {
    const ids = Array.from({ length: 5 }, () => stack.aws.send('clicks', JSON.stringify({ type: 'clicks', counts: { [code]: 1 } })));
    // Without the pause the visibility timeout (0.3 s) would bring them back 3 times in this
    // window and the redrive (maxReceiveCount 2) would move them to the DLQ.
    await new Promise(r => setTimeout(r, 1000));
    const queued = stack.aws.queue('clicks').messages.filter(m => ids.includes(m.id));
    expect(queued).toHaveLength(5);
    expect(Math.max(...queued.map(m => m.receiveCount))).toBeLessThanOrEqual(1);
    expect(stack.aws.queue('clicks-dlq').messages.some(m => ids.includes(m.id))).toBe(false);
  } finally {
    await stack.pg.start();
  }
  h.db = new Client(stack.pg.clientConfig());
  await h.db.connect();
  try {
    await eventually(async () => (await clicks(code)) === 5, 10_000, '5 clicks after the database is back');
  } catch (err) {
    const dlq = stack.aws.queue('clicks-dlq').messages.filter(m => m.body.includes(code)).length;
    throw new Error(`${(err as Error).message}: ${await clicks(code)} counted, ${dlq} in the DLQ; worker log:\n${fs.readFileSync(stack.worker!.logFile, 'utf8').slice(-3000)}`);
  }
});
