/**
 * Shared set-up for the service tests: one LocalStack (real PostgreSQL, Valkey/Redis, nginx,
 * the SQS/SNS stand-in, the service bundle) per test file. When a server binary is missing or
 * cannot start, the tests are skipped with a loud message instead of failing.
 */
import { Client } from 'pg';
import { LocalStack, missingBinaries, StackOptions } from '../../../examples/url-shortener/service/local/stack';

export interface Harness {
  stack?: LocalStack;
  db?: Client;
  skipped?: string;
}

export function useStack(options: StackOptions): Harness {
  const h: Harness = {};
  beforeAll(async () => {
    const missing = missingBinaries();
    if (missing.length) {
      h.skipped = `missing ${missing.join(', ')}`;
    } else {
      const stack = new LocalStack(options);
      try {
        await stack.startServers();
      } catch (err) {
        h.skipped = `the servers did not start: ${(err as Error).message}`;
        await stack.stop().catch(() => undefined);
      }
      if (!h.skipped) {
        // From here on a failure is the service's: it fails the tests, it does not skip them.
        h.stack = stack;
        await stack.startService();
        h.db = new Client(stack.pg.clientConfig());
        h.db.on('error', () => undefined); // the breaker test stops the database under it
        await h.db.connect();
      }
    }
    if (h.skipped) {
      console.warn(`\n!!!!!!!!!!!!!!!!!!!!\nSERVICE TESTS SKIPPED: ${h.skipped}.\n`
        + 'Install the servers: apt-get install -y postgresql redis-server nginx\n!!!!!!!!!!!!!!!!!!!!\n');
    }
  }, 60_000);
  afterAll(async () => {
    await h.db?.end().catch(() => undefined);
    await h.stack?.stop();
  }, 30_000);
  return h;
}

/** Polls until `check` returns a truthy value (no fixed sleeps). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, delay));
  }
}

export const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { redirect: 'manual', headers });

/** A JSON response: status, headers and the parsed body. */
export interface JsonResponse {
  readonly status: number;
  readonly headers: Response['headers'];
  readonly json: Record<string, any>;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, headers: res.headers, json: await res.json() as Record<string, any> };
}

let seq = 0;
/** A code unique to this run (inserted straight into the database: nothing cached). */
export function uniqueCode(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${seq++}`;
}
